"""The annual report put together: `build_report(stats, texts, labels, min_count)` makes the
chapters from the statistics dict and the manager's texts. Nothing here queries the database:
a block the statistics do not have becomes a chapter that says the data is not recorded."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from hjelpelinje.reporting.figures import Labels, Protect
from hjelpelinje.reporting.report.chapter_followup import follow_up_chapter
from hjelpelinje.reporting.report.chapter_inquiries import inquiries_chapter
from hjelpelinje.reporting.report.chapter_outreach import outreach_chapter
from hjelpelinje.reporting.report.document import Chapter, Report, Stats, manager_text
from hjelpelinje.reporting.report.shared_figures import build_figures

TEXT_FIELDS = ("introduction", "development", "examples", "way_forward")
DEFAULT_SERVICE_NAME = "Hjelpelinjen om negativ sosial kontroll og æresrelatert vold"


def service_name() -> str:
    return str(getattr(settings, "HJELPELINJE_SERVICE_NAME", DEFAULT_SERVICE_NAME))


def build_report(
    stats: Stats,
    texts: dict[str, str] | None = None,
    labels: Labels | None = None,
    *,
    min_count: int = 0,
    today: dt.date | None = None,
) -> Report:
    texts = texts or {}
    labels = labels or Labels()
    p = Protect(min_count)
    year = int(stats["year"])
    figures = build_figures(stats, labels, p)
    chapters: list[Chapter] = []

    chapters.append(
        Chapter(
            1,
            _("Om tjenesten"),
            [manager_text(texts, "introduction", _("Innledningen er ikke skrevet ennå."))],
        )
    )
    chapters.append(
        Chapter(
            2,
            _("Utvikling av tiltaket %(year)s") % {"year": year},
            [manager_text(texts, "development", _("Årets utvikling er ikke beskrevet ennå."))],
        )
    )

    chapters.append(
        inquiries_chapter(
            3,
            stats,
            figures,
            labels,
            p,
            examples=manager_text(
                texts, "examples", _("Eksempler er ikke lagt inn for dette året.")
            ),
        )
    )
    chapters.append(outreach_chapter(4, stats, figures, p, labels))
    chapters.append(follow_up_chapter(5, stats, figures, labels, p))
    chapters.append(
        Chapter(
            6,
            _("Veien videre"),
            [manager_text(texts, "way_forward", _("Veien videre er ikke beskrevet ennå."))],
        )
    )
    return Report(
        year=year,
        service_name=service_name(),
        chapters=chapters,
        min_count=min_count if p.active else 0,
        generated_on=today or dt.date.today(),
    )
