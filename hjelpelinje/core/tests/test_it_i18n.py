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
    html = _page(Client(), "/staff/accounts/login/")
    _assert_language(html, present=NORWEGIAN_LOGIN, absent=ENGLISH_LOGIN, lang="nb")


@pytest.mark.django_db
def test_login_page_follows_the_browsers_language() -> None:
    html = _page(Client(), "/staff/accounts/login/", {"Accept-Language": "en-GB,en;q=0.8"})
    _assert_language(html, present=ENGLISH_LOGIN, absent=NORWEGIAN_LOGIN, lang="en")


@pytest.mark.django_db
def test_login_page_offers_the_language_switch() -> None:
    html = _page(Client(), "/staff/accounts/login/")
    form = re.search(r'<form method="post" action="/staff/language/".*?</form>', html, re.S)
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(0)
    assert re.search(r'<option value="nb"[^>]* selected>Norsk \(bokmål\)</option>', form.group(0))
    assert re.search(r'<option value="en"[^>]*>English</option>', form.group(0))


@pytest.mark.django_db
def test_home_page_is_norwegian_by_default(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    html = _page(client_for(counsellor), "/staff/")
    _assert_language(html, present=NORWEGIAN_HOME, absent=ENGLISH_HOME, lang="nb")


@pytest.mark.django_db
def test_staff_switch_the_home_page_to_english_and_back(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    client = client_for(counsellor)
    response = client.post("/staff/language/", {"language": "en", "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    html = _page(client, "/staff/")
    _assert_language(html, present=ENGLISH_HOME, absent=NORWEGIAN_HOME, lang="en")
    # The choice holds on every page, not just the one the switch sent us back to.
    inquiries = _page(client, "/staff/inquiries/")
    assert "First-time inquiries" in inquiries
    assert "Førstegangshenvendelser" not in inquiries

    client.post("/staff/language/", {"language": "nb", "next": "/staff/"})
    html = _page(client, "/staff/")
    _assert_language(html, present=NORWEGIAN_HOME, absent=ENGLISH_HOME, lang="nb")


@pytest.mark.django_db
def test_the_switch_does_not_redirect_elsewhere(
    client_for: Callable[[User], Client], counsellor: User
) -> None:
    client = client_for(counsellor)
    response = client.post("/staff/language/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
def test_the_switch_needs_a_post_with_csrf_token() -> None:
    assert Client().get("/staff/language/?language=en").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/staff/language/", {"language": "en"}).status_code == 403


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
    page.goto(f"{live_server.url}/staff/accounts/login/")
    assert page.locator("h1").inner_text() == "Logg inn på Hjelpelinje"
    page.select_option("footer select[name=language]", "en")
    page.click("footer button")
    page.wait_for_url(f"{live_server.url}/staff/accounts/login/")
    assert page.locator("h1").inner_text() == "Log in to Hjelpelinje"
    assert page.locator("footer select[name=language]").input_value() == "en"

    page.fill("input[name=username]", counsellor.username)
    page.fill("input[name=password]", "correct-horse-battery-staple")
    page.click("main button[type=submit]")
    device = TOTPDevice.objects.get(user=counsellor)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", str(token).zfill(device.digits))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    # Signing in keeps the language chosen before it.
    assert page.locator("h1").inner_text().startswith("Hello, ")
    assert "New inquiry" in page.locator("nav").inner_text()

    page.select_option("footer select[name=language]", "nb")
    page.click("footer button")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.locator("h1").inner_text().startswith("Hei, ")
    assert "Ny henvendelse" in page.locator("nav").inner_text()
    context.close()


# --- the statistics page and the annual report, read in English ------------------------------

# Words that only Norwegian uses (lower case, whole words). "i" counts only in lower case:
# the English "I" is a capital.
NORWEGIAN_WORDS = {
    "og", "av", "er", "det", "som", "ikke", "har", "til", "med", "fra", "ble", "var", "vi",
    "den", "et", "på", "om", "kl", "eller", "etter", "før", "antall", "andel", "totalt",
    "henvendelse", "henvendelser", "kampanje", "kampanjen", "kampanjer", "ukjent", "annen",
    "annet", "mann", "kvinne", "dag", "dager", "gang", "ganger", "aldersgruppe", "landsdel",
    "tabell", "vedlegg", "innhold", "laget", "mandag", "tirsdag", "januar", "februar", "kanal",
    "tema", "måned", "ukedag", "i",
}  # fmt: skip
# Proper names that stay Norwegian in English, each with its reason.
ALLOWED_NORWEGIAN = [
    # The helpline's own name (HJELPELINJE_SERVICE_NAME), as on its letterhead; the DOCX
    # cover prints it in capitals.
    "Hjelpelinjen om negativ sosial kontroll og æresrelatert vold",
    "HJELPELINJEN OM NEGATIV SOSIAL KONTROLL OG ÆRESRELATERT VOLD",
    # A region's name: "Trøndelag" is what an English map says too.
    "Trøndelag",
    # Organisations' names; their English labels say what they are beside the name.
    "Kors på Halsen",
    "Skeiv Verden",
    # The language switch offers bokmål by its own name.
    "Norsk (bokmål)",
]
# What staff typed into the outreach register is shown as typed: campaign names, partners,
# descriptions and target groups, media outlets and titles, network names, talks' organisers
# and places.
TYPED_KEYS = {
    "name",
    "description",
    "partner",
    "funder",
    "outlet",
    "title",
    "target_ages",
    "organiser",
    "place",
}


def _typed_by_staff(value: object) -> list[str]:
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key in TYPED_KEYS or key == "campaign"):
                out.append(item)
            elif key == "names" and isinstance(item, list):
                out += [str(n) for n in item]
            else:
                out += _typed_by_staff(item)
    elif isinstance(value, list):
        for item in value:
            out += _typed_by_staff(item)
    return out


def _norwegian_left(text: str, typed: list[str]) -> list[str]:
    # Markdown emphasis in a description does not survive rendering; compare without it.
    text = re.sub(r"\s+", " ", text.replace("*", ""))
    for value in sorted(typed + ALLOWED_NORWEGIAN, key=len, reverse=True):
        plain = re.sub(r"\s+", " ", value.replace("*", "")).strip()
        if plain:
            text = text.replace(plain, " ")
    words = re.findall(r"[A-Za-zÆØÅæøå][\wÆØÅæøå-]*", text)
    found = {
        w
        for w in words
        if re.search("[æøåÆØÅ]", w) or (w.lower() if w != "I" else "I") in NORWEGIAN_WORDS
    }
    return sorted(found)


def _visible(page: str) -> str:
    """The text a reader sees or hears: element text, SVG labels and accessible names."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # A manager's own texts are hers to write in any language.
    page = re.sub(r'(?s)<div class="manager-text">.*?</div>', " ", page)
    names = " ".join(re.findall(r'(?:aria-label|alt|title)="([^"]*)"', page))
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", " ", page) + " " + names)


@pytest.fixture
def english_manager(client_for: Callable[[User], Client], manager: User) -> Client:
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    client = client_for(manager)
    client.post("/staff/language/", {"language": "en", "next": "/staff/"})
    return client


def _typed_2023() -> list[str]:
    from hjelpelinje.reporting import statistics

    return _typed_by_staff(statistics.year_statistics(2023).get("outreach"))


@pytest.mark.django_db
def test_statistics_page_reads_wholly_in_english(english_manager: Client) -> None:
    html = _page(english_manager, "/staff/reports/?year=2023")
    assert '<html lang="en">' in html
    # The charts the page loads afterwards are read too: their titles, axes and legends.
    charts = re.findall(r'src="(/staff/reports/chart/[^"]+\.svg)"', html)
    assert charts
    text = _visible(html + "".join(_page(english_manager, src) for src in charts))
    for english in [
        "First-time inquiries by channel and age group",
        "Forced marriage",  # a code list's English label
        "Monday",  # Django's weekday names
        "Total",
        "Campaign period",  # a chart's legend
    ]:
        assert english in text, english
    assert _norwegian_left(text, _typed_2023()) == []


@pytest.mark.django_db
def test_html_report_reads_wholly_in_english(english_manager: Client) -> None:
    html = _page(english_manager, "/staff/reports/annual/download/?year=2023&format=html")
    assert '<html lang="en">' in html
    text = _visible(html)
    for english in ["ANNUAL REPORT", "Contents", "Age and gender", "In 2023 the service received"]:
        assert english in text, english
    assert _norwegian_left(text, _typed_2023()) == []


@pytest.mark.django_db
def test_docx_and_xlsx_read_in_english(english_manager: Client) -> None:
    import io

    import docx
    import openpyxl

    from hjelpelinje.reporting.models import ManagerText

    # Without the manager's texts, which are hers to write in any language.
    ManagerText.objects.all().delete()
    response = english_manager.get("/staff/reports/annual/download/?year=2023&format=docx")
    document = docx.Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in document.sections for p in s.header.paragraphs]
    assert "ANNUAL REPORT" in parts
    assert _norwegian_left("\n".join(parts), _typed_2023()) == []

    response = english_manager.get("/staff/reports/annual/download/?year=2023&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = list(book.sheetnames)
    for sheet in book.worksheets:
        cells += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "About the report" in cells
    assert _norwegian_left("\n".join(cells), _typed_2023()) == []


@pytest.mark.django_db
def test_numbers_and_dates_follow_the_language(english_manager: Client, tmp_path: Path) -> None:
    """Decimal comma and 27.04.2023 in bokmål; decimal point and 27 April 2023 in English."""
    import datetime as dt

    from django.core.management import call_command

    from hjelpelinje.reporting.renderers.html import render_html
    from hjelpelinje.reporting.report.assembly import build_report

    stats = {
        "year": 2023,
        "inquiries": {"total": 0},
        "outreach": {
            "campaigns": [
                {
                    "name": "Sommer",
                    "effect": {
                        "inquiries": {
                            "campaign_days": 10,
                            "baseline_days": 10,
                            "campaign_count": 17,
                            "baseline_count": 20,
                        }
                    },
                }
            ]
        },
    }
    from django.utils import translation

    day = dt.date(2023, 4, 27)
    with translation.override("nb"):
        norwegian = _visible(render_html(build_report(stats, today=day)))
    with translation.override("en"):
        english = _visible(render_html(build_report(stats, today=day)))
    assert "27.04.2023" in norwegian and "2,00" in norwegian and "1,70" in norwegian
    assert "27 April 2023" in english and "2.00" in english and "1.70" in english
    assert "2.00" not in norwegian and "2,00" not in english

    # The command renders in the language it is asked for.
    out = tmp_path / "report.html"
    call_command("annual_report", year=2023, out=str(out), language="en", stdout=io_null())
    assert "ANNUAL REPORT" in out.read_text()
    call_command("annual_report", year=2023, out=str(out), stdout=io_null())
    assert "ÅRSRAPPORT" in out.read_text()


def io_null() -> object:
    import io

    return io.StringIO()


@pytest.mark.django_db
def test_every_seeded_and_demo_code_has_an_english_label(english_manager: Client) -> None:
    from hjelpelinje.taxonomy.models import Code

    missing = list(Code.objects.filter(label_en="").values_list("list", "code"))
    assert missing == []
