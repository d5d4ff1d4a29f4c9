"""Work every server process does beside its sockets: the coalesced queue broadcast, and
every few seconds the tidy-up (unanswered chats back to the queue, chats of visitors long
gone ended, lost live frames made good from the database, and vouching for this process's
visitor sockets, so that those of a process that died are noticed)."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Coroutine
from functools import partial
from typing import Any, Protocol

from django.conf import settings

from hjelpelinje.chat import selectors, services
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.groups import QUEUE, STAFF, staff_group, visitor_group

logger = logging.getLogger(__name__)

QUEUE_COALESCE = 0.2
# A broadcast that failed is tried again, waiting twice as long each time up to this.
QUEUE_RETRY_MAX = 5.0
_queue_broadcast: asyncio.Future[None] | None = None
# A change the running broadcast may not have read yet: it sends once more.
_queue_changed = False


def _running(task: asyncio.Future[None] | None) -> bool:
    """Whether `task` is still at work on this event loop."""
    return task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop()


def _in_background(work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    """Start process-wide work that outlives the socket that happened to start it.

    A task inherits the context it was started from, and with it that socket's executor for
    database calls; once the socket is gone every call of the task fails ("CurrentThread-
    Executor already quit"), for as long as the task runs. An empty context gives it the
    process's own.
    """
    return asyncio.get_running_loop().create_task(work, context=contextvars.Context())


def broadcast_queue(layer: Any) -> None:
    """Tell consoles and waiting visitors that the queue changed.

    Changes within QUEUE_COALESCE seconds share one broadcast per process: a busy moment
    (many chats starting or being taken) then costs a few fan-outs, not one per change,
    and every position is still at most that much behind. A change made while a broadcast
    is already reading or sending the queue is not in what it read, so that broadcast goes
    round once more: no change is ever left untold (a visitor who started then would
    otherwise never hear her place).
    """
    global _queue_broadcast, _queue_changed
    _queue_changed = True
    if not _running(_queue_broadcast):
        _queue_broadcast = _in_background(_send_queue(layer))


async def _send_queue(layer: Any) -> None:
    global _queue_changed
    # No await between the last check and the end: a change is either seen here or
    # starts a new broadcast (the event loop runs one coroutine at a time).
    delay = QUEUE_COALESCE
    while _queue_changed:
        await asyncio.sleep(delay)
        _queue_changed = False
        if await _send_queue_once(layer):
            delay = QUEUE_COALESCE
        else:
            # Not sent (the database busy or away, Redis gone): the consoles would keep a
            # stale queue until the next change, so it goes round again, a little later.
            _queue_changed = True
            delay = min(delay * 2, QUEUE_RETRY_MAX)


async def _send_queue_once(layer: Any) -> bool:
    """Send the queue once; False (and logged) if it could not be read or sent."""
    try:
        items = await db(selectors.chat_queue)()
        available = await db(selectors.chat_available_count)()
        per_position = await db(selectors.chat_wait_per_position)(available=available)
        await layer.group_send(STAFF, {"type": "relay", "frame": {"type": "queue", "items": items}})
        event: dict[str, Any] = {
            "type": "queue.update",
            "ids": [i["session"] for i in items],
            "per_position": per_position,
            "available": available,
        }
        if not available:
            # Nobody to answer: the waiting visitors are told so, with the phone instead.
            event["phone"] = settings.HJELPELINJE_PHONE_NUMBER
            week = await db(selectors.chat_phone_hours)()
            event["hours"] = [{"days": str(d), "hours": str(h)} for d, h in week]
        await layer.group_send(QUEUE, event)
    except Exception:
        logger.exception("queue broadcast failed")
        return False
    return True


# Chats taken but left unanswered go back to the queue, and chats whose visitor left long
# ago end, even when no console that took them is open: every server process with chat
# sockets looks every TIDY_EVERY seconds (the services make sure only one acts on each).
TIDY_EVERY = 5.0
_tidy: asyncio.Task[None] | None = None


def keep_tidy(layer: Any) -> None:
    global _tidy
    if not _running(_tidy):
        _tidy = _in_background(_tidy_forever(layer))


async def _tidy_forever(layer: Any) -> None:
    while True:
        await asyncio.sleep(TIDY_EVERY)
        # Each on its own: catching up needs no Redis, so it goes on while Redis is away.
        for step in (
            partial(_presence_expire, layer),
            partial(_vouch, layer),
            partial(_unseen, layer),
            partial(_requeue_and_sweep, layer),
            _catch_up,
            _heal_ended,
        ):
            try:
                await step()
            except Exception:
                logger.exception("chat tidy-up failed")


# How often this process vouches for its consoles (selectors.PRESENCE_UNSEEN_AFTER is how
# long an account's consoles count as open without it).
PRESENCE_SEEN_EVERY = 60.0
_presence_vouched: dict[asyncio.AbstractEventLoop, float] = {}


async def _presence_expire(layer: Any) -> None:
    """Counsellors without a console for longer than the grace time are away now: their
    colleagues' consoles and the waiting visitors hear it. First this process vouches for
    the consoles open in it, so that those of a process that died are noticed."""
    loop = asyncio.get_running_loop()
    last = _presence_vouched.get(loop)
    if last is None or loop.time() - last >= PRESENCE_SEEN_EVERY:
        _presence_vouched.clear()  # one loop per process (tests run several in turn)
        _presence_vouched[loop] = loop.time()
        users = {u for s in list(_sockets) if s.loop is loop and (u := s.console_of()) is not None}
        await db(services.chat_presence_seen)(user_ids=sorted(users))
    if await db(services.chat_presence_expire)():
        await broadcast_presence(layer)


async def broadcast_presence(layer: Any) -> None:
    """Tell every console who is available now (its `colleagues`); each console then has
    the waiting visitors' estimate sent again (StaffConsumer.presence_changed)."""
    colleagues = await db(selectors.chat_available_colleagues)()
    await layer.group_send(STAFF, {"type": "presence.changed", "colleagues": colleagues})


# How often this process vouches for its visitor sockets (services.VISITOR_UNSEEN_AFTER
# is how long a visitor nobody vouches for still counts as there).
VISITOR_SEEN_EVERY = 30.0
_vouched: dict[asyncio.AbstractEventLoop, float] = {}


async def _vouch(layer: Any) -> None:
    """Tell the database which visitor sockets are open in this process."""
    loop = asyncio.get_running_loop()
    last = _vouched.get(loop)
    if last is not None and loop.time() - last < VISITOR_SEEN_EVERY:
        return
    _vouched.clear()  # one loop per process (tests run several, one after the other)
    _vouched[loop] = loop.time()
    chats = [c for s in list(_sockets) if s.loop is loop and (c := s.visitor_chat()) is not None]
    if not chats:
        return
    for session_id in await db(services.chat_visitors_seen)(chats=chats):
        frame = {"type": "visitor", "session": session_id, "connected": True}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})


async def _unseen(layer: Any) -> None:
    """Visitors whose socket no process vouches for any more are gone: tell the consoles."""
    gone = await db(services.chat_visitors_unseen)()
    for session_id in gone:
        frame = {"type": "visitor", "session": session_id, "connected": False}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})
    if gone:
        broadcast_queue(layer)


async def _requeue_and_sweep(layer: Any) -> None:
    requeued = await db(services.chat_requeue_overdue)()
    for session_id in requeued:
        frame = {"type": "unassigned", "session": session_id, "reason": "timeout"}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})
        await layer.group_send(visitor_group(session_id), {"type": "session.requeued"})
    ended = await db(services.chat_sweep)()
    for session_id in ended:
        url = await db(selectors.chat_inquiry_url_of)(session_id)
        frame = {"type": "ended", "session": session_id, "by": "system", "register_url": url}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})
    if requeued or ended:
        broadcast_queue(layer)


class LiveSocket(Protocol):
    """What the tidy-up needs of a socket (sockets/base.py's JsonConsumer is one). Said here,
    so that this module never imports the consumers that use it: the layers read one way."""

    loop: asyncio.AbstractEventLoop
    delivered: dict[int, int]

    def visitor_chat(self) -> tuple[int, str] | None: ...
    def console_of(self) -> int | None: ...
    def lagging(self, latest: dict[int, int]) -> list[int]: ...
    async def fill(self, session_id: int, latest: int) -> None: ...
    async def heard_ended(self, frame: dict[str, Any]) -> None: ...


# The sockets of this process, so a lost live frame can be found and made good.
_sockets: set[LiveSocket] = set()


def track(sock: LiveSocket) -> None:
    """An open socket of this process: vouched for, counted as a console, caught up."""
    _sockets.add(sock)


def untrack(sock: LiveSocket) -> None:
    _sockets.discard(sock)


# How many sockets the catch-up looks at before letting the event loop run other work.
CATCH_UP_CHUNK = 250


def _followed() -> tuple[list[LiveSocket], list[int]]:
    """This process's sockets that follow a chat, and the chats they follow."""
    loop = asyncio.get_running_loop()
    sockets = [s for s in _sockets if s.loop is loop and s.delivered]
    return sockets, list({session for s in sockets for session in s.delivered})


async def _catch_up() -> None:
    """Give each socket the messages its chats have that it was never sent.

    Live delivery goes through the channel layer, which can lose a frame (Redis gone for a
    moment, a socket subscribed a moment too late). The database has every message, so
    every few seconds each chat's latest number is compared with what each socket of this
    process has been given, and a gap that lasts is filled from the database.
    """
    sockets, sessions = _followed()
    if not sessions:
        return
    latest = await db(selectors.chat_last_seqs)(sessions)
    # One pass over a thousand sockets is a millisecond or two of lookups (`lagging`);
    # it still yields now and then, so live frames never wait behind the whole pass.
    for count, sock in enumerate(sockets, 1):
        if count % CATCH_UP_CHUNK == 0:
            await asyncio.sleep(0)
        if sock in _sockets:  # not gone meanwhile
            for session_id in sock.lagging(latest):
                await sock.fill(session_id, latest[session_id])


async def _heal_ended() -> None:
    """Tell each socket that a chat it follows has ended, when its live `ended` was lost.

    A chat is ended in the database first; the `ended` frames go out through the channel
    layer after, and with Redis away they are lost (the visitor's page, or the counsellor's
    console, would show the chat going on for ever). A socket follows only chats that have
    not ended (a manager cannot read along with an ended one), so a followed chat that has
    ended, and did so more than a tidy-up round ago (its live frame would have come by
    now), is one whose end the socket never heard.
    """
    sockets, sessions = _followed()
    if not sessions:
        return
    ended = await db(selectors.chat_ended_before)(sessions, seconds=TIDY_EVERY)
    for session_id, by in ended.items():
        url = await db(selectors.chat_inquiry_url_of)(session_id)
        frame = {"type": "ended", "session": session_id, "by": by, "register_url": url}
        for sock in sockets:
            if sock in _sockets and session_id in sock.delivered:
                await sock.heard_ended(frame)
