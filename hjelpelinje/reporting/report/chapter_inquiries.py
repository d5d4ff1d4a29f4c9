"""Chapter 3 of the annual report: the first-time inquiries."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hjelpelinje.reporting.figures import Figure, Labels, Protect, as_int
from hjelpelinje.reporting.report import sentences
from hjelpelinje.reporting.report.document import Block, Chapter, Section, Stats, paragraphs


def inquiries_chapter(
    number: int,
    stats: Stats,
    figures: dict[str, Figure],
    labels: Labels,
    p: Protect,
    *,
    examples: Block,
) -> Chapter:
    """Chapter 3: the first-time inquiries, section by section as the seed report has them;
    `examples` is the manager's text of example inquiries (or the note that it is missing)."""
    year = int(stats["year"])
    inq = stats.get("inquiries") or {}
    has_inquiries = as_int(inq.get("total")) > 0
    first = Chapter(number, _("Førstegangshenvendelser"))
    first.blocks += paragraphs(sentences.inquiries_intro(stats, p))
    if has_inquiries:
        first.sections.append(
            Section(
                _("Kontaktpunkt"),
                paragraphs(sentences.contact_points(stats, labels, p))
                + paragraphs(sentences.channel_by_age(stats, labels))
                + [figures["channel_age"]],
            )
        )
        first.sections.append(
            Section(
                _("Alder og kjønn"),
                [
                    *paragraphs(sentences.age_groups(stats, labels, p)),
                    figures["age"],
                    *paragraphs(sentences.gender(stats, p)),
                    figures["gender"],
                ],
            )
        )
        first.sections.append(
            Section(
                _("Oppfølging av henvendelser"),
                [*paragraphs(sentences.follow_up_cases(stats, labels, p)), figures["referrals"]],
            )
        )
        first.sections.append(
            Section(
                _("Landsdel og landbakgrunn"),
                paragraphs(sentences.regions(stats, labels, p))
                + [figures["region"]]
                + paragraphs(sentences.countries(stats, p))
                + ([figures["countries"]] if not figures["countries"].empty() else []),
            )
        )
        first.sections.append(
            Section(
                _("Tema og hvem som tok kontakt"),
                [
                    *paragraphs(sentences.themes(stats, labels, p)),
                    figures["themes"],
                    *paragraphs(sentences.callers(stats, labels, p)),
                    figures["callers"],
                ],
            )
        )
        first.sections.append(
            Section(
                _("Henvendelser gjennom året"),
                [*paragraphs(sentences.months(stats, p)), figures["months"]],
            )
        )
    chat = stats.get("chat")
    if isinstance(chat, dict):
        chat_blocks: list[Block] = list(paragraphs(sentences.chat_summary(chat, year, p)))
        chat_blocks += [figures[k] for k in ("chat_weekday", "chat_hour") if k in figures]
        first.sections.append(Section(_("Chat"), chat_blocks))
    first.sections.append(
        Section(
            _("Eksempler på førstegangshenvendelser i %(year)s (detaljer er endret)")
            % {"year": year},
            [examples],
        )
    )
    return first
