"""The 2023 demo report reads like the seed report's chapter on knowledge dissemination.

A reader of the seed (`arsrapport-2023.md`) finds each campaign under "Kampanjer" with its
target groups and gender split per platform, the media appearances by outlet, the seven
networks by name, and, in the follow-up chapter, the persons transferred from the housing
programme. These tests read the rendered HTML and DOCX as that reader would.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from docx import Document
from lxml import html as lxml_html  # type: ignore[import-untyped]  # python-docx needs lxml

from hjelpelinje.followup.models import FollowUpUser, Source
from hjelpelinje.reporting import selectors
from hjelpelinje.reporting.renderers import render

pytestmark = pytest.mark.django_db

CAMPAIGNS = ["Chat-kampanje", "Etterlatt i utlandet", "Dobbeltliv"]
NETWORKS = [
    "Østlandsnettverket",
    "Referansegruppen for Handlingsplanen",
    "Nordisk praktikernettverk",
    "Bokollektivet-nettverket",
    "Children not Brides",
    "MentorHub",
    "Endringsagentene",
]


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


def _html(year: int = 2023) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render(selectors.annual_report(year), "html"))


def _text(element: lxml_html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _section(page: lxml_html.HtmlElement, heading: str) -> lxml_html.HtmlElement:
    """The <section> whose own heading reads `heading` ("4.2 Kampanjer")."""
    found = [
        h.getparent()
        for h in page.xpath("//section/*[self::h2 or self::h3]")
        if _text(h) == heading
    ]
    assert len(found) == 1, f"no single section headed {heading!r}"
    return found[0]


def _platform_rows(section: lxml_html.HtmlElement) -> dict[str, dict[str, str]]:
    """The section's first table, by the text of its first cell, each row by column name."""
    table = section.xpath(".//table")[0]
    header = [_text(c) for c in table.xpath(".//thead//th")]
    rows = {}
    for tr in table.xpath(".//tbody/tr"):
        cells = [_text(c) for c in tr.xpath("./th|./td")]
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


def test_each_campaign_is_a_subsection_of_kampanjer_with_targets_and_gender_split(demo):
    page = _html()
    kampanjer = _section(page, "4.2 Kampanjer")
    assert "Kampanjene Etterlatt i utlandet og Dobbeltliv er finansiert av IMDi." in _text(
        kampanjer
    )
    # Each campaign sits inside "Kampanjer", one level down, numbered under it.
    for number, name in enumerate(CAMPAIGNS, start=1):
        section = _section(page, f"4.2.{number} {name}")
        assert kampanjer in section.iterancestors()
    # The contents list them under "Kampanjer" too, and Media follows as 4.3.
    toc = [_text(a) for a in page.xpath("//nav[@class='toc']//a")]
    at = toc.index("4.2 Kampanjer")
    assert toc[at + 1 : at + 4] == [f"4.2.{n} {c}" for n, c in enumerate(CAMPAIGNS, start=1)]
    assert "4.3 Media" in toc

    chat = _section(page, "4.2.1 Chat-kampanje")
    text = _text(chat)
    assert "Målgruppen var 13-17 år og 18-23 år." in text
    assert "Snapchat: 70% jenter og 30% gutter" in text
    assert "Kampanjen ble laget i samarbeid med Papaya." in text
    # The longer opening hours linked to the campaign (seed 3.3: until 18, and until 20).
    assert "Under kampanjen hadde vi utvidet åpningstid til kl. 18 på chat og telefon." in text
    left_text = _text(_section(page, "4.2.2 Etterlatt i utlandet"))
    assert "utvidet åpningstid til kl. 20 på chat og telefon" in left_text
    rows = _platform_rows(chat)
    assert (rows["Snapchat"]["Jenter"], rows["Snapchat"]["Gutter"]) == ("70%", "30%")
    assert (rows["TikTok"]["Jenter"], rows["TikTok"]["Gutter"]) == ("55%", "45%")
    assert rows["Instagram"]["Målgruppe"] == "13-17 år og 18-23 år"
    # Words read from the left, figures line up on the right.
    first = chat.xpath(".//table//tbody/tr")[0].xpath("./td")
    assert [td.get("class") for td in first[:3]] == [None, "n", "n"]

    double = _section(page, "4.2.3 Dobbeltliv")
    assert "Målgruppen var 15-21 år på Snapchat og 13-24 år på TikTok." in _text(double)
    rows = _platform_rows(double)
    assert (rows["TikTok"]["Jenter"], rows["TikTok"]["Gutter"]) == ("40%", "60%")
    assert (rows["Snapchat"]["Målgruppe"], rows["TikTok"]["Målgruppe"]) == ("15-21 år", "13-24 år")

    left = _platform_rows(_section(page, "4.2.2 Etterlatt i utlandet"))
    assert left["Skjermer på flyplasser"]["Avspillinger på skjerm"] == "438 983"


def test_docx_puts_the_campaigns_one_heading_level_under_kampanjer(demo):
    document = Document(io.BytesIO(render(selectors.annual_report(2023), "docx")))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    at = headings.index(("Heading 2", "4.2 Kampanjer"))
    assert headings[at + 1 : at + 4] == [
        ("Heading 3", f"4.2.{n} {c}") for n, c in enumerate(CAMPAIGNS, start=1)
    ]
    assert ("Heading 2", "4.3 Media") in headings
    # The contents field takes in the third level, so Word lists the campaigns too.
    assert 'TOC \\o "1-3"' in document.element.body.xml
    # The platform table stands in the campaign's section, with the gender split.
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    chat = next(t for t in tables if t[0][:4] == ["Plattform", "Målgruppe", "Jenter", "Gutter"])
    assert ["Snapchat", "13-17 år og 18-23 år", "70%", "30%"] in [r[:4] for r in chat]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Målgruppen var 14-18 år, sekundært 19-25 år." in text


def test_media_are_named_by_outlet_and_the_seven_networks_by_name(demo):
    page = _html()
    media = _section(page, "4.3 Media")
    assert "Vi var i Utrop, NRK Nyheter, Dagsavisen og Aftenposten." in _text(media)
    rows = _platform_rows(media)
    assert rows["15.06.2023"]["Medium"] == "Dagsavisen"
    assert rows["15.06.2023"]["Type"] == "Kronikk"
    assert rows["15.06.2023"]["Kampanje"] == "Etterlatt i utlandet"

    talks = _text(_section(page, "4.4 Foredrag og kompetanseheving"))
    sentence = re.search(r"Vi er også en del av 7 nettverk på fagfeltet: ([^.]+)\.", talks)
    assert sentence is not None
    assert sorted(re.split(r", | og ", sentence.group(1))) == sorted(NETWORKS)
    # The demo's network that ended in 2022 is not one of 2023's seven.
    assert "Regionalt nettverk mot tvangsekteskap" not in talks
    # The seed's list of the year's events, from the talks marked for the report.
    assert "Av det som er gjennomført i 2023, vil vi nevne følgende:" in talks
    assert "19.10.2023: Nordisk praktikernettverk (IMDi, København)." in talks


def test_housing_programme_section_counts_persons_transferred_from_the_data(demo):
    section = _text(_section(_html(), "5.8 Kontakt med botilbud"))
    assert "Vi følger opp 18 personer som er overført fra bo- og støttetilbudet" in section

    # Two of them came another way after all: the section follows the users' source,
    # while the contacts with the programme stay as recorded.
    moved = FollowUpUser.objects.filter(source=Source.HOUSING_PROGRAMME).order_by("pk")[:2]
    FollowUpUser.objects.filter(pk__in=[u.pk for u in moved]).update(source=Source.HELPLINE)

    section = _text(_section(_html(), "5.8 Kontakt med botilbud"))
    assert "Vi følger opp 16 personer som er overført fra bo- og støttetilbudet" in section
    assert "hadde kontakt med botilbudet 18 ganger" in section
    assert "18 personer" not in section


def test_social_media_names_the_accounts_and_when_the_new_ones_opened(demo):
    social = _text(_section(_html(), "4.1 Sosiale medier"))
    assert (
        "I 2023 har vi hatt 4 kontoer i sosiale medier: Facebook, Instagram, Snapchat og TikTok."
        in social
    )
    assert "Kontoene på Snapchat og TikTok opprettet vi i februar 2023." in social
    assert "TikTok-kontoen vår hadde ved siste telling 265 følgere og 3772 «likerklikk»." in social


def test_talks_marked_in_the_form_are_listed_in_the_report(manager, client_for):
    client = client_for(manager)
    form = client.get("/staff/outreach/talks/new/?year=2023").content.decode()
    assert 'name="in_report"' in form and "nevnes i årsrapporten" in form.lower()
    talk = {
        "date": "2023-09-13",
        "kind": "seminar",
        "title": "Negativ sosial kontroll i religiøse trossamfunn",
        "organiser": "Østlandsnettverket",
        "place": "Oslo",
        "description": "Vi var medarrangør av et heldagsseminar.",
    }
    assert (
        client.post("/staff/outreach/talks/new/?year=2023", {**talk, "in_report": "on"}).status_code
        == 302
    )
    unmarked = {**talk, "date": "2023-03-02", "title": "Skolebesøk som ikke nevnes"}
    assert client.post("/staff/outreach/talks/new/?year=2023", unmarked).status_code == 302

    talks = _text(_section(_html(), "4.4 Foredrag og kompetanseheving"))
    assert "Tjenesten har i 2023 hatt 2 aktiviteter" in talks
    assert "Av det som er gjennomført i 2023, vil vi nevne følgende:" in talks
    assert (
        "13.09.2023: Negativ sosial kontroll i religiøse trossamfunn (Østlandsnettverket, Oslo). "
        "Vi var medarrangør av et heldagsseminar." in talks
    )
    assert "Skolebesøk som ikke nevnes" not in talks
