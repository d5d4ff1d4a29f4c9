"""Reads of the inbox. Those that return content are called by the audited services only
(services.conversation_read and friends); the rest return no content at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hjelpelinje.inbox.models import (
    Attachment,
    AttachmentChunk,
    CallbackTask,
    Conversation,
    Message,
)


def conversation_of_inquiry(inquiry_id: int) -> Conversation | None:
    """The conversation an inquiry was registered from, if any."""
    return Conversation.objects.filter(inquiry_id=inquiry_id).first()


def message_exists(message_id_hash: str) -> bool:
    return Message.objects.filter(message_id_hash=message_id_hash).exists()


def attachment_payload(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "content_id": attachment.content_id,
        "size": attachment.size,
    }


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "direction": message.direction,
        "created_at": message.created_at,
        "header_date": message.header_date,
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
        "html": message.html,
        "sender_address": message.sender_address,
        "sender_name": message.sender_name,
        "automatic": message.automatic,
        "unreadable": message.unreadable,
        "unreadable_reason": message.unreadable_reason,
        "too_large": message.too_large,
        "size": message.size,
        "send_state": message.send_state,
        "send_attempts": message.send_attempts,
        "sent_at": message.sent_at,
        "author_id": message.author_id,
        "attachments": [attachment_payload(a) for a in message.attachments.all()],
    }


def conversation_detail(conversation: Conversation) -> dict[str, Any]:
    """Content: for services.conversation_read, which audits the read."""
    messages = conversation.messages.prefetch_related("attachments").order_by("created_at", "id")
    return {
        "id": conversation.pk,
        "channel": conversation.channel,
        "status": conversation.status,
        "created_at": conversation.created_at,
        "closed_at": conversation.closed_at,
        "contact_address": conversation.contact_address,
        "contact_name": conversation.contact_name,
        "subject": conversation.subject,
        "safe_to_reply": conversation.safe_to_reply,
        "safe_reply_where": conversation.safe_reply_where,
        "inquiry_id": conversation.inquiry_id,
        "messages": [message_payload(m) for m in messages],
    }


def callback_task_detail(task: CallbackTask) -> dict[str, Any]:
    """Content: for services.callback_task_read, which audits the read."""
    return {
        "id": task.pk,
        "called_at": task.called_at,
        "caller_number": task.caller_number,
        "safe_to_call": task.safe_to_call,
        "may_leave_message": task.may_leave_message,
        "note": task.note,
        "done_at": task.done_at,
        "attempts": [
            {"at": a.at, "outcome": a.outcome, "note": a.note, "by_id": a.by_id}
            for a in task.attempts.all()
        ],
        "recordings": [attachment_payload(a) for a in task.attachments.all()],
    }


def attachment_chunks(attachment_id: int) -> Iterator[bytes]:
    """An attachment's bytes, one decrypted chunk at a time (one query per chunk, so a
    large file is never whole in memory)."""
    seqs = list(
        AttachmentChunk.objects.filter(attachment_id=attachment_id)
        .order_by("seq")
        .values_list("pk", flat=True)
    )
    for pk in seqs:
        chunk = AttachmentChunk.objects.only("data").get(pk=pk)
        yield chunk.data
