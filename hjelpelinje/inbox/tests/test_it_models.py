"""The inbox's data model: content is ciphertext in the database, every key rotation and a
restore's check reach it, and every read of content is audited."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core.backup import decrypt_everything
from hjelpelinje.core.crypto import lookup_hash
from hjelpelinje.core.fields import models_with_encrypted_fields
from hjelpelinje.inbox import selectors, services
from hjelpelinje.inbox.models import (
    CHUNK_BYTES,
    Attachment,
    AttachmentChunk,
    CallbackTask,
    Channel,
    Conversation,
    Message,
)

pytestmark = pytest.mark.django_db


def _conversation() -> tuple[Conversation, Message]:
    now = timezone.now()
    conversation = Conversation.objects.create(
        channel=Channel.EMAIL,
        created_at=now,
        last_message_at=now,
        contact_hash=lookup_hash("email", "amina@example.org"),
        contact_address="amina@example.org",
        subject="Hjelp, de vil sende meg bort",
    )
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.IN,
        created_at=now,
        subject="Hjelp, de vil sende meg bort",
        text="Familien planlegger en reise i sommer",
        sender_address="amina@example.org",
        message_id="<abc@example.org>",
        message_id_hash=lookup_hash("message-id", "<abc@example.org>"),
    )
    return conversation, message


def _column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_content_is_ciphertext_in_the_database() -> None:
    conversation, message = _conversation()
    attachment = services.attachment_store(
        message=message, data=[b"%PDF-1.4 passet mitt"], filename="pass.pdf"
    )
    assert "sommer" not in _column("inbox_message", "text", message.pk)
    assert "amina" not in _column("inbox_message", "sender_address", message.pk)
    assert "example.org" not in _column("inbox_message", "message_id", message.pk)
    assert "amina" not in _column("inbox_conversation", "contact_address", conversation.pk)
    assert "pass.pdf" not in _column("inbox_attachment", "filename", attachment.pk)
    chunk = AttachmentChunk.objects.get(attachment=attachment)
    assert "passet" not in _column("inbox_attachmentchunk", "data", chunk.pk)
    assert Message.objects.get(pk=message.pk).text == "Familien planlegger en reise i sommer"


def test_every_encrypted_field_of_the_inbox_is_found_by_rotation_and_restore() -> None:
    found = {
        m._meta.label: {f.name for f in fields} for m, fields in models_with_encrypted_fields()
    }
    assert {"subject", "text", "html", "sender_address", "sender_name", "message_id"} <= found[
        "inbox.Message"
    ]
    assert {"data"} <= found["inbox.AttachmentChunk"]
    assert {"filename", "content_id"} <= found["inbox.Attachment"]
    assert {"caller_number", "note"} <= found["inbox.CallbackTask"]
    assert {"contact_address", "safe_reply_where"} <= found["inbox.Conversation"]


def test_a_large_attachment_is_chunked_and_survives_key_rotation(settings) -> None:
    newest, old = settings.HJELPELINJE_FIELD_KEYS
    settings.HJELPELINJE_FIELD_KEYS = [old]
    message = _conversation()[1]
    payload = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 3)
    attachment = services.attachment_store(
        message=message,
        data=(payload[i : i + 65536] for i in range(0, len(payload), 65536)),
        filename="bilde.png",
        content_type="image/png",
    )
    assert attachment.size == len(payload)
    assert attachment.chunks.count() == 3
    settings.HJELPELINJE_FIELD_KEYS = [newest, old]
    call_command("rotate_keys", stdout=io.StringIO())
    settings.HJELPELINJE_FIELD_KEYS = [newest]
    # Each chunk opens with the newest key alone, and a restore's check accepts them all.
    first = AttachmentChunk.objects.filter(attachment=attachment).order_by("seq").first()
    assert first is not None
    raw = _column("inbox_attachmentchunk", "data", first.pk)
    assert Fernet(newest.encode()).decrypt(raw.encode()) == payload[:CHUNK_BYTES]
    assert decrypt_everything() > 0
    assert b"".join(selectors.attachment_chunks(attachment.pk)) == payload


def test_reads_are_audited_and_administrators_read_nothing(counsellor, administrator) -> None:
    conversation, message = _conversation()
    attachment = services.attachment_store(message=message, data=[b"x"], filename="a.txt")
    detail = services.conversation_read(actor=counsellor, conversation_id=conversation.pk)
    assert detail["messages"][0]["text"] == "Familien planlegger en reise i sommer"
    opened = services.attachment_open(actor=counsellor, attachment_id=attachment.pk)
    assert b"".join(opened.chunks) == b"x"
    entries = list(AuditEntry.objects.filter(actor_id=counsellor.pk).order_by("id"))
    assert [(e.action, e.target_id) for e in entries] == [
        ("inbox.conversation.view", str(conversation.pk)),
        ("inbox.attachment.view", str(attachment.pk)),
    ]
    # The log names records, never what they hold.
    assert all("sommer" not in str(e.payload()) for e in entries)
    with pytest.raises(services.InboxError) as refused:
        services.conversation_read(actor=administrator, conversation_id=conversation.pk)
    assert refused.value.code == "forbidden"
    with pytest.raises(services.InboxError):
        services.attachment_open(actor=administrator, attachment_id=attachment.pk)
    assert not AuditEntry.objects.filter(actor_id=administrator.pk).exists()


def test_a_recording_belongs_to_a_callback_task(counsellor) -> None:
    now = timezone.now()
    task = CallbackTask.objects.create(
        created_at=now,
        called_at=now,
        caller_number="+47 912 34 567",
        caller_hash=lookup_hash("phone", "+4791234567"),
        message_id_hash=lookup_hash("message-id", "<vm1@operator.example>"),
    )
    services.attachment_store(
        task=task, data=[b"RIFF....WAVE"], kind=Attachment.Kind.RECORDING, content_type="audio/wav"
    )
    detail = services.callback_task_read(actor=counsellor, task_id=task.pk)
    assert detail["caller_number"] == "+47 912 34 567"
    assert [r["kind"] for r in detail["recordings"]] == ["recording"]
    assert "912" not in _column("inbox_callbacktask", "caller_number", task.pk)
