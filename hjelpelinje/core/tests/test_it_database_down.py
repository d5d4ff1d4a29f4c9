"""Staff pages while PostgreSQL is really stopped: "try again in a moment", and a form
posted meanwhile comes back with what was typed, to be sent again once it is up."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from hjelpelinje.chat.tests.server import ROOT, World, world
from hjelpelinje.core.tests.browserish import Browserish
from hjelpelinje.core.tests.private_services import PrivatePostgres, own_postgres

pytestmark = pytest.mark.postgres

FORM = "/staff/inquiries/ny/"
SUMMARY = "Ringte om søsteren sin.\nVil ha råd om hva skolen kan gjøre."


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[PrivatePostgres, World, int]]:
    with own_postgres() as pg, world(database_url=pg.url, migrated=True) as w:
        yield pg, w, w.serve()


def stored_summaries(w: World) -> list[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "hjelpelinje",
            "shell",
            "-c",
            "from hjelpelinje.inquiries.models import Inquiry\n"
            "for i in Inquiry.objects.order_by('pk'): print(repr(i.summary))",
        ],
        env=w.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [eval(line) for line in out.splitlines() if line.startswith("'")]


def test_a_form_posted_while_the_database_is_down_comes_back_and_is_saved_later(
    served: tuple[PrivatePostgres, World, int],
) -> None:
    pg, w, port = served
    kari = Browserish(port, {"sessionid": w.sessions[0]})
    page = kari.get(FORM)
    assert page.status == 200
    form = page.form_with("summary")
    form.set("channel", form.choices["channel"][0])
    form.set("summary", SUMMARY)

    pg.stop()
    try:
        # Opening a page: a short "try again", not the generic error page.
        down = kari.get(FORM)
        assert down.status == 503, down.text[:300]
        assert "Prøv igjen om et øyeblikk" in down.text
        assert "Noe gikk galt" not in down.text
        assert down.headers["retry-after"].isdigit()
        assert down.headers["cache-control"] == "no-store"

        # Saving the form: it comes back, with what was typed, and is not saved yet.
        posted = kari.submit(form, FORM)
        assert posted.status == 503
        assert "Ikke lagret ennå" in posted.text
        assert "Ringte om søsteren sin." in posted.text
        again = posted.form_with("summary")
        assert again.value("summary").replace("\r\n", "\n") == SUMMARY
        assert again.value("channel") == form.value("channel")
        assert "Prøv igjen" in again.text
    finally:
        pg.start()

    # Once the database is back, "Prøv igjen" saves exactly what was typed, once.
    saved = kari.submit(again, FORM)
    assert saved.status == 302, saved.text[:300]
    assert saved.headers["location"] == FORM
    assert kari.get(FORM).status == 200
    assert [s.replace("\r\n", "\n") for s in stored_summaries(w)] == [SUMMARY]


def test_a_post_from_another_site_while_the_database_is_down_is_not_shown_back(
    served: tuple[PrivatePostgres, World, int],
) -> None:
    pg, w, port = served
    stranger = Browserish(port, {"sessionid": w.sessions[0], "csrftoken": "x" * 32})
    pg.stop()
    try:
        page = stranger.request(
            "POST", FORM, {"csrfmiddlewaretoken": "y" * 32, "summary": "Ring 000 00 000 nå"}
        )
    finally:
        pg.start()
    # Told the truth about the database, but what another site made a browser post is
    # never shown back on the helpline's own page.
    assert page.status == 503
    assert "Prøv igjen om et øyeblikk" in page.text
    assert "Ring 000 00 000" not in page.text
    assert "Ikke lagret ennå" not in page.text
