"""A visitor-side client for Hjelpelinje's anonymous chat.

This module was written from ``docs/chat-protocol.md`` alone, without reading the server,
the visitor page or the tests, to show that the document is enough to write a client.

Run it from the project root (the ``websockets`` package is in the dev dependencies)::

    .venv/bin/python docs/examples/chat_client.py ws://127.0.0.1:8000/ws/chat/visitor/
    .venv/bin/python docs/examples/chat_client.py URL --age-group 0-18 --theme CODE

It starts a chat, prints queue updates, the counsellor joining and the counsellor's
messages, and sends every line typed on stdin. ``/end``, end of input (Ctrl-D) or Ctrl-C
end the chat.

As a library::

    client = VisitorClient("ws://127.0.0.1:8000/ws/chat/visitor/")
    session = await client.start(age_group="0-18")
    name = await client.wait_joined()
    seq = await client.send("Hei")
    reply = await client.wait_message()
    await client.end()

Design, in short:

* One background task, the *reader*, owns the connection. It reads every frame, updates
  the state (``status``, ``last_seq``, ``received``, ``queue_position`` …) and wakes up
  whoever waits for a change.
* When the socket drops without the chat having ended (a tunnel, ``drop()``), the reader
  reconnects by itself with a growing delay (0.5 s, 1 s, 2 s … at most 10 s), sends
  ``resume`` with the token and ``last_seq``, and, once ``resumed`` arrives, re-sends the
  message still waiting for its ack with the same ``client_id``. The server replays the
  missed messages after ``resumed``; duplicates are dropped by ``seq``. Operations never
  reconnect themselves: they wait for the reader.
* ``send()`` sends one message at a time (a lock). An ``error`` frame is matched to it by
  its ``client_id`` (the server names the refused message whenever the frame carried a
  valid one); one without ``client_id`` but with ``ref`` ``message`` (or a
  ``rate_limited``, which has neither) can only belong to that one message too.
  A ``rate_limited`` refusal is retried twice (same ``client_id``); other errors raise
  ``ServerError`` from ``send()``. ``chat_ended`` (a message after the chat ended, even
  if the ``ended`` frame was missed) ends the chat as ``ended`` would.
* ``last_seq`` counts every seq seen without a gap: message frames (the counsellor's and
  the echo of our own) and the ``seq`` of our acks. ``received`` is append-only, in seq
  order; a message that arrives ahead of a gap is held back, and a gap still open after
  5 s is caught up by the reader reconnecting and resuming.
* A keep-alive ``ping`` is sent after 25 s without any frame; if nothing at all arrives
  in the next 25 s, the connection is taken as dead and the reader reconnects.
* A small token bucket keeps this client under the server's visitor rate limit.
* Before ``start`` the client asks for a ``challenge`` and solves the proof of work (in a
  thread, so the reader keeps reading). A ``pow_*`` refusal gets a new challenge, twice
  at most; ``busy`` raises ``ChatBusyError`` with the phone number and its hours.
* Close codes (the document's "Close codes"): 4409 ("superseded": a ``resume`` on another
  connection took the chat over) stops the client without reconnecting, and operations
  raise ``ChatSupersededError``; after 4429 (flooding) the client waits at least
  ``FLOOD_WAIT`` seconds before it reconnects; any other close is a dropped line,
  reconnected with the growing delay. ``end`` is only sent while there is a chat (with
  none, the server would answer ``not_started`` and keep the socket open).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from typing import Any, TypeGuard

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

logger = logging.getLogger("hjelpelinje.chat_client")

Frame = dict[str, Any]

# Limits from the protocol document.
MAX_FRAME_CHARS = 8192
DEFAULT_MAX_LENGTH = 2000
RATE_PER_SECOND = 3.0  # visitors: 3 frames/s …
RATE_BURST = 12.0  # … with bursts of 15; we keep a margin of 3 for network jitter
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 10.0
# An answered visitor gone for 15 minutes is taken to have left; stop trying a bit later.
RECONNECT_LIMIT = 16 * 60.0
KEEPALIVE_SECONDS = 25.0
# A gap in seq that is not filled within this time is caught up by reconnecting (resume).
GAP_SECONDS = 5.0
# The server's close code for a socket whose chat a `resume` on another socket took over.
CLOSE_SUPERSEDED = 4409
# Closed for flooding: "wait a few seconds before connecting again".
CLOSE_FLOOD = 4429
FLOOD_WAIT = 5.0

# Options for every connection: no User-Agent (an anonymous visitor need not say what it
# runs), and the protocol's own JSON ping instead of WebSocket-level pings.
CONNECT_OPTIONS: dict[str, Any] = {
    "user_agent_header": None,
    "ping_interval": None,
    "open_timeout": 10,
}


class ChatError(Exception):
    """Base class for every error this client raises."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class ServerError(ChatError):
    """The server answered with an ``error`` frame."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.detail: str | None = frame.get("detail")
        self.ref: str | None = frame.get("ref")
        code = str(frame.get("code", "unknown"))
        text = f"server refused {self.ref or 'a frame'!r}: {code}"
        if self.detail:
            text += f" ({self.detail})"
        super().__init__(text, code)


class ChatClosedError(ChatError):
    """The chat is closed now; ``next_open`` is the next opening time (ISO) or None."""

    def __init__(self, next_open: str | None) -> None:
        self.next_open = next_open
        when = f"it opens again at {next_open}" if next_open else "no opening time is known"
        super().__init__(f"the chat is closed; {when}", "closed")


class ChatEndedError(ChatError):
    """The chat is over (``by`` is ``visitor``, ``counsellor``, ``system`` or None)."""

    def __init__(self, by: str | None) -> None:
        self.by = by
        super().__init__(f"the chat has ended (by {by or 'unknown'})", "ended")


class ChatBusyError(ChatError):
    """The queue is full: ``phone`` and its opening ``hours`` are what the visitor can do."""

    def __init__(self, phone: str, hours: list[Frame]) -> None:
        self.phone = phone
        self.hours = hours
        super().__init__(f"the chat queue is full; call {phone or 'the helpline'}", "busy")


def solve_pow(challenge: Frame) -> Frame:
    """Find the number n (0 <= n <= maxnumber) with SHA-256(salt + str(n)) == challenge.

    Returns the ``pow`` object for ``start``: the challenge's fields plus ``number``.
    """
    salt, target = challenge["salt"], challenge["challenge"]
    for number in range(int(challenge["maxnumber"]) + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            return {
                "algorithm": challenge["algorithm"],
                "challenge": target,
                "number": number,
                "salt": salt,
                "signature": challenge["signature"],
            }
    raise ChatError("no number solves the challenge", "pow_unsolvable")


class ConnectionLostError(ChatError):
    """The connection is gone and could not be restored."""


class ChatSupersededError(ConnectionLostError):
    """Another connection resumed this chat (close code 4409); this client let it go."""

    def __init__(self) -> None:
        super().__init__("another connection took this chat over", "superseded")


class _Bucket:
    """Client-side token bucket, so that we never hit the server's rate limit."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def reset(self) -> None:
        # The server's bucket is per connection: a new connection starts full.
        self.tokens = self.burst
        self.stamp = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


class _Pending:
    """A message sent (or to be sent) whose ack has not come yet.

    (A plain class, not a dataclass: dataclasses fail when a test loads this file with
    importlib without registering it in ``sys.modules``.)
    """

    def __init__(self, client_id: str, text: str, future: asyncio.Future[int]) -> None:
        self.client_id = client_id
        self.text = text
        self.future = future
        self.sent_on = -1  # number of the connection it was last sent on


class VisitorClient:
    """A visitor's chat over the visitor WebSocket endpoint.

    Public state, kept up to date by the background reader task:

    * ``status``: ``new``, ``closed`` (the chat was closed at ``start``), ``queued``,
      ``active`` or ``ended``
    * ``session``, ``max_length``, ``last_seq``
    * ``received``: the counsellor's ``message`` frames in ``seq`` order, no duplicates;
      only appended to. A message that arrives before an earlier ``seq`` is held back
      until the gap is filled (a gap still open after ``GAP_SECONDS`` is caught up by
      reconnecting and resuming, the only catch-up the visitor socket has)
    * ``queue_position``, ``wait_seconds``: from the latest ``queue`` frame
    * ``counsellor_name`` (from the latest ``joined``), ``counsellor_typing``
    * ``ended_by``, ``next_open``, ``last_error``, ``reconnects``

    ``on_event``, if given, is called with every frame from the server after the state
    has been updated (duplicate ``message`` frames are not passed on).
    """

    def __init__(
        self,
        url: str,
        *,
        on_event: Callable[[Frame], None] | None = None,
        reconnect_limit: float = RECONNECT_LIMIT,
    ) -> None:
        self.url = url
        self.on_event = on_event
        self.reconnect_limit = reconnect_limit

        self.status = "new"
        self.session: int | None = None
        self.max_length = DEFAULT_MAX_LENGTH
        self.last_seq = 0
        self.received: list[Frame] = []
        self.queue_position: int | None = None
        self.wait_seconds: int | None = None
        self.counsellor_name: str | None = None
        self.counsellor_typing = False
        self.ended_by: str | None = None
        self.next_open: str | None = None
        self.last_error: ServerError | None = None
        self.reconnects = 0

        self._token: str | None = None  # in memory only: the only key to the chat
        self._ws: ClientConnection | None = None
        self._conn_no = 0  # counts connections, to know where a message was sent
        self._ready = False  # `started`/`resumed` came on the current connection
        self._reader: asyncio.Task[None] | None = None
        self._ahead: set[int] = set()  # seqs above last_seq already seen (out of order)
        self._held: dict[int, Frame] = {}  # counsellor messages waiting for a gap to fill
        self._gap_since: float | None = None  # when the current gap in seq opened
        self._returned = 0  # how many of `received` wait_message() has handed out
        self._pending: _Pending | None = None  # at most one, see send()
        self._start_future: asyncio.Future[int] | None = None
        self._challenge_future: asyncio.Future[Frame] | None = None
        self._send_lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._bucket = _Bucket(RATE_PER_SECOND, RATE_BURST)
        self._ending = False  # end() was called; re-send `end` after a resume
        self._closing = False  # we close on purpose: do not reconnect
        self._lost: ChatError | None = None
        self._down_since: float | None = None  # when the connection was lost
        self._backoff = BACKOFF_FIRST  # next reconnect delay; reset by `resumed`

    # ------------------------------------------------------------------ operations

    async def start(
        self,
        age_group: str | None = None,
        theme: str | None = None,
        *,
        timeout: float = 30,
    ) -> int:
        """Connect, send ``start`` and return the session id.

        Raises ``ChatClosedError`` (with ``next_open``) when the chat is closed, and
        ``ChatBusyError`` (with ``phone`` and ``hours``) when the queue is full.
        """
        if self.status != "new":
            raise ChatError("start() can only be called once per client")
        self._ws = await connect(self.url, **CONNECT_OPTIONS)
        self._conn_no += 1
        self._bucket.reset()
        loop = asyncio.get_running_loop()
        self._reader = asyncio.create_task(self._run(), name="chat-visitor-reader")
        try:
            async with asyncio.timeout(timeout):
                for attempt in range(3):
                    # Earn the start: a fresh challenge, solved off the event loop.
                    self._challenge_future = loop.create_future()
                    await self._send_frame({"type": "challenge"}, self._ws)
                    challenge = await self._challenge_future
                    frame: Frame = {
                        "type": "start",
                        "pow": await asyncio.to_thread(solve_pow, challenge),
                    }
                    if age_group is not None:
                        frame["age_group"] = age_group
                    if theme is not None:
                        frame["theme"] = theme
                    self._start_future = loop.create_future()
                    await self._send_frame(frame, self._ws)
                    try:
                        return await self._start_future
                    except ServerError as exc:
                        if not (exc.code or "").startswith("pow_") or attempt == 2:
                            raise
                raise AssertionError("unreachable")  # pragma: no cover
        except ConnectionClosed as exc:
            await self._shutdown()
            raise ConnectionLostError("the connection closed before the chat started") from exc
        except BaseException:
            await self._shutdown()
            raise

    async def wait_joined(self, timeout: float | None = 30) -> str:
        """Wait until a counsellor has joined and return the name (may be empty).

        Returns at once if a counsellor is already with the visitor.
        """
        await self._wait_until(lambda: self.status in ("active", "ended") or self._stopped, timeout)
        if self.status == "active":
            return self.counsellor_name or ""
        raise self._why_unusable()

    async def send(self, text: str, *, timeout: float | None = 60) -> int:
        """Send a message, wait for its ack and return its ``seq``.

        If the connection drops before the ack, the reader reconnects, resumes and sends
        the message again with the same ``client_id``, so it is stored once. If
        ``timeout`` runs out the message may or may not have been stored.
        """
        self._check_usable()
        trimmed = text.strip()
        if not trimmed:
            raise ChatError("empty message", "empty_message")
        if len(trimmed) > self.max_length:
            raise ChatError(f"message longer than {self.max_length} characters", "message_too_long")
        async with self._send_lock:  # one message in flight at a time
            client_id = secrets.token_urlsafe(24)  # 32 characters, the limit is 40
            for attempt in range(1, 4):
                try:
                    return await self._send_and_wait(client_id, text, timeout)
                except ServerError as exc:
                    # Not stored: try again a little later, with the same client_id.
                    if exc.code != "rate_limited" or attempt == 3:
                        raise
                    await asyncio.sleep(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def wait_message(self, timeout: float | None = 30) -> Frame:
        """Return the next counsellor message not yet returned by this method.

        Messages come out in ``seq`` order. Raises ``ChatEndedError`` once the chat is
        over and every message has been returned, ``TimeoutError`` on timeout.
        """
        await self._wait_until(
            lambda: self._next_unreturned() is not None or self.status == "ended" or self._stopped,
            timeout,
        )
        message = self._next_unreturned()
        if message is None:
            raise self._why_unusable()
        self._returned += 1
        return message

    async def typing(self, active: bool) -> None:
        """Tell the counsellor the visitor is (not) typing. Best effort, not stored."""
        if self._ready and self._ws is not None and self.status != "ended":
            with contextlib.suppress(ConnectionClosed):
                await self._send_frame({"type": "typing", "active": active}, self._ws)

    async def drop(self) -> None:
        """For tests: cut the socket abruptly, as a dead tunnel would, without ending.

        The reader task notices, reconnects by itself and resumes with ``last_seq``, so
        messages sent while away are caught up; an unacked message is sent again.
        """
        ws = self._ws
        if ws is None:
            return
        self._ready = False  # new sends wait for the reconnect
        ws.transport.abort()
        await asyncio.sleep(0)

    async def end(self, *, timeout: float = 10) -> None:
        """End the chat (``end``, wait for ``ended``) and close the connection.

        If the connection is down, the ``end`` is sent after the reader has resumed.
        Safe to call more than once, and after the chat has ended.
        """
        try:
            if self.status in ("queued", "active") and not self._stopped:
                self._ending = True
                if self._ready and self._ws is not None:
                    with contextlib.suppress(ConnectionClosed):
                        await self._send_frame({"type": "end"}, self._ws)
                try:
                    await self._wait_until(lambda: self.status == "ended" or self._stopped, timeout)
                except TimeoutError:
                    logger.warning("no `ended` within %s s; closing anyway", timeout)
        finally:
            await self._shutdown()

    # ------------------------------------------------------------------ reader task

    async def _run(self) -> None:
        """Read frames until the chat is over; reconnect and resume after a drop."""
        try:
            while True:
                ws = self._ws
                assert ws is not None
                with contextlib.suppress(ConnectionClosed):
                    await self._read(ws)
                self._ready = False
                if self._closing or self.status == "ended":
                    return
                if ws.close_code == CLOSE_SUPERSEDED:
                    # The chat lives on another connection now: resuming here would only
                    # take it back from there, and each would close the other in turn.
                    logger.info("another connection took the chat over")
                    self._closing = True
                    self._token = None
                    self._fail(ChatSupersededError())
                    return
                if ws.close_code == CLOSE_FLOOD:
                    self._backoff = max(self._backoff, FLOOD_WAIT)
                if self._token is None:
                    # Dropped before `started` (or after `closed`): nothing to resume.
                    self._fail(ConnectionLostError("the connection closed"))
                    return
                logger.info("connection lost; reconnecting")
                if not await self._reconnect():
                    return
        except Exception as exc:  # a bug here must not leave callers waiting forever
            logger.exception("chat reader failed")
            self._fail(ConnectionLostError(f"chat reader failed: {exc!r}"))
        finally:
            self._notify()

    async def _read(self, ws: ClientConnection) -> None:
        """Handle frames from one connection.

        Also: a keep-alive ``ping`` after KEEPALIVE_SECONDS without a frame (no frame in
        the next KEEPALIVE_SECONDS either: the connection is dead), and a reconnect when
        a gap in ``seq`` stays open for GAP_SECONDS. Aborting the transport makes the
        next ``recv()`` raise ConnectionClosed, and _run() reconnects.
        """
        ping_sent = False
        last_frame = time.monotonic()
        while True:
            wait = KEEPALIVE_SECONDS
            if self._gap_since is not None:
                wait = min(wait, max(0.0, self._gap_since + GAP_SECONDS - time.monotonic()))
            try:
                raw = await asyncio.wait_for(ws.recv(), wait)
            except TimeoutError:
                now = time.monotonic()
                if self._gap_since is not None and now - self._gap_since >= GAP_SECONDS:
                    logger.info("seq %s is missing; resuming to catch up", self.last_seq + 1)
                    self._gap_since = now  # once per GAP_SECONDS at most
                    ws.transport.abort()
                elif now - last_frame < KEEPALIVE_SECONDS:
                    pass
                elif ping_sent:
                    logger.info("no answer to ping; taking the connection as dead")
                    ws.transport.abort()
                else:
                    await self._send_frame({"type": "ping"}, ws)
                    ping_sent = True
                    last_frame = now
                continue
            ping_sent = False
            last_frame = time.monotonic()
            frame = self._parse(raw)
            if frame is None:
                continue
            report = await self._handle(frame, ws)
            if report and self.on_event is not None:
                try:
                    self.on_event(frame)
                except Exception:
                    logger.exception("on_event callback failed")
            self._notify()

    async def _reconnect(self) -> bool:
        """Connect again with a growing delay and send ``resume``. False: gave up.

        The delay and the time away only start over once ``resumed`` has come, so a
        connection that opens but is refused again keeps backing off.
        """
        if self._down_since is None:
            self._down_since = time.monotonic()
        while not self._closing and self.status != "ended":
            if time.monotonic() - self._down_since > self.reconnect_limit:
                self._fail(ConnectionLostError("could not reconnect to the chat"))
                return False
            await asyncio.sleep(self._backoff)
            self._backoff = min(self._backoff * 2, BACKOFF_MAX)
            try:
                ws = await connect(self.url, **CONNECT_OPTIONS)
            except (OSError, TimeoutError, WebSocketException) as exc:
                logger.info("reconnect failed (%s); next try in %s s", exc, self._backoff)
                continue
            self._ws = ws
            self._conn_no += 1
            self._bucket.reset()
            self.reconnects += 1
            try:
                await self._send_frame(
                    {"type": "resume", "token": self._token, "last_seq": self.last_seq}, ws
                )
            except ConnectionClosed:
                continue
            return True
        return False

    # ------------------------------------------------------------------ frames

    @staticmethod
    def _parse(raw: str | bytes) -> Frame | None:
        if isinstance(raw, bytes):
            logger.warning("ignoring a binary frame from the server")
            return None
        try:
            frame = json.loads(raw)
        except ValueError:
            logger.warning("ignoring a frame that is not JSON")
            return None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            logger.warning("ignoring a frame without a string `type`")
            return None
        return frame

    async def _handle(self, frame: Frame, ws: ClientConnection) -> bool:
        """Apply one server frame to the state. False: a duplicate to keep quiet about."""
        kind = frame["type"]
        if kind == "started":
            self.session = frame.get("session")
            self._token = frame.get("token")
            self.max_length = int(frame.get("max_length") or DEFAULT_MAX_LENGTH)
            self.status = "queued"
            self._ready = True
            if self._start_future is not None and not self._start_future.done():
                self._start_future.set_result(int(frame["session"]))
        elif kind == "challenge":
            if self._challenge_future is not None and not self._challenge_future.done():
                self._challenge_future.set_result(frame)
        elif kind == "busy":
            self.status = "closed"
            self._closing = True  # no session was made: nothing to come back to
            if self._start_future is not None and not self._start_future.done():
                self._start_future.set_exception(
                    ChatBusyError(str(frame.get("phone") or ""), list(frame.get("hours") or []))
                )
            await ws.close()
        elif kind == "closed":
            self.status = "closed"
            self.next_open = frame.get("next_open")
            self._closing = True  # no session was made: nothing to come back to
            if self._start_future is not None and not self._start_future.done():
                self._start_future.set_exception(ChatClosedError(self.next_open))
            await ws.close()
        elif kind == "queue":
            self.status = "queued"
            self.counsellor_name = None
            self.queue_position = frame.get("position")
            self.wait_seconds = frame.get("wait_seconds")
        elif kind == "joined":
            self.status = "active"
            self.counsellor_name = frame.get("name") or ""
            self.queue_position = None
            self.wait_seconds = None
        elif kind == "resumed":
            self.session = frame.get("session", self.session)
            self.status = "active" if frame.get("status") == "active" else "queued"
            self._ready = True
            self._down_since = None
            self._backoff = BACKOFF_FIRST
            logger.info("chat resumed after seq %s", self.last_seq)
            # Re-send what was not acked, with the same client_id; finish ending.
            await self._transmit_pending()
            if self._ending:
                await self._send_frame({"type": "end"}, ws)
        elif kind == "message":
            return self._accept_message(frame)
        elif kind == "ack":
            seq = frame.get("seq")
            if _is_int(seq):
                self._mark_seen(seq)  # our own message: it fills its place in seq
            pending = self._pending
            if (
                pending is not None
                and frame.get("client_id") == pending.client_id
                and not pending.future.done()
                and _is_int(seq)
            ):
                pending.future.set_result(seq)
        elif kind == "typing":
            self.counsellor_typing = bool(frame.get("active"))
        elif kind == "ended":
            await self._mark_ended(frame.get("by"))
        elif kind == "error":
            await self._handle_error(ServerError(frame), ws)
        # `pong` and types this client does not know are ignored.
        return True

    def _accept_message(self, frame: Frame) -> bool:
        """Keep a new message; drop one whose seq we already have."""
        seq = frame.get("seq")
        if not _is_int(seq) or seq <= self.last_seq or seq in self._ahead:
            return False
        if frame.get("from") == "counsellor":
            self._held[seq] = frame
        self._mark_seen(seq)
        return True

    def _mark_seen(self, seq: int) -> None:
        """Record a seq; advance last_seq over every seq seen without a gap.

        Counsellor messages move from _held to ``received`` as last_seq passes them.
        """
        if seq <= self.last_seq or seq in self._ahead:
            return
        self._ahead.add(seq)
        advanced = False
        while self.last_seq + 1 in self._ahead:
            self.last_seq += 1
            self._ahead.discard(self.last_seq)
            advanced = True
            held = self._held.pop(self.last_seq, None)
            if held is not None:
                self.received.append(held)
        if not self._ahead:
            self._gap_since = None
        elif advanced or self._gap_since is None:
            self._gap_since = time.monotonic()  # a (new) gap just below _ahead

    async def _handle_error(self, error: ServerError, ws: ClientConnection) -> None:
        """Hand an error frame to the operation it belongs to (by its ``ref``)."""
        self.last_error = error
        ref, code = error.ref, error.code
        if code == "chat_ended" or (ref == "resume" and code == "unknown_session"):
            # Over while we were away (the system ends chats of visitors gone too long).
            await self._mark_ended("system" if ref == "resume" else None)
        elif ref == "start" and self._start_future and not self._start_future.done():
            if not (code or "").startswith("pow_"):  # pow_*: start() tries a new challenge
                self._closing = True  # no chat was started on this client
                await ws.close()
            self._start_future.set_exception(error)
        elif ref == "resume":
            # Could not resume on this connection: drop it, the reader tries again.
            logger.warning("resume refused: %s", error)
            ws.transport.abort()
        elif self._pending is not None and (
            error.frame.get("client_id") == self._pending.client_id
            or ("client_id" not in error.frame and ref in ("message", None))
        ):
            # Named by its client_id; or, without one (`rate_limited`, or an id the server
            # could not echo), the one message in flight.
            if not self._pending.future.done():
                self._pending.future.set_exception(error)
        else:
            logger.warning("%s", error)

    async def _mark_ended(self, by: str | None) -> None:
        """The chat is over: forget the token, fail waiting operations, close."""
        self.status = "ended"
        self.ended_by = by
        self._token = None
        self._ready = False
        self.counsellor_typing = False
        self._fail(ChatEndedError(by))
        if self._ws is not None:
            await self._ws.close()

    # ------------------------------------------------------------------ helpers

    async def _send_frame(self, frame: Frame, ws: ClientConnection) -> None:
        """Encode and send one frame, within the size and rate limits."""
        text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_FRAME_CHARS:
            raise ChatError(f"frame longer than {MAX_FRAME_CHARS} characters", "frame_too_large")
        await self._bucket.take()
        await ws.send(text)

    async def _send_and_wait(self, client_id: str, text: str, timeout: float | None) -> int:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        pending = _Pending(client_id, text, future)
        self._pending = pending
        try:
            await self._transmit_pending()
            async with asyncio.timeout(timeout):
                return await future
        finally:
            if self._pending is pending:
                self._pending = None

    async def _transmit_pending(self) -> None:
        """Send the pending message on the current connection, unless already sent there."""
        pending, ws = self._pending, self._ws
        if pending is None or pending.future.done() or ws is None or not self._ready:
            return  # the reader sends it after `resumed`
        if pending.sent_on == self._conn_no:
            return
        pending.sent_on = self._conn_no
        frame = {"type": "message", "text": pending.text, "client_id": pending.client_id}
        with contextlib.suppress(ConnectionClosed):  # the reader will reconnect and resend
            await self._send_frame(frame, ws)

    def _fail(self, error: ChatError) -> None:
        """Fail every operation waiting for the server."""
        if isinstance(error, ConnectionLostError):
            self._lost = error
        for future in (self._start_future, self._pending.future if self._pending else None):
            if future is not None and not future.done():
                future.set_exception(error)
        self._notify()

    def _notify(self) -> None:
        """Wake up everyone in _wait_until()."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._changed.wait()

    @property
    def _stopped(self) -> bool:
        return self._reader is None or self._reader.done()

    def _next_unreturned(self) -> Frame | None:
        if self._returned < len(self.received):
            return self.received[self._returned]
        return None

    def _why_unusable(self) -> ChatError:
        if self.status == "ended":
            return ChatEndedError(self.ended_by)
        if self.status == "closed":
            return ChatClosedError(self.next_open)
        if self._lost is not None:
            return self._lost
        if self.status == "new":
            return ChatError("the chat has not been started")
        return ConnectionLostError("the client is closed")

    def _check_usable(self) -> None:
        if self.status not in ("queued", "active") or self._stopped:
            raise self._why_unusable()
        if self._ending:
            raise ChatError("the chat is being ended")

    async def _shutdown(self) -> None:
        """Close the socket and stop the reader, without sending anything."""
        self._closing = True
        self._ready = False
        self._token = None
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        self._fail(ChatError("the client is closed"))


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------- command line


def plain(text: str) -> str:
    """Make text safe for a terminal: escape control and bidi characters, keep the rest.

    Message text is plain text; it must never be interpreted (no terminal escapes).
    """
    out = []
    for ch in text:
        bidi = "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
        if (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or bidi:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _stdin_lines() -> asyncio.Queue[str | None]:
    """Lines typed on stdin, read by a daemon thread; None at end of input."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        with contextlib.suppress(RuntimeError):  # the loop may be gone at exit
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\r\n"))
            loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    return lines


def _say(text: str) -> None:
    print(text, flush=True)


def _on_event(frame: Frame) -> None:
    kind = frame["type"]
    if kind == "queue":
        wait = frame.get("wait_seconds")
        about = f", about {round(wait / 60)} min" if isinstance(wait, int | float) else ""
        _say(f"[queue] you are number {frame.get('position')}{about}")
    elif kind == "joined":
        name = plain(str(frame.get("name") or "")) or "A counsellor"
        _say(f"[joined] {name} is with you")
    elif kind == "resumed":
        _say("[reconnected]")
    elif kind == "ended":
        _say(f"[ended by {frame.get('by')}]")


async def _print_messages(client: VisitorClient) -> None:
    while True:
        try:
            message = await client.wait_message(timeout=None)
        except ChatError:
            return
        name = plain(client.counsellor_name or "") or "Counsellor"
        _say(f"{name}: {plain(str(message.get('text', '')))}")


async def _cli(url: str, age_group: str | None, theme: str | None) -> int:
    client = VisitorClient(url, on_event=_on_event)
    try:
        session = await client.start(age_group=age_group, theme=theme)
    except ChatError as exc:
        _say(f"[not started] {exc}")
        return 2
    _say(f"[started] chat {session}. Type and press Enter to send; /end ends the chat.")
    lines = _stdin_lines()
    printer = asyncio.create_task(_print_messages(client))
    try:
        while client.status != "ended":
            getter = asyncio.ensure_future(lines.get())
            done, _ = await asyncio.wait({getter, printer}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:  # the chat is over (ended by the counsellor)
                getter.cancel()
                break
            line = getter.result()
            if line is None or line.strip() == "/end":
                break
            if not line.strip():
                continue
            try:
                await client.send(line)
            except ChatEndedError:
                break
            except (ChatError, TimeoutError) as exc:
                _say(f"[not sent] {exc}")
    finally:
        await client.end()
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chat with Hjelpelinje as a visitor.")
    parser.add_argument("url", help="visitor endpoint, e.g. ws://127.0.0.1:8000/ws/chat/visitor/")
    parser.add_argument("--age-group", help="age group code, e.g. 0-18")
    parser.add_argument("--theme", help="theme code")
    parser.add_argument("-v", "--verbose", action="store_true", help="log reconnects")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="[%(levelname)s] %(message)s",
        stream=sys.stderr,
    )
    try:
        return asyncio.run(_cli(args.url, args.age_group, args.theme))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
