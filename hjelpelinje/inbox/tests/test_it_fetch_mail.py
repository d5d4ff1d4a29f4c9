"""`hjelpelinje fetch_mail` against a real Dovecot: what the inbox stores, what stays on the
server, and what the command says (counts, never content)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from email.utils import make_msgid
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hjelpelinje.chat.tests.server import ROOT, free_port
from hjelpelinje.inbox import selectors
from hjelpelinje.inbox.mail import services as mail_services
from hjelpelinje.inbox.mail.client import ImapSession
from hjelpelinje.inbox.models import Attachment, Conversation, Message
from hjelpelinje.inbox.tests.dovecot import Dovecot
from hjelpelinje.inbox.tests.mails import OTHER, mail, raw

pytestmark = pytest.mark.django_db


def fetch() -> str:
    out = io.StringIO()
    call_command("fetch_mail", stdout=out)
    return out.getvalue()


def content(attachment: Attachment) -> bytes:
    return b"".join(selectors.attachment_chunks(attachment.pk))


def find(**wanted: object) -> Message:
    """The one message whose (decrypted) fields are these: encrypted fields cannot be
    filtered in SQL, which is the point."""
    found = [m for m in Message.objects.all() if all(getattr(m, k) == v for k, v in wanted.items())]
    assert len(found) == 1, found
    return found[0]


def only_message() -> Message:
    messages = list(Message.objects.all())
    assert len(messages) == 1
    return messages[0]


def test_a_plain_mail_is_stored_encrypted_and_deleted_from_the_server(dovecot: Dovecot) -> None:
    dovecot.append(raw(mail(subject="Tvangsekteskap i sommer", text="Hei, de vil gifte meg bort.")))
    out = fetch()
    assert out.strip() == (
        "fetch_mail: 1 on the server: 1 new, 0 too large (left on the server),"
        " 0 already stored, 1 removed from the server"
    )
    message = only_message()
    assert message.direction == "in"
    assert message.subject == "Tvangsekteskap i sommer"
    assert message.text.strip() == "Hei, de vil gifte meg bort."
    assert (message.sender_name, message.sender_address) == (
        "Nora Writer",
        "nora.writer@example.org",
    )
    assert not message.unreadable and not message.too_large
    conversation = message.conversation
    assert conversation.channel == "email" and conversation.status == "open"
    assert conversation.contact_address == "nora.writer@example.org"
    assert conversation.contact_hash == mail_services.address_hash("NORA.writer@example.org")
    # Deleted and expunged: the provider's copy does not outlive our retention.
    assert dovecot.count() == 0
    # The command names no one and quotes nothing.
    for personal in ("Tvangsekteskap", "nora", "example.org", "gifte"):
        assert personal not in out


def test_html_is_kept_beside_the_text_as_it_came(dovecot: Dovecot) -> None:
    html = '<p>Hei</p><img src="https://tracker.example.net/pixel.gif">'
    dovecot.append(raw(mail(text="Hei", html=html)))
    fetch()
    message = only_message()
    assert message.text.strip() == "Hei"
    # Unsanitised in storage, by design: every display goes through nh3 (the docs say so).
    assert message.html.strip() == html


def test_an_attachment_is_stored_whole_with_its_name_and_type(dovecot: Dovecot) -> None:
    pdf = b"%PDF-1.4\n" + os.urandom(300_000)
    dovecot.append(raw(mail(attachments=[("bekreftelse.pdf", "application/pdf", pdf)])))
    fetch()
    message = only_message()
    (attachment,) = message.attachments.all()
    assert (attachment.kind, attachment.filename, attachment.content_type) == (
        "file",
        "bekreftelse.pdf",
        "application/pdf",
    )
    assert attachment.size == len(pdf) and attachment.complete
    assert content(attachment) == pdf


def test_a_cid_image_is_stored_as_part_of_the_message(dovecot: Dovecot) -> None:
    message = mail(text="Se bildet")
    message.add_alternative('<p>Se bildet</p><img src="cid:bilde1@example.org">', subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)
    html_part: Any = message.get_payload()[1]  # type: ignore[index]
    html_part.add_related(png, maintype="image", subtype="png", cid="<bilde1@example.org>")
    dovecot.append(raw(message))
    fetch()
    stored = only_message()
    assert 'src="cid:bilde1@example.org"' in stored.html
    (image,) = stored.attachments.all()
    assert (image.kind, image.content_id, image.content_type) == (
        "inline",
        "bilde1@example.org",
        "image/png",
    )
    assert content(image) == png


def test_a_mail_too_large_stays_on_the_server_and_is_named(dovecot: Dovecot, settings) -> None:
    settings.HJELPELINJE_MAIL_MAX_MB = 0.05  # about 52 KB
    big = mail(
        subject="Stort vedlegg",
        attachments=[("video.mp4", "video/mp4", os.urandom(100_000))],
    )
    dovecot.append(raw(big))
    dovecot.append(raw(mail(subject="Lite")))
    out = fetch()
    assert "2 on the server: 1 new, 1 too large (left on the server)" in out
    placeholder = Message.objects.get(too_large=True)
    assert placeholder.subject == "Stort vedlegg"
    assert placeholder.sender_address == "nora.writer@example.org"
    assert placeholder.size > 100_000
    assert not placeholder.attachments.exists()
    assert dovecot.count() == 1
    # Fetched again: still there, still one placeholder.
    fetch()
    assert Message.objects.filter(too_large=True).count() == 1
    assert dovecot.count() == 1
    # With a higher limit the whole mail comes in place of its placeholder.
    settings.HJELPELINJE_MAIL_MAX_MB = 25
    out = fetch()
    assert "1 new" in out
    whole = find(subject="Stort vedlegg")
    assert not whole.too_large and whole.attachments.get().size == 100_000
    assert whole.conversation_id == placeholder.conversation_id
    assert dovecot.count() == 0


BROKEN_MIME = (
    b"From: Nora Writer <nora.writer@example.org>\r\n"
    b"Subject: Delvis lesbar\r\n"
    b"Message-ID: <broken-1@example.org>\r\n"
    b'Content-Type: multipart/mixed; boundary="grense"\r\n\r\n'
    b"--grense\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Det som kan leses\r\n"
    b"--grense\r\n"
    b'Content-Type: application/pdf; name="halv.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n"
    b"JVBERi0xLjQK\r\n"
    # the closing boundary never comes: the mail was cut off
)


def test_broken_mime_is_kept_raw_and_flagged_without_blocking_the_others(
    dovecot: Dovecot,
) -> None:
    dovecot.append(raw(mail(subject="Før")))
    dovecot.append(BROKEN_MIME)
    dovecot.append(raw(mail(subject="Etter")))
    out = fetch()
    assert "3 on the server: 3 new (1 could not be read in full)" in out
    broken = find(subject="Delvis lesbar")
    assert broken.unreadable and "mime" in broken.unreadable_reason
    assert "Det som kan leses" in broken.text
    raw_copy = broken.attachments.get(kind="raw")
    assert content(raw_copy) == BROKEN_MIME
    assert content(broken.attachments.get(kind="file")) == b"%PDF-1.4\n"
    assert set(Message.objects.values_list("subject", flat=True)) == {
        "Før",
        "Delvis lesbar",
        "Etter",
    }
    assert dovecot.count() == 0


def test_an_unknown_charset_is_read_as_far_as_it_goes(dovecot: Dovecot) -> None:
    dovecot.append(
        b"From: nora.writer@example.org\r\nSubject: =?x-ukjent?q?Hei?=\r\n"
        b"Message-ID: <charset-1@example.org>\r\n"
        b"Content-Type: text/plain; charset=x-ukjent\r\n\r\nHei p\xc3\xa5 deg\r\n"
    )
    fetch()
    message = only_message()
    assert message.unreadable and "charset" in message.unreadable_reason
    assert "Hei på deg" in message.text
    assert message.attachments.get(kind="raw").size > 0


def test_8bit_headers(dovecot: Dovecot) -> None:
    # Latin-1 bytes in a header, with no charset said: a guess, so flagged.
    dovecot.append(
        "From: Bjørn <bjorn@example.org>\r\nSubject: Hjelp på norsk\r\n"
        "Message-ID: <latin-1@example.org>\r\n\r\nTekst\r\n".encode("latin-1")
    )
    # UTF-8 in headers (RFC 6532) is allowed: read as it is.
    dovecot.append(
        "From: Bjørn <bjorn@example.org>\r\nSubject: Hjelp på norsk\r\n"
        "Message-ID: <utf-8@example.org>\r\n\r\nTekst\r\n".encode()
    )
    fetch()
    latin = find(message_id="<latin-1@example.org>")
    assert latin.unreadable and "headers" in latin.unreadable_reason
    assert latin.subject.startswith("Hjelp p") and latin.sender_address == "bjorn@example.org"
    utf8 = find(message_id="<utf-8@example.org>")
    assert not utf8.unreadable
    assert (utf8.subject, utf8.sender_name) == ("Hjelp på norsk", "Bjørn")


def test_the_same_message_id_is_stored_once(dovecot: Dovecot) -> None:
    same = raw(mail(message_id="<once@example.org>"))
    dovecot.append(same)
    dovecot.append(same)
    out = fetch()
    assert "2 on the server: 1 new" in out and "1 already stored, 2 removed" in out
    assert Message.objects.count() == 1
    # Arriving again later (a provider's re-delivery): nothing added, removed again.
    dovecot.append(same)
    assert "0 new" in fetch()
    assert Message.objects.count() == 1 and dovecot.count() == 0


def test_a_mail_without_message_id_is_known_by_its_bytes(dovecot: Dovecot) -> None:
    same = raw(mail(message_id=None, subject="Uten id"))
    dovecot.append(same)
    dovecot.append(same)
    dovecot.append(raw(mail(message_id=None, subject="Uten id", text="Noe annet")))
    fetch()
    assert Message.objects.count() == 2
    assert all(m.message_id == "" and m.message_id_hash for m in Message.objects.all())
    assert dovecot.count() == 0


def _our_answer(conversation: Conversation) -> str:
    """An answer of ours in the conversation, as the SMTP side will store it."""
    our_id = make_msgid(domain="hjelpelinje.example")
    Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUT,
        created_at=timezone.now(),
        subject="Re: Jeg trenger noen å snakke med",
        text="Hei, takk for at du skrev.",
        message_id=our_id,
        message_id_hash=mail_services.message_id_hash(our_id),
        send_state=Message.SendState.SENT,
    )
    return our_id


def test_a_reply_threads_into_its_conversation_and_no_one_else_s(dovecot: Dovecot) -> None:
    first = mail(message_id="<first@example.org>")
    dovecot.append(raw(first))
    fetch()
    conversation = Conversation.objects.get()
    conversation.status, conversation.closed_at = "closed", timezone.now()
    conversation.save()
    our_id = _our_answer(conversation)
    # Her answer to ours comes into the same conversation, which opens again.
    dovecot.append(
        raw(
            mail(subject="Re: svar", in_reply_to=our_id, references=f"<first@example.org> {our_id}")
        )
    )
    # A follow-up to her own first mail, referenced only in References, too.
    dovecot.append(raw(mail(subject="En ting til", references="<first@example.org>")))
    # Someone else answering in the thread starts a conversation of their own ...
    dovecot.append(raw(mail(sender=OTHER, subject="Re: svar", in_reply_to=our_id)))
    # ... and the same subject without references threads nothing.
    dovecot.append(raw(mail(subject="Jeg trenger noen å snakke med")))
    fetch()
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.closed_at is None
    assert set(conversation.messages.values_list("subject", flat=True)) == {
        "Jeg trenger noen å snakke med",
        "Re: Jeg trenger noen å snakke med",
        "Re: svar",
        "En ting til",
    }
    others = Conversation.objects.exclude(pk=conversation.pk)
    assert others.count() == 2
    other = others.get(contact_hash=mail_services.address_hash("sam.other@example.net"))
    assert other.messages.get().sender_address == "sam.other@example.net"


def test_a_server_that_cannot_be_reached_is_one_line_and_exit_1(settings) -> None:
    port = free_port()  # nothing listens there
    settings.HJELPELINJE_IMAP_URL = f"imap://helpline:secret@127.0.0.1:{port}/INBOX"
    with pytest.raises(CommandError) as refused:
        call_command("fetch_mail")
    assert str(refused.value) == (
        f"fetch_mail: cannot reach the IMAP server 127.0.0.1:{port}: connection refused"
    )
    # As the operator sees it: exit status 1, one line, no traceback, no password.
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings",
        HJELPELINJE_IMAP_URL=f"imap://helpline:secret@127.0.0.1:{port}/INBOX",
    )
    done = subprocess.run(
        [sys.executable, "-m", "hjelpelinje", "fetch_mail"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"CommandError: fetch_mail: cannot reach the IMAP server 127.0.0.1:{port}: connection refused"
    ]
    assert "secret" not in done.stderr + done.stdout


def test_a_wrong_password_is_one_line(dovecot: Dovecot, settings) -> None:
    settings.HJELPELINJE_IMAP_URL = dovecot.url(password="wrong")
    with pytest.raises(CommandError) as refused:
        call_command("fetch_mail")
    assert "refused the login" in str(refused.value)
    assert "wrong" not in str(refused.value)


def test_a_crash_between_commit_and_delete_gives_no_second_copy(
    dovecot: Dovecot, monkeypatch
) -> None:
    dovecot.append(raw(mail(subject="Lagret før krasjet")))

    def crash(self: ImapSession, uids: list[str]) -> int:
        if uids:
            raise SystemExit("killed after the commit, before the server's delete")
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(ImapSession, "remove", crash)
        with pytest.raises(SystemExit):
            fetch()
    assert Message.objects.count() == 1
    assert dovecot.count() == 1  # still on the server
    out = fetch()
    assert "0 new" in out and "1 already stored, 1 removed" in out
    assert Message.objects.count() == 1
    assert dovecot.count() == 0


def test_move_to_a_folder_keeps_a_copy_there(dovecot: Dovecot, settings) -> None:
    dovecot.create_folder("Arkiv")
    settings.HJELPELINJE_IMAP_AFTER = "move:Arkiv"
    dovecot.append(raw(mail(message_id="<flyttes@example.org>")))
    fetch()
    assert Message.objects.count() == 1
    assert dovecot.count() == 0
    (kept,) = dovecot.messages("Arkiv")
    assert b"<flyttes@example.org>" in kept
    # A folder that is not there is one clear line, before anything is fetched.
    settings.HJELPELINJE_IMAP_AFTER = "move:Finnes-ikke"
    with pytest.raises(CommandError, match="has no folder 'Finnes-ikke'"):
        fetch()


def test_a_mail_is_not_marked_seen_while_it_waits(dovecot: Dovecot, settings) -> None:
    settings.HJELPELINJE_MAIL_MAX_MB = 0.01
    dovecot.append(raw(mail(attachments=[("a.bin", "application/octet-stream", b"x" * 20_000)])))
    fetch()
    client = dovecot.client()
    _, flags = client.fetch("1", "(FLAGS)")
    client.logout()
    dovecot._clients.remove(client)
    assert b"\\Seen" not in flags[0]  # type: ignore[operator]
