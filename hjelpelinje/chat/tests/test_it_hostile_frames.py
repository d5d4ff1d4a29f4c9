"""Hostile frames against both sockets, as an attacker would send them.

Whatever arrives (deep nesting, lone surrogates, NUL, wrong JSON types, numbers where
strings belong, huge strings, over-long client_ids, text that is not JSON, binary), every
answer is a frame docs/chat-protocol.md documents, with a documented error code and
never `internal_error`, it is valid JSON a real server can send as UTF-8, and the socket
stays open: a ping after it gets its pong.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.chat import services
from hjelpelinje.chat.models import ChatMessage, ChatSession
from hjelpelinje.chat.sockets.base import MAX_FRAME
from hjelpelinje.chat.sockets.staff import StaffConsumer
from hjelpelinje.chat.sockets.visitor import VisitorConsumer
from hjelpelinje.chat.tests import test_it_server as real
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator
from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import world
from hjelpelinje.chat.tests.test_it_consumers import receive_until, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chat_open"),
]

DOC = Path(__file__).resolve().parents[3] / "docs" / "chat-protocol.md"


def _section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    end = text.find(f"\n{level} ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def _first_cells(table_text: str) -> set[str]:
    """The backticked names in the first column of the markdown tables in `table_text`."""
    names: set[str] = set()
    for line in table_text.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return names


@dataclass(frozen=True)
class Documented:
    visitor_types: set[str]
    staff_types: set[str]
    codes: set[str]


def documented() -> Documented:
    doc = DOC.read_text(encoding="utf-8")
    visitor = _section(_section(doc, "## The visitor socket"), "### Server → client")
    staff = _section(_section(doc, "## The staff socket"), "### Server → client")
    codes = _first_cells(_section(doc, "## Error codes"))
    return Documented(_first_cells(visitor) | {"pong"}, _first_cells(staff) | {"pong"}, codes)


DOCUMENTED = documented()


def test_the_docs_list_the_frames_and_codes_this_test_checks_against() -> None:
    # The parsing above must find the tables, or every check below would be vacuous.
    assert {"started", "ack", "error", "ended"} <= DOCUMENTED.visitor_types
    assert {"state", "assigned", "visitor", "error"} <= DOCUMENTED.staff_types
    assert {"malformed", "rate_limited", "internal_error", "not_your_chat"} <= DOCUMENTED.codes


def _no_constants(name: str) -> Any:
    raise AssertionError(f"{name} is not JSON")


def check_answer(output: dict[str, Any], types: set[str]) -> dict[str, Any]:
    """One frame the server sent, held to the protocol."""
    assert output["type"] == "websocket.send", output
    assert output.get("bytes") is None
    text = output["text"]
    # A real server sends text as UTF-8; a lone surrogate would crash its send.
    text.encode("utf-8")
    frame = json.loads(text, parse_constant=_no_constants)
    assert isinstance(frame, dict) and frame.get("type") in types, frame
    if frame["type"] == "error":
        assert frame["code"] in DOCUMENTED.codes, frame
        assert frame["code"] != "internal_error", frame
        for key in ("ref", "client_id"):
            if key in frame:
                assert isinstance(frame[key], str) and 0 < len(frame[key]) <= 40, frame
                assert "\x00" not in frame[key]
    return frame  # type: ignore[no-any-return]


def is_ping(kind: str, payload: str | bytes) -> bool:
    """Whether the server takes this frame for a ping (and so answers it with a pong)."""
    if kind != "text" or not isinstance(payload, str) or len(payload) > MAX_FRAME:
        return False
    try:
        frame = json.loads(payload, parse_constant=_no_constants)
    except (ValueError, RecursionError, AssertionError):
        return False
    return isinstance(frame, dict) and frame.get("type") == "ping"


class Socket:
    """One end of a socket under attack; reopened when the protocol says it may close."""

    def __init__(self, types: set[str]) -> None:
        self.types = types
        self.ws: WebsocketCommunicator | None = None
        self.answers = 0

    async def open(self) -> None:
        raise NotImplementedError

    def may_close(self, kind: str, payload: str | bytes) -> bool:
        return False

    async def throw(self, kind: str, payload: str | bytes) -> list[dict[str, Any]]:
        """Send one frame, then a ping; read every answer up to the pongs."""
        assert self.ws is not None
        if kind == "text":
            await self.ws.send_to(text_data=payload)  # type: ignore[arg-type]
        else:
            await self.ws.send_to(bytes_data=payload)  # type: ignore[arg-type]
        await self.ws.send_json_to({"type": "ping"})
        pongs = 1 + is_ping(kind, payload)
        frames: list[dict[str, Any]] = []
        while pongs:
            output = await self.ws.receive_output(timeout=10)
            if output["type"] == "websocket.close":
                assert self.may_close(kind, payload), (payload, output)
                await self.open()
                return frames
            frame = check_answer(output, self.types)
            frames.append(frame)
            pongs -= frame["type"] == "pong"
        self.answers += len(frames)
        return frames

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.disconnect()


class VisitorSocket(Socket):
    """A visitor's socket, attached to a chat of its own (as after `started`)."""

    async def open(self) -> None:
        self.ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
        connected, _ = await self.ws.connect()
        assert connected
        _session, token = await sync_to_async(services.chat_session_start)()
        await self.ws.send_json_to({"type": "resume", "token": token, "last_seq": 0})
        await receive_until(self.ws, "resumed")

    def may_close(self, kind: str, payload: str | bytes) -> bool:
        # Documented: the visitor's `end` with no chat on the socket (the quick exit)
        # closes it; an `end` may follow one that already ended this socket's chat.
        if kind != "text" or not isinstance(payload, str) or len(payload) > MAX_FRAME:
            return False
        try:
            frame = json.loads(payload)
        except (ValueError, RecursionError):
            return False
        return isinstance(frame, dict) and frame.get("type") == "end"


class StaffSocket(Socket):
    """A manager's console (a manager may do everything a counsellor may, and more)."""

    def __init__(self, types: set[str], user: User) -> None:
        super().__init__(types)
        self.user = user

    async def open(self) -> None:
        self.ws = await staff(self.user)
        connected, _ = await self.ws.connect()
        assert connected
        await receive_until(self.ws, "state")


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hypothesis sends frames as fast as the sockets answer; the rate limit has tests of
    # its own (below, and test_it_consumers).
    for consumer in (VisitorConsumer, StaffConsumer):
        monkeypatch.setattr(consumer, "rate", 1e6)
        monkeypatch.setattr(consumer, "burst", 10**6)


@pytest.fixture
async def visitor_socket(no_rate_limit: None) -> AsyncIterator[VisitorSocket]:
    sock = VisitorSocket(DOCUMENTED.visitor_types)
    await sock.open()
    yield sock
    await sock.close()


@pytest.fixture
async def staff_socket(
    no_rate_limit: None, manager: User, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StaffSocket]:
    from hjelpelinje.chat.sockets import staff as staff_module

    # The console looks at a frame once more when its login is due a check: make every
    # frame due, so that path meets every hostile frame too.
    monkeypatch.setattr(staff_module, "LOGIN_CHECK_EVERY", 0.0, raising=False)
    sock = StaffSocket(DOCUMENTED.staff_types, manager)
    await sock.open()
    yield sock
    await sock.close()


# What an attacker throws: strings with every kind of character (lone surrogates
# included), NUL, very long ones; numbers far beyond any column; bools where numbers
# belong; nested values; and all of these in the fields the sockets read.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
NASTY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=30),
    st.sampled_from(
        ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\U0001f600", "\u202e", "ok"]
    ),
    st.integers(min_value=39, max_value=42).map(lambda n: "i" * n),
    st.integers(min_value=2000, max_value=9000).map(lambda n: "x" * n),
)
NUMBERS = st.one_of(
    st.integers(min_value=-3, max_value=5),
    st.sampled_from([2**31, 2**53 - 1, 2**53, 2**63, 2**64, -(2**63), 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 0.5, -0.0]),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, NASTY_TEXT)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(NASTY_TEXT, inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "session",
    "last_seq",
    "token",
    "text",
    "client_id",
    "active",
    "status",
    "to",
    "note",
    "age_group",
    "theme",
    "pow",
]
TYPES = sorted(set(VisitorConsumer.handlers) | set(StaffConsumer.handlers))
FIELD_VALUES = st.one_of(
    JSON_VALUES,
    st.sampled_from([True, False, 0, 1, 2, -1, 2**53, "1", "available", "away", [], {}]),
)
FRAMES = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(TYPES), NASTY_TEXT, JSON_VALUES)},
    optional=dict.fromkeys(FIELDS, FIELD_VALUES),
)


def _dumps(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


# (kind, payload): what goes over the wire.
WIRE = st.one_of(
    st.tuples(FRAMES, st.booleans()).map(lambda v: ("text", _dumps(*v))),
    st.tuples(JSON_VALUES, st.booleans()).map(lambda v: ("text", _dumps(*v))),
    # Nesting far deeper than any parser goes, and shallow enough for every one.
    st.sampled_from([3, 30, 3000]).map(lambda n: ("text", "[" * n + "]" * n)),
    st.sampled_from([30, 3000]).map(
        lambda n: ("text", '{"type":"ping","x":' + "[" * n + "]" * n + "}")
    ),
    st.sampled_from([30, 3000]).map(lambda n: ("text", '{"type":' + "[" * n + "]" * n + "}")),
    # Not JSON, or not strict JSON.
    st.text(ANY_CHAR, max_size=50).map(lambda t: ("text", t)),
    st.sampled_from(
        [
            '{"type":"sync","session":1,"last_seq":NaN}',
            '{"type":"message","text":"x","client_id":Infinity}',
            '{"type":"resume","token":"x","last_seq":' + "9" * 5000 + "}",
            '{"type":"ping"',
            "",
        ]
    ).map(lambda t: ("text", t)),
    st.binary(max_size=40).map(lambda b: ("bytes", b)),
)

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@FUZZ
@given(wire=WIRE)
async def test_no_frame_drops_the_visitor_socket_or_gets_internal_error(
    visitor_socket: VisitorSocket, wire: tuple[str, str | bytes]
) -> None:
    await visitor_socket.throw(*wire)


async def chat_numbered(number: int) -> None:
    """A waiting chat with this id (the test's tables start empty; ids go on counting)."""
    session, _token = await sync_to_async(services.chat_session_start)()
    await ChatSession.objects.filter(pk=session.pk).aupdate(id=number)


@pytest.fixture
async def console_with_a_chat(staff_socket: StaffSocket) -> StaffSocket:
    """The console holding chat 1, with chat 2 waiting: frames about chats the console
    may act on get as far as the database, not only the permission checks."""
    for number in (1, 2):
        await chat_numbered(number)
    assert staff_socket.ws is not None
    await staff_socket.ws.send_json_to({"type": "take"})
    assert (await receive_until(staff_socket.ws, "assigned"))["chat"]["session"] == 1
    return staff_socket


@FUZZ
@given(wire=WIRE)
async def test_no_frame_drops_the_staff_socket_or_gets_internal_error(
    console_with_a_chat: StaffSocket, wire: tuple[str, str | bytes]
) -> None:
    await console_with_a_chat.throw(*wire)


# The cases found by hand, each spelled out: what the attacker sends, what comes back.

VISITOR_CASES = [
    # Two small frames that used to crash the socket without `disconnect` running.
    ('{"type":"\\ud800"}', "unknown_type", None),
    ("[" * 3000 + "]" * 3000, "malformed", None),
    ('{"type":"message","text":"hei","client_id":"\\ud800"}', "malformed", "client_id"),
    ('{"type":"message","text":"hei\\ud800","client_id":"a1"}', "malformed", "text"),
    ('{"type":"message","text":"hei\\u0000","client_id":"a1"}', "malformed", "text"),
    ('{"type":"message","text":"hei","client_id":"a\\u0000"}', "malformed", "client_id"),
    ('{"type":"message","text":5,"client_id":"a1"}', "malformed", "text"),
    ('{"type":"message","text":"hei","client_id":7}', "malformed", "client_id"),
    ('{"type":"message","text":"hei","client_id":"' + "c" * 41 + '"}', "malformed", "client_id"),
    ('{"type":"typing","active":"yes"}', "malformed", "active"),
    ('{"type":"resume","token":"x","last_seq":true}', "already_started", None),
    ('{"type":"start","theme":5}', "already_started", None),
    ('{"type":"ping","x":NaN}', "malformed", None),
]


@pytest.mark.parametrize(("raw", "code", "detail"), VISITOR_CASES)
async def test_hostile_frames_to_the_visitor_get_a_coded_error(
    visitor_socket: VisitorSocket, raw: str, code: str, detail: str | None
) -> None:
    frames = await visitor_socket.throw("text", raw)
    errors = [f for f in frames if f["type"] == "error"]
    assert errors and errors[0]["code"] == code, frames
    assert errors[0].get("detail") == detail
    # Nothing of a refused message was stored.
    assert not await ChatMessage.objects.aexists()


async def test_wrong_types_on_a_fresh_visitor_socket_get_malformed(no_rate_limit: None) -> None:
    ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
    assert (await ws.connect())[0]
    for frame, detail in [
        ({"type": "resume", "token": "x", "last_seq": True}, "last_seq"),
        ({"type": "resume", "token": "x", "last_seq": 2**64}, "last_seq"),
        ({"type": "resume", "token": "x", "last_seq": 1.0}, "last_seq"),
        ({"type": "resume", "token": 12345, "last_seq": 0}, "token"),
        ({"type": "resume", "token": "x\u0000", "last_seq": 0}, "token"),
    ]:
        await ws.send_json_to(frame)
        answer = check_answer(await ws.receive_output(), DOCUMENTED.visitor_types)
        assert answer == {"type": "error", "code": "malformed", "detail": detail, "ref": "resume"}
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from())["type"] == "pong"
    await ws.disconnect()


async def test_a_start_refused_for_a_bad_field_keeps_its_proof_of_work(
    no_rate_limit: None,
) -> None:
    ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
    assert (await ws.connect())[0]
    frame = start_frame(theme=5)
    await ws.send_json_to(frame)
    answer = check_answer(await ws.receive_output(), DOCUMENTED.visitor_types)
    assert answer == {"type": "error", "code": "malformed", "detail": "theme", "ref": "start"}
    # Nothing of the refused frame was done: its solution is still good for one start.
    await ws.send_json_to(frame | {"theme": None})
    assert (await receive_until(ws, "started"))["session"]
    await ws.disconnect()


async def test_a_client_id_is_refused_when_too_long_never_cut(
    visitor_socket: VisitorSocket, counsellor: User
) -> None:
    # Two ids sharing their first 40 characters are two messages: cut to 40, the second
    # would be taken for a re-send of the first and silently dropped.
    prefix = "p" * 40
    for text, cid in [("første", prefix + "1"), ("andre", prefix + "2")]:
        frames = await visitor_socket.throw(
            "text", json.dumps({"type": "message", "text": text, "client_id": cid})
        )
        error = next(f for f in frames if f["type"] == "error")
        # Refused, and the refusal does not echo the id it could not take.
        assert error == {
            "type": "error",
            "code": "malformed",
            "detail": "client_id",
            "ref": "message",
        }
    assert not await ChatMessage.objects.aexists()
    # At the limit, ids that differ only in their last character are two messages.
    seqs = []
    for text, cid in [("første", prefix[:39] + "1"), ("andre", prefix[:39] + "2")]:
        frames = await visitor_socket.throw(
            "text", json.dumps({"type": "message", "text": text, "client_id": cid})
        )
        seqs += [f["seq"] for f in frames if f["type"] == "ack"]
    assert seqs == [1, 2]


STAFF_CASES = [
    ({"type": "sync", "session": True, "last_seq": 0}, "malformed", "session"),
    ({"type": "sync", "session": 1, "last_seq": True}, "malformed", "last_seq"),
    ({"type": "sync", "session": 2**64, "last_seq": 0}, "malformed", "session"),
    ({"type": "watch", "session": 0}, "malformed", "session"),
    ({"type": "watch", "session": "1"}, "malformed", "session"),
    ({"type": "end", "session": 1.0}, "malformed", "session"),
    ({"type": "message", "session": 1, "text": ["hei"], "client_id": "c"}, "malformed", "text"),
    ({"type": "message", "session": 1, "text": "hei", "client_id": 1}, "malformed", "client_id"),
    ({"type": "presence", "status": 1}, "malformed", "status"),
    ({"type": "presence", "status": "\ud800"}, "malformed", "status"),
    ({"type": "typing", "session": 1, "active": 1}, "malformed", "active"),
    ({"type": "note", "session": 1, "text": {"a": 1}}, "malformed", "text"),
    ({"type": "transfer", "session": 1, "to": True, "note": ""}, "malformed", "to"),
    ({"type": "transfer", "session": 1, "to": 2, "note": 5}, "malformed", "note"),
    ({"type": "urgent", "session": 2**53}, "malformed", "session"),
    ({"type": "urgent", "session": 2**53 - 1}, "chat_ended", None),
]


@pytest.mark.parametrize(("frame", "code", "detail"), STAFF_CASES)
async def test_hostile_frames_to_the_console_get_a_coded_error(
    staff_socket: StaffSocket, frame: dict[str, Any], code: str, detail: str | None
) -> None:
    frames = await staff_socket.throw("text", json.dumps(frame))
    errors = [f for f in frames if f["type"] == "error"]
    assert errors and errors[0]["code"] == code, frames
    assert errors[0].get("detail") == detail


async def test_true_is_not_chat_number_one(staff_socket: StaffSocket, counsellor: User) -> None:
    # Python counts True as 1: read loosely, `"session": true` would act on chat 1.
    await chat_numbered(1)
    frames = await staff_socket.throw("text", json.dumps({"type": "watch", "session": True}))
    assert [f["type"] for f in frames if f["type"] in ("watching", "error")] == ["error"]
    assert (await ChatSession.objects.aget(pk=1)).status == ChatSession.Status.QUEUED


async def test_the_rate_limit_still_holds_for_the_console(manager: User) -> None:
    c = await staff(manager)
    assert (await c.connect())[0]
    await receive_until(c, "state")
    for _ in range(200):
        await c.send_json_to({"type": "ping"})
    codes, closed = [], None
    for _ in range(200):
        output = await c.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            closed = output["code"]
            break
        codes.append(json.loads(output["text"]).get("code"))
    assert "rate_limited" in codes
    assert closed == 4429


async def test_the_frames_that_crashed_a_visitor_socket_hold_on_uvicorn() -> None:
    # On a real server the answer goes out as UTF-8: echoing a lone surrogate used to
    # crash the socket there, and deep nesting crashed it everywhere; neither told the
    # console the visitor was gone, so the chat stayed "connected" for ever.
    with world() as w:
        port = w.serve()
        async with real.staff(port, w.sessions[0]) as c, real.visitor(port) as v:
            await real.until(c, "state")
            await v.send(json.dumps(start_frame()))
            await real.until(v, "started")
            await c.send(json.dumps({"type": "take"}))
            await real.until(c, "assigned")
            for raw, code in [
                ('{"type":"\\ud800"}', "unknown_type"),
                ("[" * 3000 + "]" * 3000, "malformed"),
                ('{"type":"message","text":"hei","client_id":"\\udfff"}', "malformed"),
            ]:
                await v.send(raw)
                answer = await real.until(v, "error")
                assert answer["code"] == code
                assert "client_id" not in answer and answer.get("ref") in (None, "message")
            await v.send(json.dumps({"type": "ping"}))
            await real.until(v, "pong")
            # The console never heard the visitor leave.
            await c.send(json.dumps({"type": "ping"}))
            while (frame := json.loads(await c.recv()))["type"] != "pong":
                assert frame["type"] != "visitor", frame
