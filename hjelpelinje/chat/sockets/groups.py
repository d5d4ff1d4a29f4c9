"""The channel-layer group names and our WebSocket close codes (docs/chat-protocol.md)."""

from __future__ import annotations

STAFF = "chat-staff"
SUPERVISORS = "chat-supervisors"
QUEUE = "chat-queue"
# WebSocket's own code a browser closes with when the page goes away (unloaded: the quick
# exit, a closed tab, another address). A visitor's chat lives only in that page's memory,
# so the chat ends with it (VisitorConsumer.disconnect). A server shutting down is 1012.
CLOSE_GOING_AWAY = 1001
# Close codes in the 4000 range are ours (see docs/chat-protocol.md).
# The login behind a console ended: logged out, idle too long, deactivated, a new
# password or second factor. The console must not reconnect; its person logs in again.
CLOSE_LOGIN_ENDED = 4401
# A staff handshake refused (no permission, no second factor, a foreign origin). A refusal
# before `accept` reaches a client over the network as an HTTP 403, never as this code.
CLOSE_FORBIDDEN = 4403
# A visitor's chat was taken over by a `resume` on another socket: this one is done with
# it and must not reconnect (it would take the chat back from the newer one).
CLOSE_SUPERSEDED = 4409
CLOSE_FLOOD = 4429
# WebSocket's own "Try Again Later": the server cannot serve the socket for a moment (its
# database or channel layer away, its disk full). Sent after an `error` frame saying why
# (`unavailable` or `disk_full`); the client reconnects with its growing delay.
CLOSE_TRY_AGAIN = 1013


def visitor_group(session_id: int) -> str:
    return f"chat-v-{session_id}"


def staff_group(session_id: int) -> str:
    return f"chat-c-{session_id}"


def user_group(user_id: int) -> str:
    return f"chat-u-{user_id}"
