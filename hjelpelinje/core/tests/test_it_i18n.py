"""The English translation: the language switch, and a catalogue with nothing left out.

The catalogue test fails as soon as someone adds a Norwegian string without translating
it (run `make messages`, fill in the empty msgstr, run it again and commit .po and .mo).
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hjelpelinje.accounts.models import User

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

ENGLISH_LOGIN = ["Log in to Hjelpelinje", "Username", "Password", "Skip to content"]
NORWEGIAN_LOGIN = ["Logg inn på Hjelpelinje", "Brukernavn", "Passord", "Hopp til innholdet"]
ENGLISH_HOME = ["Hello, ", "New inquiry", "Inquiries", "Counsellor", "Log out", "Main menu"]
NORWEGIAN_HOME = ["Hei, ", "Ny henvendelse", "Henvendelser", "Rådgiver", "Logg ut", "Hovedmeny"]


def _page(client: Client, path: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _assert_language(html: str, *, present: list[str], absent: list[str], lang: str) -> None:
    assert f'<html lang="{lang}">' in html
    for text in present:
        assert text in html, f"{text!r} missing"
    for text in absent:
        assert text not in html, f"{text!r} should not be on the page"


@pytest.mark.django_db
def test_login_page_is_norwegian_by_default() -> None:
    html = _page(Client(), "/accounts/login/")
    _assert_language(html, present=NORWEGIAN_LOGIN, absent=ENGLISH_LOGIN, lang="nb")


@pytest.mark.django_db
def test_login_page_follows_the_browsers_language() -> None:
    html = _page(Client(), "/accounts/login/", {"Accept-Language": "en-GB,en;q=0.8"})
    _assert_language(html, present=ENGLISH_LOGIN, absent=NORWEGIAN_LOGIN, lang="en")


@pytest.mark.django_db
def test_login_page_offers_the_language_switch() -> None:
    html = _page(Client(), "/accounts/login/")
    form = re.search(r'<form method="post" action="/language/".*?</form>', html, re.S)
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(0)
    assert re.search(r'<option value="nb"[^>]* selected>Norsk \(bokmål\)</option>', form.group(0))
    assert re.search(r'<option value="en"[^>]*>English</option>', form.group(0))


@pytest.mark.django_db
def test_home_page_is_norwegian_by_default(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    html = _page(client_for(counsellor), "/")
    _assert_language(html, present=NORWEGIAN_HOME, absent=ENGLISH_HOME, lang="nb")


@pytest.mark.django_db
def test_staff_switch_the_home_page_to_english_and_back(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    client = client_for(counsellor)
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = _page(client, "/")
    _assert_language(html, present=ENGLISH_HOME, absent=NORWEGIAN_HOME, lang="en")
    # The choice holds on every page, not just the one the switch sent us back to.
    inquiries = _page(client, "/inquiries/")
    assert "First-time inquiries" in inquiries
    assert "Førstegangshenvendelser" not in inquiries

    client.post("/language/", {"language": "nb", "next": "/"})
    html = _page(client, "/")
    _assert_language(html, present=NORWEGIAN_HOME, absent=ENGLISH_HOME, lang="nb")


@pytest.mark.django_db
def test_the_switch_does_not_redirect_elsewhere(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    client = client_for(counsellor)
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_needs_a_post_with_csrf_token() -> None:
    assert Client().get("/language/?language=en").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/language/", {"language": "en"}).status_code == 403


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def _parse_po(path: Path) -> list[Entry]:
    """A small .po reader (msgctxt, plurals, continued strings, flags): enough for this file."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = Entry(), False

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
            key = None
        elif line.startswith("#,"):
            current.fuzzy = current.fuzzy or "fuzzy" in line[2:].replace(" ", "").split(",")
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"stray string in {path}: {raw}"
            _append(current, key, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                key = ("msgstr", int(match.group(1)))
            elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
                if keyword in ("msgid", "msgctxt") and current.msgstr:
                    finish()
                key = (keyword, 0)
            else:
                raise AssertionError(f"unexpected line in {path}: {raw}")
            started = True
            _append(current, key, ast.literal_eval(value))
    return entries


def _append(entry: Entry, key: tuple[str, int], text: str) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


def test_every_string_has_an_english_translation() -> None:
    entries = _parse_po(PO)
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and not header.fuzzy
    assert len(messages) > 400
    untranslated = [e.msgid for e in messages if not e.msgstr or not all(e.msgstr.values())]
    assert untranslated == [], "run `make messages` and translate these"
    assert [e.msgid for e in messages if e.fuzzy] == [], "check these and remove `#, fuzzy`"
    for e in messages:
        assert len(e.msgstr) == (2 if e.msgid_plural else 1), e.msgid
        for index, text in e.msgstr.items():
            source = e.msgid_plural if index and e.msgid_plural else e.msgid
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                f"placeholders differ: {e.msgid!r}"
            )


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo is committed (make run does not compile), so it must not lag behind."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in _parse_po(PO)[1:]:
        if e.msgid_plural and e.msgctxt is not None:
            got = [compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2)]
        elif e.msgid_plural:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
        elif e.msgctxt is not None:
            got = [compiled.pgettext(e.msgctxt, e.msgid)]
        else:
            got = [compiled.gettext(e.msgid)]
        want = [e.msgstr[i] for i in sorted(e.msgstr)]
        if got != want:
            stale.append(e.msgid)
    assert stale == [], "run `make messages` (compilemessages) and commit the .mo"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_switch_language_in_the_browser(browser, live_server, counsellor) -> None:
    """Through the footer form in Chromium: the CSRF check and the redirect back both work."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Logg inn på Hjelpelinje"
    page.select_option("footer select[name=language]", "en")
    page.click("footer button")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Log in to Hjelpelinje"
    assert page.locator("footer select[name=language]").input_value() == "en"

    page.fill("input[name=username]", counsellor.username)
    page.fill("input[name=password]", "correct-horse-battery-staple")
    page.click("main button[type=submit]")
    device = TOTPDevice.objects.get(user=counsellor)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", str(token).zfill(device.digits))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # Signing in keeps the language chosen before it.
    assert page.locator("h1").inner_text().startswith("Hello, ")
    assert "New inquiry" in page.locator("nav").inner_text()

    page.select_option("footer select[name=language]", "nb")
    page.click("footer button")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Hei, ")
    assert "Ny henvendelse" in page.locator("nav").inner_text()
    context.close()
