"""Reading a client's frame strictly, at the socket's edge.

Everything in a frame comes from someone we do not know. Each field is read here, once,
with its type and its limits checked: a frame that breaks a rule gets the coded client
error `malformed` with the field's name as `detail`, and the socket goes on. Nothing the
client sent reaches a service, the database or another socket unchecked, so a bad frame
can never turn into an `internal_error` or a dropped connection.

The rules (docs/chat-protocol.md, "Error codes"):
- the frame is a JSON object (strict JSON: no NaN or Infinity) with a string `type`;
- a whole number is a JSON integer, never `true`/`false` (Python counts a bool as an
  int) and never 1.0, and lies between its minimum and MAX_INT;
- a string is a JSON string with no NUL and no lone surrogate (it could not be sent on
  as UTF-8, nor stored in PostgreSQL), within its length limit; `null` is the same as
  leaving the field out;
- a flag is `true` or `false`.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from hjelpelinje.chat.services import MAX_CLIENT_ID, ChatError

# The largest integer every JSON client reads exactly (JavaScript's Number).
MAX_INT = 2**53 - 1
# A `ref` echoed in an error frame is at most this long; a longer one is left out.
MAX_REF = 40


def _not_json(name: str) -> NoReturn:
    raise ValueError(name)


def parse(text: str) -> dict[str, Any]:
    """The frame as a dict with a string `type`, or ChatError `malformed`."""
    try:
        frame = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        # RecursionError: nesting deeper than the parser goes, e.g. "[[[[…".
        raise ChatError("malformed") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise ChatError("malformed")
    return frame


def clean(value: str) -> bool:
    """Whether a string can be stored and sent on: valid UTF-8, no NUL."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. "\ud800"
        return False
    return True


def frame_str(frame: dict[str, Any], key: str, *, max_length: int | None = None) -> str:
    """A string field; "" when it is missing or null."""
    value = frame.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or not clean(value):
        raise ChatError("malformed", key)
    if max_length is not None and len(value) > max_length:
        raise ChatError("malformed", key)
    return value


def frame_int(
    frame: dict[str, Any], key: str, *, default: int | None = None, minimum: int = 0
) -> int:
    """A whole-number field; `default` when missing (or `malformed` without a default)."""
    value = frame.get(key)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ChatError("malformed", key)
    if not minimum <= value <= MAX_INT:
        raise ChatError("malformed", key)
    return value


def frame_bool(frame: dict[str, Any], key: str, *, default: bool = False) -> bool:
    """A flag; `default` when missing or null."""
    value = frame.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ChatError("malformed", key)
    return value


def frame_client_id(frame: dict[str, Any]) -> str:
    """The `client_id` a message carries: at most MAX_CLIENT_ID characters, never cut.

    Two ids that share a prefix are two messages; cutting them would store the second as
    a re-send of the first, and it would be lost.
    """
    return frame_str(frame, "client_id", max_length=MAX_CLIENT_ID)


def echoable_ref(value: Any) -> str | None:
    """`value` if it may go back to the client as an error's `ref`, else None."""
    if isinstance(value, str) and value and len(value) <= MAX_REF and clean(value):
        return value
    return None


def echoable_client_id(value: Any) -> str | None:
    """`value` if it is a valid client_id to name the refused message by, else None."""
    if isinstance(value, str) and value and len(value) <= MAX_CLIENT_ID and clean(value):
        return value
    return None
