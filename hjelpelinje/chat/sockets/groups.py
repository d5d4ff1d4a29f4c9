"""The channel-layer group names and our WebSocket close codes (docs/chat-protocol.md)."""

from __future__ import annotations

STAFF = "chat-staff"
SUPERVISORS = "chat-supervisors"
QUEUE = "chat-queue"
# Close codes in the 4000 range are ours (see docs/chat-protocol.md).
CLOSE_FORBIDDEN = 4403
CLOSE_FLOOD = 4429


def visitor_group(session_id: int) -> str:
    return f"chat-v-{session_id}"


def staff_group(session_id: int) -> str:
    return f"chat-c-{session_id}"


def user_group(user_id: int) -> str:
    return f"chat-u-{user_id}"
