"""Many chats flowing at once across real server processes, for the fault tests.

Each side of each chat is a client written from docs/chat-protocol.md: it sends a
message now and then, re-sends one that was not acknowledged (same `client_id`, as the
protocol says is always safe), and does nothing else. What each side was shown is
recorded by `seq`, so a test can compare it with what the database holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import World


@dataclass
class Side:
    """One end of one chat: a visitor's socket or a console's."""

    ws: ClientConnection
    session: int | None = None  # only a console names the chat in its frames
    shown: dict[int, set[int]] = field(default_factory=dict)  # chat -> seqs seen
    acks: dict[str, asyncio.Future[int]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)  # client ids acknowledged
    reader: asyncio.Task[None] | None = None

    def see(self, session: int, seq: int) -> None:
        self.shown.setdefault(session, set()).add(seq)

    async def read(self, session_of: dict[int, int] | None = None) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                session = frame.get("session", self.session)
                if kind == "message":
                    self.see(session, frame["seq"])
                elif kind in ("state", "assigned"):
                    for chat in frame.get("chats") or [frame.get("chat")]:
                        for message in chat["messages"]:
                            self.see(chat["session"], message["seq"])
                elif kind == "ack":
                    self.see(session, frame["seq"])
                    waiter = self.acks.pop(frame["client_id"], None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(frame["seq"])
                elif kind == "error" and frame.get("client_id") in self.acks:
                    waiter = self.acks.pop(frame["client_id"])
                    if not waiter.done():
                        waiter.set_exception(RuntimeError(frame["code"]))

    async def say(self, session: int, text: str, cid: str, console: bool) -> None:
        """Send until acknowledged, as the protocol allows (same client_id each time)."""
        frame: dict[str, Any] = {"type": "message", "text": text, "client_id": cid}
        if console:
            frame["session"] = session
        delay = 0.25
        while True:
            waiter: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            self.acks[cid] = waiter
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps(frame))
                await asyncio.wait_for(waiter, 5)
                self.sent.append(cid)
                return
            self.acks.pop(cid, None)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2)


@dataclass
class Chat:
    session: int
    visitor: Side
    console: Side


async def _until(ws: ClientConnection, kind: str, timeout: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame: dict[str, Any] = json.loads(await ws.recv())
            if frame["type"] == kind:
                return frame


def staff_socket(port: int, session_key: str) -> Any:
    return connect(
        f"ws://127.0.0.1:{port}/staff/ws/chat/",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        additional_headers={"Cookie": f"sessionid={session_key}"},
    )


async def open_chats(
    w: World, ports: list[int], count: int, stack: contextlib.AsyncExitStack
) -> list[Chat]:
    """`count` answered chats; visitors on one process, their consoles on the other.

    One console per counsellor session, each taking `count / counsellors` chats."""
    consoles = []
    for index, key in enumerate(w.sessions):
        ws = await stack.enter_async_context(staff_socket(ports[(index + 1) % 2], key))
        await _until(ws, "state")
        consoles.append(ws)
    chats = []
    for index in range(count):
        # Each visitor from an address of its own (uvicorn trusts the header from
        # 127.0.0.1), so that the per-client start limit does not turn them away.
        v = await stack.enter_async_context(
            connect(
                f"ws://127.0.0.1:{ports[index % 2]}/ws/chat/visitor/",
                additional_headers={"X-Forwarded-For": f"198.51.100.{index + 1}"},
            )
        )
        await v.send(json.dumps(start_frame()))
        session = (await _until(v, "started"))["session"]
        c = consoles[index % len(consoles)]
        await c.send(json.dumps({"type": "take"}))
        assigned = await _until(c, "assigned")
        assert assigned["chat"]["session"] == session
        await _until(v, "joined")
        chats.append(Chat(session, Side(v), Side(c)))
    # A console's socket is shared by its chats: one reader for each socket.
    readers: dict[int, Side] = {}
    for chat in chats:
        sock = id(chat.console.ws)
        chat.console = readers.setdefault(sock, chat.console)
        chat.visitor.session = chat.session
    for side in {id(s): s for c in chats for s in (c.visitor, c.console)}.values():
        side.reader = asyncio.ensure_future(side.read())
        stack.callback(side.reader.cancel)
    return chats


async def talk(chats: list[Chat], seconds: float, every: float = 1.0) -> None:
    """Both sides of every chat write every `every` seconds for `seconds`."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds

    async def one(chat: Chat, side: Side, console: bool) -> None:
        n = 0
        while loop.time() < end:
            n += 1
            who = "c" if console else "v"
            await side.say(chat.session, f"{who} {n}", f"{who}-{chat.session}-{n}", console)
            await asyncio.sleep(every)

    await asyncio.gather(
        *(one(c, side, side is c.console) for c in chats for side in (c.visitor, c.console))
    )


def stored(database_url: str, chats: list[Chat]) -> dict[int, int]:
    """Each chat's latest message number, as the database has it."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT id, last_seq FROM chat_chatsession WHERE id = ANY(%s)",
            [[c.session for c in chats]],
        ).fetchall()
    return dict(rows)


def missing(chats: list[Chat], latest: dict[int, int]) -> dict[str, int]:
    """How many stored messages each side has not been shown."""
    gone = {"visitor": 0, "console": 0}
    for chat in chats:
        everything = set(range(1, latest[chat.session] + 1))
        gone["visitor"] += len(everything - chat.visitor.shown.get(chat.session, set()))
        gone["console"] += len(everything - chat.console.shown.get(chat.session, set()))
    return gone
