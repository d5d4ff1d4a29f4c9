"""Mails for the tests, built as mail programs build them. Every name and address is
made up (example.org, example.net)."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_counter = itertools.count(1)

WRITER = "Nora Writer <nora.writer@example.org>"
OTHER = "Sam Other <sam.other@example.net>"


def mail(
    *,
    sender: str = WRITER,
    subject: str = "Jeg trenger noen å snakke med",
    text: str = "Hei, jeg lurer på noe.",
    html: str | None = None,
    message_id: str | None = "",
    in_reply_to: str = "",
    references: str = "",
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Hjelpelinje <post@hjelpelinje.example>"
    message["Subject"] = subject
    message["Date"] = format_datetime(__import__("datetime").datetime.now().astimezone())
    if message_id == "":
        message_id = make_msgid(idstring=str(next(_counter)), domain="example.org")
    if message_id is not None:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def raw(message: EmailMessage) -> bytes:
    return message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
