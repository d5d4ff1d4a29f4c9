"""The inbox's writes and its audited reads of content.

Every read of what someone wrote (a conversation's messages, an attachment, a recording)
goes through a function here that checks the reader may (`inbox.read`: counsellors and
managers; administrators never read content) and writes one audit entry naming the reader
and the record, never the content. Channels store through `attachment_store`, which
writes an attachment in encrypted chunks without holding it whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hjelpelinje.audit.services import audit_record
from hjelpelinje.inbox import selectors
from hjelpelinje.inbox.models import (
    CHUNK_BYTES,
    Attachment,
    AttachmentChunk,
    CallbackTask,
    Conversation,
    Message,
)


class InboxError(Exception):
    """A coded refusal the page turns into a message (`forbidden`, `not_found`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _require_reader(actor: Any) -> None:
    if actor is None or not actor.can("inbox.read"):
        raise InboxError("forbidden")


@transaction.atomic
def conversation_read(*, actor: Any, conversation_id: int) -> dict[str, Any]:
    """A conversation with its messages and their attachments' names, decrypted: one
    audited read (`inbox.conversation.view`)."""
    _require_reader(actor)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise InboxError("not_found")
    audit_record(
        actor=actor,
        action="inbox.conversation.view",
        target_type="conversation",
        target_id=conversation.pk,
        fields=["messages"],
    )
    return selectors.conversation_detail(conversation)


@dataclass
class OpenedAttachment:
    attachment: Attachment
    chunks: Iterator[bytes]


@transaction.atomic
def attachment_open(*, actor: Any, attachment_id: int) -> OpenedAttachment:
    """An attachment (or a recording, or a raw message) to stream out, chunk by chunk:
    one audited read (`inbox.attachment.view`)."""
    _require_reader(actor)
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise InboxError("not_found")
    audit_record(
        actor=actor,
        action="inbox.attachment.view",
        target_type="attachment",
        target_id=attachment.pk,
        fields=[attachment.kind],
    )
    return OpenedAttachment(attachment, selectors.attachment_chunks(attachment.pk))


@transaction.atomic
def callback_task_read(*, actor: Any, task_id: int) -> dict[str, Any]:
    """A call-back task with the caller's number, decrypted: one audited read."""
    _require_reader(actor)
    task = CallbackTask.objects.filter(pk=task_id).first()
    if task is None:
        raise InboxError("not_found")
    audit_record(
        actor=actor,
        action="inbox.callback.view",
        target_type="callback_task",
        target_id=task.pk,
        fields=["caller_number", "note", "attempts"],
    )
    return selectors.callback_task_detail(task)


def attachment_store(
    *,
    data: Iterable[bytes],
    message: Message | None = None,
    task: CallbackTask | None = None,
    kind: str = Attachment.Kind.FILE,
    filename: str = "",
    content_type: str = "",
    content_id: str = "",
) -> Attachment:
    """Store an attachment from `data`, a stream of byte strings of any size, as
    encrypted chunks of CHUNK_BYTES. Call it inside the transaction that stores the
    message, so a message and its attachments are committed together or not at all."""
    attachment = Attachment.objects.create(
        message=message,
        task=task,
        kind=kind,
        filename=filename,
        content_type=content_type[:127],
        content_id=content_id,
    )
    seq = 0
    size = 0
    pending = bytearray()
    for piece in data:
        view = memoryview(piece)
        while view:
            take = CHUNK_BYTES - len(pending)
            pending += view[:take]
            view = view[take:]
            if len(pending) == CHUNK_BYTES:
                AttachmentChunk.objects.create(attachment=attachment, seq=seq, data=bytes(pending))
                pending.clear()
                seq += 1
                size += CHUNK_BYTES
    if pending or seq == 0:
        AttachmentChunk.objects.create(attachment=attachment, seq=seq, data=bytes(pending))
        size += len(pending)
    attachment.size = size
    attachment.complete = True
    attachment.save(update_fields=["size", "complete"])
    return attachment
