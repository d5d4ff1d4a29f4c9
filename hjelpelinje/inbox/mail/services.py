"""Storing a fetched mail: de-duplication, threading, the message and its attachments in
one transaction.

A mail is known by the keyed hash of its Message-ID (of the whole raw mail when it has
none): one that is already stored adds nothing. It joins a conversation only through its
In-Reply-To/References naming a message of that conversation, and only if its sender is
the conversation's writer; anyone else starts a conversation of their own, and a subject
threads nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from hjelpelinje.core.crypto import lookup_hash
from hjelpelinje.inbox.mail.parse import ParsedMail, normalise_address, read_envelope
from hjelpelinje.inbox.models import Attachment, Channel, Conversation, Message
from hjelpelinje.inbox.services import attachment_store

# The purposes of the keyed hashes (docs/written-channels.md).
ADDRESS = "email"
MESSAGE_ID = "message-id"
RAW = "raw-mail"
RAW_HEADER = "raw-mail-header"


@dataclass
class Stored:
    """What storing one mail did: "stored", "duplicate" or "placeholder"."""

    outcome: str
    message_id: int | None = None
    unreadable: bool = False


def address_hash(address: str) -> str:
    address = normalise_address(address)
    return lookup_hash(ADDRESS, address) if address else ""


def message_id_hash(message_id: str) -> str:
    return lookup_hash(MESSAGE_ID, message_id)


def raw_hash(raw: bytes) -> str:
    return lookup_hash(RAW, hashlib.sha256(raw).hexdigest())


def placeholder_hash(header: bytes, size: int) -> str:
    return lookup_hash(RAW_HEADER, hashlib.sha256(header + str(size).encode()).hexdigest())


def mail_key(mail: ParsedMail, raw: bytes) -> str:
    return message_id_hash(mail.message_id) if mail.message_id else raw_hash(raw)


def known(key: str) -> Message | None:
    """The stored message with this key, if any (only the columns fetch_mail needs)."""
    return Message.objects.filter(message_id_hash=key).only("pk", "too_large").first()


def _thread(mail: ParsedMail, sender: str) -> Conversation | None:
    """The conversation this mail answers, by its references, for the same sender only."""
    if not sender:
        return None
    ids = [*mail.in_reply_to, *reversed(mail.references)]
    if not ids:
        return None
    hashes = [message_id_hash(i) for i in dict.fromkeys(ids)]
    return (
        Conversation.objects.filter(
            channel=Channel.EMAIL,
            contact_hash=sender,
            messages__message_id_hash__in=hashes,
        )
        .order_by("-last_message_at", "-pk")
        .first()
    )


def _conversation_for(mail: ParsedMail, sender: str, now: dt.datetime) -> Conversation:
    conversation = _thread(mail, sender)
    if conversation is None:
        conversation = Conversation.objects.create(
            channel=Channel.EMAIL,
            created_at=now,
            last_message_at=now,
            contact_hash=sender,
            contact_address=mail.sender_address,
            contact_name=mail.sender_name,
            subject=mail.subject,
        )
    return conversation


def _touch(conversation: Conversation, mail: ParsedMail, now: dt.datetime) -> None:
    conversation.last_message_at = now
    conversation.last_incoming_at = now
    fields = ["last_message_at", "last_incoming_at"]
    if conversation.status == Conversation.Status.CLOSED:
        # An answer to a closed conversation opens it again (its retention stops).
        conversation.status = Conversation.Status.OPEN
        conversation.closed_at = None
        fields += ["status", "closed_at"]
    if mail.sender_name and not conversation.contact_name:
        conversation.contact_name = mail.sender_name
        fields.append("contact_name")
    conversation.save(update_fields=fields)


def _message(
    mail: ParsedMail, conversation: Conversation, *, key: str, sender: str, now: dt.datetime
) -> Message:
    return Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.IN,
        created_at=now,
        header_date=mail.date,
        subject=mail.subject,
        text=mail.text.replace("\r\n", "\n"),
        html=mail.html,
        sender_address=mail.sender_address,
        sender_name=mail.sender_name,
        sender_hash=sender,
        message_id=mail.message_id,
        message_id_hash=key,
        in_reply_to=" ".join(mail.in_reply_to),
        references=" ".join(mail.references),
        automatic=mail.automatic,
    )


def mail_store(*, raw: bytes, mail: ParsedMail, size: int | None = None) -> Stored:
    """Store a downloaded mail, once. A placeholder stored earlier for the same mail (it
    was too large then) is replaced by the whole of it."""
    key = mail_key(mail, raw)
    now = timezone.now()
    sender = address_hash(mail.sender_address)
    try:
        with transaction.atomic():
            existing = (
                Message.objects.select_for_update()
                .filter(message_id_hash=key)
                .select_related("conversation")
                .first()
            )
            conversation: Conversation | None = None
            if existing is not None:
                if not existing.too_large:
                    return Stored("duplicate", existing.pk)
                conversation = existing.conversation
                existing.delete()
            if conversation is None:
                conversation = _conversation_for(mail, sender, now)
            message = _message(mail, conversation, key=key, sender=sender, now=now)
            for part in mail.parts:
                attachment_store(
                    message=message,
                    data=part.chunks(),
                    kind=part.kind,
                    filename=part.filename,
                    content_type=part.content_type,
                    content_id=part.content_id,
                )
            # Known only now: a part may fail to decode while it is stored.
            message.size = len(raw) if size is None else size
            message.unreadable = mail.unreadable
            message.unreadable_reason = ",".join(mail.reasons)[:60]
            message.save(update_fields=["size", "unreadable", "unreadable_reason"])
            if mail.unreadable:
                # The whole mail as it came, so nothing of what could not be read is lost.
                attachment_store(
                    message=message,
                    data=[raw],
                    kind=Attachment.Kind.RAW,
                    filename="message.eml",
                    content_type="message/rfc822",
                )
            _touch(conversation, mail, now)
    except IntegrityError:
        # Another fetch stored the same mail a moment ago.
        return Stored("duplicate")
    return Stored("stored", message.pk, unreadable=message.unreadable)


def mail_store_raw(*, raw: bytes, reason: str = "store") -> Stored:
    """The last resort for a mail that could not be stored the ordinary way: the raw
    mail alone, flagged, in a conversation of its own, so it is never lost."""
    mail = read_envelope(raw[:65536])
    mail.note(reason)
    mail.text, mail.html, mail.parts = "", "", []
    mail.in_reply_to, mail.references = [], []
    return mail_store(raw=raw, mail=mail)


def mail_store_placeholder(*, header: bytes, size: int) -> Stored:
    """A mail too large to download: its sender, subject and size, once."""
    mail = read_envelope(header)
    key = message_id_hash(mail.message_id) if mail.message_id else placeholder_hash(header, size)
    now = timezone.now()
    sender = address_hash(mail.sender_address)
    try:
        with transaction.atomic():
            if Message.objects.filter(message_id_hash=key).exists():
                return Stored("duplicate")
            conversation = _conversation_for(mail, sender, now)
            message = _message(mail, conversation, key=key, sender=sender, now=now)
            message.too_large = True
            message.size = size
            message.save(update_fields=["too_large", "size"])
            _touch(conversation, mail, now)
    except IntegrityError:
        return Stored("duplicate")
    return Stored("placeholder", message.pk)
