"""The channel-layer group names and our WebSocket close codes (docs/chat-protocol.md)."""

from __future__ import annotations

STAFF = "chat-staff"
SUPERVISORS = "chat-supervisors"
QUEUE = "chat-queue"
# Close codes in the 4000 range are ours (see docs/chat-protocol.md).
# The login behind a console ended: logged out, idle too long, deactivated, a new
# password or second factor. The console must not reconnect; its person logs in again.
CLOSE_LOGIN_ENDED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_FLOOD = 4429


def visitor_group(session_id: int) -> str:
    return f"chat-v-{session_id}"


def staff_group(session_id: int) -> str:
    return f"chat-c-{session_id}"


def user_group(user_id: int) -> str:
    return f"chat-u-{user_id}"
