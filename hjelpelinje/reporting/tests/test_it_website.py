"""The website part of the statistics: the `website` block from the counters, the sentences
written from it (the verb from the ratio, in Norwegian and English), and every report format
and the dashboard saying them."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from hjelpelinje.outreach.models import Campaign, SocialPost
from hjelpelinje.reporting import website
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.statistics import year_statistics
from hjelpelinje.reporting.tests.example_stats import full_2023
from hjelpelinje.reporting.tests.helpers import seed_labels
from hjelpelinje.site.visits.models import PageDay, SourceDay

D = dt.date

TRIPLE = (
    "Besøkstall på nettsiden tredobles samme dag som det legges ut et innlegg på TikTok "
    "(3,1 ganger så mange besøk, 95 % KI 2,4–4,0; 24 postdager)."
)


def _row(ratio: float | None, low: float | None = None, high: float | None = None, **kw: Any):
    row: dict[str, Any] = {
        "post_days": 24,
        "other_days": 180,
        "mean_post": None,
        "mean_other": None,
        "ratio": ratio,
        "ci_low": low,
        "ci_high": high,
        "reason": None,
    }
    row.update(kw)
    return row


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the sentences --------------------------------------------------------------------------


def test_the_seed_claim_is_written_from_the_ratio_with_its_interval_and_days() -> None:
    assert website.post_day_sentence("tiktok", _row(3.1, 2.4, 4.0)) == TRIPLE


@pytest.mark.parametrize(
    ("ratio", "low", "high", "expected"),
    [
        (2.05, 1.6, 2.6, "Besøkstall på nettsiden dobles samme dag"),
        (2.9, 2.1, 3.9, "Besøkstall på nettsiden tredobles samme dag"),
        (4.2, 3.0, 5.5, "Besøkstall på nettsiden firedobles samme dag"),
        # Between the multiples the rise is given as it is.
        (2.5, 1.9, 3.2, "Besøkstall på nettsiden øker med 150% samme dag"),
        (1.4, 1.1, 1.8, "Besøkstall på nettsiden øker med 40% samme dag"),
        (0.7, 0.55, 0.9, "Besøkstall på nettsiden er 30% lavere samme dag"),
        # An interval that holds 1: no claim, whatever the ratio says.
        (3.0, 0.8, 11.0, "Vi ser ingen sikker forskjell i besøkstall på nettsiden på dager"),
        (1.05, 0.9, 1.2, "Vi ser ingen sikker forskjell"),
    ],
)
def test_the_verb_comes_from_the_ratio_and_the_interval(
    ratio: float, low: float, high: float, expected: str
) -> None:
    sentence = website.post_day_sentence("snapchat", _row(ratio, low, high))
    assert sentence.startswith(expected)
    assert "Snapchat" in sentence
    assert "95 % KI" in sentence


def test_too_little_data_is_said_honestly() -> None:
    few = _row(None, post_days=2, reason="too_few_post_days")
    assert website.post_day_sentence("instagram", few) == (
        "For Instagram er det for få dager med innlegg til å si noe om besøkstallene "
        "(2 postdager; minst 3 trengs)."
    )
    no_others = _row(None, post_days=5, other_days=4, reason="too_few_other_days")
    assert "for få åpne dager uten innlegg" in website.post_day_sentence("youtube", no_others)


def test_english_sentences_when_the_catalogue_has_them() -> None:
    with translation.override("en"):
        sentence = website.post_day_sentence("tiktok", _row(3.1, 2.4, 4.0))
        if sentence.startswith("Besøkstall"):
            pytest.skip("the English catalogue does not have the website strings yet")
        # Numbers are written the English way whatever the catalogue says.
        assert "3.1" in sentence and "2.4" in sentence and "4.0" in sentence
        assert "TikTok" in sentence


def test_numbers_follow_the_language() -> None:
    with translation.override("en"):
        sentence = website.campaign_visits_sentence("Dobbeltliv", 36066)
    assert "36,066" in sentence
    assert website.campaign_visits_sentence("Dobbeltliv", 36066) == (
        "Kampanjen «Dobbeltliv» ga 36 066 besøk på nettsiden."
    )


# --- the block from the counters ----------------------------------------------------------


@pytest.mark.django_db
def test_the_website_block_holds_the_counters_of_the_year(counsellor) -> None:
    PageDay.objects.create(day=D(2023, 3, 6), path="/", views=40, visits=25)
    PageDay.objects.create(day=D(2023, 3, 6), path="/tvangsekteskap/", views=12, visits=5)
    PageDay.objects.create(day=D(2023, 10, 16), path="/", views=100, visits=70)
    # Another year does not count.
    PageDay.objects.create(day=D(2022, 12, 31), path="/", views=999, visits=999)
    SourceDay.objects.create(day=D(2023, 3, 6), referrer_host="google.com", visits=20)
    SourceDay.objects.create(day=D(2023, 3, 6), referrer_host="", visits=10)
    SourceDay.objects.create(
        day=D(2023, 10, 16),
        referrer_host="tiktok.com",
        utm_campaign="dobbeltliv",
        utm_source="tiktok",
        visits=70,
    )
    Campaign.objects.create(
        name="Dobbeltliv", start=D(2023, 10, 16), end=D(2023, 11, 3), utm_tag="dobbeltliv"
    )
    SocialPost.objects.create(platform="tiktok", date=D(2023, 3, 6), created_by=counsellor)

    block = year_statistics(2023)["outreach"]["website"]

    assert block["visits"] == 100 and block["page_views"] == 152
    assert block["by_month"]["2023-03"] == {"visits": 30, "page_views": 52}
    assert block["by_month"]["2023-10"] == {"visits": 70, "page_views": 100}
    assert block["by_month"]["2023-01"] == {"visits": 0, "page_views": 0}
    assert block["top_pages"][0] == {"path": "/", "views": 140, "visits": 95}
    assert block["top_referrers"] == [
        {"host": "tiktok.com", "visits": 70},
        {"host": "google.com", "visits": 20},
        {"host": "", "visits": 10},
    ]
    assert block["by_campaign_tag"] == [
        {"tag": "dobbeltliv", "campaign": "Dobbeltliv", "visits": 70}
    ]
    # One post day is far too few to compare: the platform is listed with the reason.
    assert block["post_days"]["tiktok"]["reason"] == "too_few_post_days"
    assert block["post_days"]["tiktok"]["ratio"] is None
    campaign = year_statistics(2023)["outreach"]["campaigns"][0]
    assert campaign["utm_tag"] == "dobbeltliv" and campaign["website_visits"] == 70


# --- the report and the dashboard -----------------------------------------------------------


def _stats_with_website() -> dict[str, Any]:
    stats = full_2023()
    stats["outreach"]["campaigns"][2]["utm_tag"] = "dobbeltliv"
    stats["outreach"]["campaigns"][2]["website_visits"] = 36066
    stats["outreach"]["website"] = {
        "visits": 181234,
        "page_views": 402311,
        "by_month": {
            f"2023-{m:02d}": {"visits": 10000 + m, "page_views": 30000} for m in range(1, 13)
        },
        "top_pages": [{"path": "/", "views": 150000, "visits": 90000}],
        "top_referrers": [
            {"host": "google.com", "visits": 80000},
            {"host": "tiktok.com", "visits": 40000},
            {"host": "", "visits": 30000},
        ],
        "by_campaign_tag": [{"tag": "dobbeltliv", "campaign": "Dobbeltliv", "visits": 36066}],
        "post_days": {"tiktok": _row(3.1, 2.4, 4.0)},
    }
    return stats


@pytest.fixture(scope="module")
def report():
    return build_report(_stats_with_website(), {}, seed_labels())


def test_every_format_says_the_post_day_sentence_and_the_campaign_visits(report) -> None:
    campaign_sentence = "Kampanjen «Dobbeltliv» ga 36 066 besøk på nettsiden."
    totals = "I 2023 hadde nettsiden 181 234 besøk og 402 311 sidevisninger."

    # The HTML marks numbers up (<span class="num">); the reader sees the text.
    html = _flat(re.sub(r"<[^>]+>", "", render(report, "html").decode()))
    assert TRIPLE in html and campaign_sentence in html and totals in html
    assert "Flest besøk kom fra google.com (80 000) og tiktok.com (40 000)." in html

    document = Document(io.BytesIO(render(report, "docx")))
    text = _flat("\n".join(p.text for p in document.paragraphs))
    assert TRIPLE in text and campaign_sentence in text

    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    whole = _flat(" ".join(page.extract_text() for page in pdf.pages))
    assert "tredobles samme dag som det legges ut et innlegg på TikTok" in whole
    assert "36 066 besøk på nettsiden" in whole

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    # The tables of the website part are sheets, their figures numbers.
    referrers = [[c.value for c in r] for r in book["Hvor besøkene kom fra i 2023"].iter_rows()]
    assert ["google.com", 80000] in referrers and ["uten henvisning", 30000] in referrers
    post_days = [[c.value for c in r] for r in book["Besøk på postdager mot andre"].iter_rows()]
    assert ["TikTok", 24, 180, None, None, 3.1, 2.4, 4.0] in post_days


@pytest.mark.django_db
def test_the_dashboard_shows_the_website_sentences(manager, client_for, monkeypatch) -> None:
    monkeypatch.setattr(
        "hjelpelinje.reporting.statistics.year_statistics",
        lambda year: _stats_with_website() if year == 2023 else full_2023() | {"year": year},
    )
    page = client_for(manager).get("/staff/reports/?year=2023").content.decode()
    page = _flat(page)
    assert TRIPLE in page
    assert "Kampanjen «Dobbeltliv» ga 36 066 besøk på nettsiden." in page
    assert "Besøk på nettsiden per måned" in page
