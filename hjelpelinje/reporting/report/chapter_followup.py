"""Chapter 5 of the annual report: the follow-up of the people who consented to it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hjelpelinje.reporting.figures import Figure, Labels, Protect, as_int, ordered_counts
from hjelpelinje.reporting.report import sentences
from hjelpelinje.reporting.report.document import (
    Chapter,
    Note,
    Paragraph,
    Section,
    Stats,
    paragraphs,
)


def _activity_text(code: str, n: int, block: Stats, year: int, labels: Labels, p: Protect) -> str:
    # The housing programme's section counts the persons transferred from it (the seed's
    # "Vi følger opp 18 personer som er overført"), not only the contacts with it.
    if code == "housing_programme":
        return sentences.housing_programme(block, n, year, p)
    return sentences.activity_sentence(code, n, year, labels, p)


def follow_up_chapter(
    number: int, stats: Stats, figures: dict[str, Figure], labels: Labels, p: Protect
) -> Chapter:
    year = stats["year"]
    chapter = Chapter(number, _("Saksoppfølging"))
    block = stats.get("follow_up")
    if not isinstance(block, dict):
        chapter.blocks.append(
            Note(_("Oppfølging av brukere er ikke registrert for %(year)s.") % {"year": year})
        )
        return chapter
    chapter.blocks += paragraphs(sentences.follow_up_intro(block, year, p))
    activities = ordered_counts(block.get("activities"))
    if "activities" in figures and any(activities.values()):
        chapter.blocks.append(
            Paragraph(
                _(
                    "Hovedvekten av oppfølgingen innebærer kontakt over telefon og fysiske møter "
                    "med enkeltpersoner. Under vises hvilken oppfølging brukerne får utenom "
                    "psykososial støtte."
                )
            )
        )
        chapter.blocks.append(figures["activities"])
    for code, n in activities.items():
        chapter.sections.append(
            Section(
                labels("activity", code),
                [Paragraph(_activity_text(code, n, block, year, labels, p))],
            )
        )
    mail_items = as_int(block.get("mail_items"))
    if "mail" not in activities and mail_items:
        chapter.sections.append(
            Section(
                _("Postavtale"),
                [
                    Paragraph(
                        _("Vi hadde %(mail)s i %(year)s.")
                        % {"mail": p.count(mail_items, "posthenvendelse"), "year": year}
                    )
                ],
            )
        )
    return chapter
