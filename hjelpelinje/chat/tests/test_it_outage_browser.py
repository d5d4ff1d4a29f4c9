"""The visitor's page and the counsellor's console in Chromium, on two server processes,
while Redis and then PostgreSQL are stopped for real and both keep writing.

What each writer sees is the pages' own text: a message says "sendes …" until the server
has stored it, then "levert" (docs/chat-protocol.md). Afterwards both pages show every
stored message exactly once, in the database's order: none lost, none doubled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from hjelpelinje.chat.tests.server import World
from hjelpelinje.chat.tests.test_it_browser import PHONE
from hjelpelinje.core.tests.private_services import own_postgres, own_redis

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.postgres]

SENDING = "sendes …"
DELIVERED = "levert"
# The README's catch-up promise (ten seconds), and a margin for a loaded test machine.
CATCH_UP = 15.0

# What a page's log shows: (who wrote, the text, the note on it: "sendes …", "levert" or "").
SHOWN = """els => els.map(e => [
    e.classList.contains('msg-visitor') ? 'visitor' : 'counsellor',
    e.querySelector('p').textContent,
    (e.querySelector('.sending') || {textContent: ''}).textContent])"""
VISITOR_LOG = "#log li.msg-visitor, #log li.msg-counsellor"
CONSOLE_LOG = "article.chat ol.log li.msg"


def shown(page: Any, selector: str) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in page.eval_on_selector_all(selector, SHOWN)]


def until(what: Callable[[], bool], timeout: float, why: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            raise AssertionError(why())
        time.sleep(0.25)


def stored_senders(pg_url: str) -> list[str]:
    """Who wrote each message the database holds, in the chat's order (the text is
    encrypted there; the pages are compared with each other for it)."""
    with psycopg.connect(pg_url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute("SELECT sender FROM chat_chatmessage ORDER BY seq").fetchall()
    return [sender for (sender,) in rows]


def test_every_message_written_through_a_redis_and_a_database_outage_is_shown_once(
    browser: Any,
) -> None:
    with own_redis() as cache, own_postgres() as pg:
        w = World(
            counsellors=1, static=True, redis_url=cache.url, database_url=pg.url, migrated=True
        )
        try:
            visitor_base = f"http://127.0.0.1:{w.serve()}"
            console_base = f"http://127.0.0.1:{w.serve()}"
            staff = browser.new_context(viewport={"width": 1100, "height": 900})
            staff.add_cookies([{"name": "sessionid", "value": w.sessions[0], "url": console_base}])
            console = staff.new_page()
            console.goto(f"{console_base}/staff/chat/console/")
            console.select_option("#presence", "available")
            visitor = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
            visitor.goto(f"{visitor_base}/chat/")
            visitor.get_by_role("button", name="Jeg forstår – gå videre").click()
            visitor.get_by_role("button", name="Start chat").click()
            console.get_by_text("Kø (1)").wait_for()
            console.get_by_role("button", name="Ta neste chat").click()
            visitor.get_by_text("En rådgiver er her").wait_for()
            box = console.locator("article.chat")
            written: list[tuple[str, str]] = []

            def from_visitor(text: str) -> None:
                visitor.fill("#text", text)
                visitor.click("#send")
                written.append(("visitor", text))

            def from_counsellor(text: str) -> None:
                box.locator("textarea").first.fill(text)
                box.get_by_role("button", name="Send").click()
                written.append(("counsellor", text))

            def notes(page: Any, selector: str, who: str) -> dict[str, str]:
                return {text: note for side, text, note in shown(page, selector) if side == who}

            from_counsellor("Hei, du snakker med Kari.")
            from_visitor("Hei")

            # Redis away: live delivery pauses, storing does not. Each writer's message
            # is stored and says so; the other side is shown it once Redis is back.
            cache.stop()
            from_visitor("Jeg er redd for å reise i sommer")
            from_counsellor("Hvem er det du skal reise med?")
            from_visitor("Familien min")
            from_counsellor("Vil du fortelle mer?")
            time.sleep(2)
            cache.start()

            # PostgreSQL away: nothing can be stored, so each message stays "on its way"
            # and goes again, with the same client_id, until the server has it.
            pg.stop()
            during = [
                ("visitor", "De sier det er ferie, men jeg tror det er noe mer"),
                ("counsellor", "Det er bra at du sier fra."),
                ("visitor", "Kan dere hjelpe?"),
                ("counsellor", "Ja. Vi finner ut av dette sammen."),
            ]
            for who, text in during:
                (from_visitor if who == "visitor" else from_counsellor)(text)
            time.sleep(1.5)
            assert notes(visitor, VISITOR_LOG, "visitor")[during[0][1]] == SENDING
            assert notes(visitor, VISITOR_LOG, "visitor")[during[2][1]] == SENDING
            assert notes(console, CONSOLE_LOG, "counsellor")[during[1][1]] == SENDING
            assert notes(console, CONSOLE_LOG, "counsellor")[during[3][1]] == SENDING
            # Not stored, so not shown on the other side.
            assert during[0][1] not in notes(console, CONSOLE_LOG, "visitor")
            assert during[1][1] not in notes(visitor, VISITOR_LOG, "counsellor")
            time.sleep(2.5)
            pg.start()

            def both_pages() -> tuple[list[Any], list[Any]]:
                return shown(visitor, VISITOR_LOG), shown(console, CONSOLE_LOG)

            def settled() -> bool:
                on_visitor, on_console = both_pages()
                texts = [(who, text) for who, text, _note in on_visitor]
                return (
                    texts == [(who, text) for who, text, _note in on_console]
                    and sorted(texts) == sorted(written)
                    and all(
                        note == DELIVERED
                        for page, me in ((on_visitor, "visitor"), (on_console, "counsellor"))
                        for who, _text, note in page
                        if who == me
                    )
                )

            # The slowest re-send after a database that was away 4 s is 8 s after the
            # message, and the catch-up of what one side missed ten seconds.
            until(settled, CATCH_UP, lambda: f"shown: {both_pages()!r}, written: {written!r}")
            on_visitor, on_console = both_pages()
            # Each message once on each page, in the database's order of them.
            assert len(on_visitor) == len(written) == len(set(written))
            assert [who for who, _text, _note in on_visitor] == stored_senders(pg.url)
            # The other side's messages carry no note of their own.
            assert {note for who, _t, note in on_visitor if who == "counsellor"} == {""}
            assert {note for who, _t, note in on_console if who == "visitor"} == {""}
        finally:
            w.close()
