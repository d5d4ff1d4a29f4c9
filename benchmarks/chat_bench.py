"""Chat benchmark: N concurrent chats on one uvicorn process with Redis and PostgreSQL.

Visitors and counsellors are real WebSocket clients (the `websockets` package) in this
process. Every chat sends one message every INTERVAL seconds, alternating visitor and
counsellor; the delivery latency is the time from a client sending a message to the other
side receiving it (stored in PostgreSQL, then delivered through Redis). The same clients
then hit, at the same message rate, the honest reference: an echo on the same stack
(uvicorn + Channels) that stores each frame with one INSERT in PostgreSQL and relays it
through the Redis channel layer, the same work with none of the product. A bare echo and
an echo through Redis without the database follow, so the chat's own cost can be read off
side by side. Every server runs with the loop probe (`benchmarks/loop_probe.py`), which
gives the longest event-loop stall and the garbage collector's pauses while messages flow.

    python -m benchmarks chat            # N from CHAT_BENCH_N, default 1000
Environment: CHAT_BENCH_N, CHAT_BENCH_SECONDS (default 30), CHAT_BENCH_INTERVAL (5),
CHAT_BENCH_ECHOES (default 1; 0 runs only the chat and the store-and-relay reference),
BENCH_DATABASE_URL (the chat's database is `<its name>_chat` on that server),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/6; the server's own REDIS_PREFIX keeps it
apart from anyone else's). `--scale` below 1 runs fewer chats for a shorter time (0.01: ten
chats for a few seconds), enough to prove every address and step still works.
Figures, but a run in which no message arrives fails.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import loop_probe
from benchmarks.registry import benchmark

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N = int(os.environ.get("CHAT_BENCH_N", "1000"))
SECONDS = float(os.environ.get("CHAT_BENCH_SECONDS", "30"))
INTERVAL = float(os.environ.get("CHAT_BENCH_INTERVAL", "5"))
ECHOES = os.environ.get("CHAT_BENCH_ECHOES", "1") != "0"
PER_COUNSELLOR = 20
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")

SETUP = """
from hjelpelinje.chat.models import ChatSettings
ChatSettings.objects.update_or_create(
    pk=1,
    defaults={{
        "max_chats_per_counsellor": {per_counsellor},
        "unanswered_seconds": 3600,
        # Each counsellor's console fills its chats at once, so up to one chat per
        # counsellor waits at a time: more than the default cap on the queue.
        "max_queue": {max_queue},
    }},
)
"""


def _database_url() -> str:
    """A migrated, empty database of its own on the bench server (benchmarks/db.py)."""
    from benchmarks.db import _db_name, migrated_database, url_of

    name = f"{_db_name()}_chat"
    migrated_database(name)
    return url_of(name)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    if not latencies:
        return {"messages": 0, "p50_ms": float("nan"), "p99_ms": float("nan"), "per_s": 0}
    ordered = sorted(latencies)
    return {
        "messages": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
        "per_s": len(ordered) / elapsed,
    }


async def _recv_json(ws: Any) -> dict[str, Any]:
    return json.loads(await ws.recv())  # type: ignore[no-any-return]


async def _until(ws: Any, kind: str, timeout: float = 60) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame = await _recv_json(ws)
            if frame["type"] == kind:
                return frame


async def _gather_batched(coros: list[Any], batch: int = 50) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(coros), batch):
        out.extend(await asyncio.gather(*coros[i : i + batch]))
    return out


async def _chat_run(port: int, sessions: list[str]) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    base = f"ws://127.0.0.1:{port}"
    latencies: list[float] = []
    lost = 0

    async def open_visitor() -> tuple[Any, int]:
        from hjelpelinje.chat.tests.proof import solve

        ws = await connect(f"{base}/ws/chat/visitor/", max_queue=None, open_timeout=180)
        # A start needs a proof of work, as from a visitor's page (tiny under test_settings).
        await ws.send(json.dumps({"type": "challenge"}))
        pow = solve(await _until(ws, "challenge"))
        await ws.send(json.dumps({"type": "start", "pow": pow}))
        return ws, (await _until(ws, "started"))["session"]

    async def open_staff(key: str) -> Any:
        return await connect(
            f"{base}/staff/ws/chat/",
            origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
            additional_headers={"Cookie": f"sessionid={key}"},
            max_queue=None,
            open_timeout=180,
        )

    t0 = time.perf_counter()
    staff = await _gather_batched([open_staff(k) for k in sessions])
    for ws in staff:
        await _until(ws, "state")
        await ws.send(json.dumps({"type": "presence", "status": "available"}))
    by_session: dict[int, Any] = {}
    owner: dict[int, Any] = {}

    async def fill(ws: Any, count: int) -> None:
        # Chats arrive and are taken one after another, so the queue stays short, as it
        # does at a helpline; the thousand chats then run at the same time.
        retries = 0
        for _ in range(count):
            visitor, sid = await open_visitor()
            by_session[sid] = visitor
            await ws.send(json.dumps({"type": "take"}))
            while True:
                frame = await _recv_json(ws)
                if frame["type"] == "assigned":
                    owner[frame["chat"]["session"]] = ws
                    break
                if frame["type"] == "error" and frame.get("ref") == "take":
                    if frame["code"] != "queue_empty" or retries > 100:
                        raise RuntimeError(f"take refused: {frame['code']}")
                    # The chat just started may not be in the queue this console sees yet.
                    retries += 1
                    await asyncio.sleep(0.05)
                    await ws.send(json.dumps({"type": "take"}))

    counts = [N // len(staff) + (1 if i < N % len(staff) else 0) for i in range(len(staff))]
    await asyncio.gather(*(fill(ws, n) for ws, n in zip(staff, counts, strict=True)))
    setup = time.perf_counter() - t0
    assert len(owner) == N, f"only {len(owner)} of {N} chats were taken"

    sent_at: dict[str, float] = {}
    by_side: tuple[list[float], list[float]] = ([], [])
    stop = asyncio.Event()

    async def reader(ws: Any) -> None:
        nonlocal lost
        try:
            while True:
                frame = await _recv_json(ws)
                if frame["type"] == "message":
                    key = frame["text"].split(" ", 1)[0]
                    at = sent_at.pop(key, None)
                    if at is not None:
                        latencies.append(time.perf_counter() - at)
                        # Even turns are the visitor's, odd ones the counsellor's.
                        by_side[int(key.rsplit("-", 1)[1]) % 2].append(latencies[-1])
        except Exception:
            return

    async def talk(sid: int) -> None:
        sides = [(by_session[sid], {}), (owner[sid], {"session": sid})]
        await asyncio.sleep(random.uniform(0, INTERVAL))
        turn = 0
        while not stop.is_set():
            ws, extra = sides[turn % 2]
            key = f"{sid}-{turn}"
            sent_at[key] = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": f"{key} hei", **extra}))
            turn += 1
            await asyncio.sleep(INTERVAL)

    readers = [asyncio.ensure_future(reader(ws)) for ws in [*by_session.values(), *staff]]
    await asyncio.to_thread(loop_probe.read, port, True)  # the stalls of setup don't count
    talkers = [asyncio.ensure_future(talk(sid)) for sid in by_session]
    start = time.perf_counter()
    await asyncio.sleep(SECONDS)
    stop.set()
    await asyncio.gather(*talkers)
    await asyncio.sleep(2)  # let the last messages land
    elapsed = time.perf_counter() - start
    probe = await asyncio.to_thread(loop_probe.read, port)
    lost = len(sent_at)
    for task in readers:
        task.cancel()
    for ws in [*by_session.values(), *staff]:
        await ws.close()
    sides = {
        side: _summary(part, elapsed - 2)
        for side, part in zip(("from visitor", "from counsellor"), by_side, strict=True)
    }
    return {
        "setup_s": setup,
        "lost": lost,
        "probe": probe,
        "sides": sides,
        **_summary(latencies, elapsed - 2),
    }


async def _echo_run(port: int, route: str) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    clients = await _gather_batched(
        [
            connect(f"ws://127.0.0.1:{port}{route}", max_queue=None, open_timeout=180)
            for _ in range(N)
        ]
    )
    stop = asyncio.Event()

    async def reader(ws: Any) -> None:
        try:
            while True:
                key = json.loads(await ws.recv())["text"].split(" ", 1)[0]
                at = sent_at.pop(key, None)
                if at is not None:
                    latencies.append(time.perf_counter() - at)
        except Exception:
            return

    async def talk(i: int, ws: Any) -> None:
        await asyncio.sleep(random.uniform(0, INTERVAL))
        turn = 0
        while not stop.is_set():
            key = f"{i}-{turn}"
            sent_at[key] = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": f"{key} hei"}))
            turn += 1
            await asyncio.sleep(INTERVAL)

    readers = [asyncio.ensure_future(reader(ws)) for ws in clients]
    await asyncio.to_thread(loop_probe.read, port, True)
    talkers = [asyncio.ensure_future(talk(i, ws)) for i, ws in enumerate(clients)]
    start = time.perf_counter()
    await asyncio.sleep(SECONDS)
    stop.set()
    await asyncio.gather(*talkers)
    await asyncio.sleep(2)
    elapsed = time.perf_counter() - start
    probe = await asyncio.to_thread(loop_probe.read, port)
    for task in readers:
        task.cancel()
    for ws in clients:
        await ws.close()
    return {"lost": len(sent_at), "probe": probe, **_summary(latencies, elapsed - 2)}


def run() -> dict[str, Any]:
    """Run the chat and the echo side by side; print and return the figures."""
    from hjelpelinje.chat.tests.server import World

    database_url = _database_url()
    counsellors = -(-N // PER_COUNSELLOR)
    print(
        f"chat benchmark: {N} chats, {counsellors} counsellors, 1 uvicorn process, "
        f"Redis + PostgreSQL, a message every {INTERVAL:g} s per chat for {SECONDS:g} s"
    )
    world = World(
        counsellors=counsellors,
        redis_url=REDIS_URL,
        database_url=database_url,
        setup=SETUP.format(per_counsellor=PER_COUNSELLOR, max_queue=max(30, N)),
        DATABASE_CONN_MAX_AGE="600",
    )
    _create_reference_table(database_url)
    runs: dict[str, dict[str, Any]] = {}
    # The load generator's own collections would add their pauses to every latency here,
    # the reference's as much as the chat's; so it collects rarely while it measures.
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        # The chat and the reference one after the other, so the two figures that are
        # compared see the same machine; the bare echoes after them.
        chat_port = world.serve("benchmarks.chat_probed_asgi:application")
        base_rss = _rss_mb(world.pid(0))
        runs["chat"] = asyncio.run(_chat_run(chat_port, world.sessions))
        runs["chat"]["idle_rss_mb"] = base_rss
        echoes = [("store+relay", "/ws/store-relay/")]
        if ECHOES:
            echoes += [("echo", "/ws/echo/"), ("echo+Redis", "/ws/echo-layer/")]
        for name, route in echoes:
            runs[name] = asyncio.run(
                _echo_run(world.serve("benchmarks.chat_echo_asgi:probed_application"), route)
            )
        for index, r in enumerate(runs.values()):
            r["peak_rss_mb"] = _peak_rss_mb(world.pid(index))
    finally:
        world.close()
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    _print(runs)
    for name, r in runs.items():
        if not r["messages"]:
            raise RuntimeError(f"{name}: no message arrived in {SECONDS:g} s")
    chat, ref = runs["chat"], runs["store+relay"]
    print(
        f"chat against store+relay: p50 {chat['p50_ms'] / ref['p50_ms']:.1f}x, "
        f"p99 {chat['p99_ms'] / ref['p99_ms']:.1f}x"
    )
    if ECHOES:
        print(
            f"chat p99 / echo p99: {chat['p99_ms'] / runs['echo']['p99_ms']:.1f}x; "
            f"chat p99 / echo-through-Redis p99: "
            f"{chat['p99_ms'] / runs['echo+Redis']['p99_ms']:.1f}x"
        )
    print(
        "chat by sender: "
        + "; ".join(
            f"{side} p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
            for side, r in chat["sides"].items()
        )
    )
    print(
        f"chat setup (connect {N} visitors, take {N} chats): {chat['setup_s']:.1f} s; "
        f"server RSS idle {chat['idle_rss_mb']:.0f} MB"
    )
    for kind, key in (("wall clock", "worst"), ("CPU", "worst_cpu")):
        if worst := chat["probe"][key]:
            print(
                f"chat's longest stalls by {kind} (s into the run: ms): "
                + ", ".join(f"{at:.1f}: {ms:.1f}" for at, ms in sorted(worst))
            )
    return {"n": N, **runs}


def _create_reference_table(database_url: str) -> None:
    import psycopg

    from benchmarks.chat_echo_asgi import CREATE_TABLE

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(CREATE_TABLE)


def _print(runs: dict[str, dict[str, Any]]) -> None:
    """Latency per server, then its event loop's stalls and GC pauses while messages flowed:
    by the wall clock (what a waiting message sees, the machine's noise included) and by
    the CPU time of the loop's thread (the work the server itself did)."""
    print(
        f"{'':12}{'messages':>9}{'msg/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'lost':>5}"
        f"{'peak RSS MB':>12}{'CPU ms/msg':>11}"
    )
    for name, r in runs.items():
        cpu = r["probe"]["cpu_s"] * 1000 / max(1, r["messages"])
        print(
            f"{name:12}{r['messages']:>9}{r['per_s']:>7.0f}{r['p50_ms']:>8.1f}"
            f"{r['p99_ms']:>8.1f}{r['lost']:>5}{r['peak_rss_mb']:>12.0f}{cpu:>11.2f}"
        )
    print(
        f"{'loop stalls':12}{'longest ms':>11}{'>5 ms':>6}{'CPU ms':>8}{'>5 ms':>6}"
        f"{'GC longest ms':>14}{'(CPU)':>7}{'GC all ms':>10}  GC runs gen 0/1/2"
    )
    for name, r in runs.items():
        p = r["probe"]
        gc = p["gc"].values()
        print(
            f"{name:12}{p['longest_stall_ms']:>11.1f}{p['stalls_over_5ms']:>6}"
            f"{p['longest_cpu_stall_ms']:>8.1f}{p['cpu_stalls_over_5ms']:>6}"
            f"{max(g['max_ms'] for g in gc):>14.1f}{max(g['max_cpu_ms'] for g in gc):>7.1f}"
            f"{sum(g['total_ms'] for g in gc):>10.1f}  "
            + "/".join(str(p["gc"][g]["count"]) for g in ("0", "1", "2"))
            + f"  (tracked {p['gc_tracked']}, frozen {p['gc_frozen']})"
        )


@benchmark(
    "chat",
    "N concurrent chats on one uvicorn process with Redis, beside a store-and-relay echo",
)
def _registered(scale: float) -> None:
    global N, SECONDS, INTERVAL
    if scale < 1:
        # Fewer chats for a shorter time, each still sending several messages.
        N = max(2, round(N * scale))
        SECONDS = max(3.0, SECONDS * scale)
        INTERVAL = min(INTERVAL, SECONDS / 3)
    run()


if __name__ == "__main__":
    from benchmarks.__main__ import main

    sys.exit(main(["chat"]))
