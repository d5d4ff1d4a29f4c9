"""The annual report as a document model, built from the statistics dict and the manager's texts.

`build_report(stats, texts, labels, min_count)` makes chapters of paragraphs, figures and
tables; the renderers (PDF, DOCX, HTML, XLSX, CSV) only lay that model out, and the dashboard
draws the same figures through `build_figures`. Nothing here queries the database: a block
the statistics do not have becomes a chapter that says the data is not recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext_lazy

from hjelpelinje.reporting import norsk, sentences, website
from hjelpelinje.reporting.figures import (
    Cell,
    Chart,
    Figure,
    Labels,
    Pct,
    Protect,
    Table,
    as_int,
    ordered_counts,
)

Stats = dict[str, Any]

TEXT_FIELDS = ("introduction", "development", "examples", "way_forward")
DEFAULT_SERVICE_NAME = "Hjelpelinjen om negativ sosial kontroll og æresrelatert vold"


@dataclass
class Paragraph:
    text: str


@dataclass
class Markdown:
    """A manager's text, written in Markdown in the UI; rendered with raw HTML escaped."""

    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Note:
    text: str


Block = Paragraph | Markdown | Bullets | Note | Figure | Table


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Sections under this one (each campaign under "Kampanjer"), numbered 4.2.1, 4.2.2...
    subsections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    """A section's place in the report's outline: what every format numbers and links."""

    number: str
    anchor: str
    level: int
    section: Section


def _outline(prefix: str, anchor: str, level: int, sections: list[Section]) -> list[Heading]:
    out: list[Heading] = []
    for index, section in enumerate(sections, start=1):
        number, here = f"{prefix}.{index}", f"{anchor}-{index}"
        out.append(Heading(number, here, level, section))
        out += _outline(number, here, level + 1, section.subsections)
    return out


@dataclass
class Chapter:
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kap{self.number}"

    def outline(self) -> list[Heading]:
        """Every section and subsection in reading order, numbered; level 2 is a section."""
        return _outline(str(self.number), self.anchor, 2, self.sections)


@dataclass
class Report:
    year: int
    service_name: str
    chapters: list[Chapter]
    min_count: int
    generated_on: dt.date

    @property
    def title(self) -> str:
        return _("Årsrapport %(year)s") % {"year": self.year}

    def figures(self) -> list[Figure]:
        return [b for b in self._blocks() if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        """Every table of the report, those under the charts included, in reading order."""
        out: list[Table] = []
        for block in self._blocks():
            if isinstance(block, Figure):
                out.append(block.table)
            elif isinstance(block, Table):
                out.append(block)
        return out

    def _blocks(self) -> list[Block]:
        out: list[Block] = []
        for chapter in self.chapters:
            out.extend(chapter.blocks)
            for heading in chapter.outline():
                out.extend(heading.section.blocks)
        return out


def service_name() -> str:
    return str(getattr(settings, "HJELPELINJE_SERVICE_NAME", DEFAULT_SERVICE_NAME))


# --- figures shared by the report and the dashboard -----------------------------------------


def _this_and_last(
    key: str,
    title: str,
    list_name: str,
    stats: Stats,
    labels: Labels,
    p: Protect,
    *,
    kind: str = "bar",
    skip: tuple[str, ...] = (),
) -> Figure:
    year = stats["year"]
    inq = stats.get("inquiries") or {}
    field_name = f"by_{list_name}"
    now = ordered_counts(inq.get(field_name))
    prev_block = sentences.previous_inquiries(stats)
    before = ordered_counts(prev_block.get(field_name)) if prev_block else {}
    codes = [c for c in now if c not in skip] or [c for c in before if c not in skip]
    total, prev_total = as_int(inq.get("total")), as_int((prev_block or {}).get("total"))
    names = [labels(list_name, c) for c in codes]
    series: list[tuple[str, list[float]]] = [
        (str(year), [p.chart_value(now.get(c, 0)) for c in codes])
    ]
    columns = [labels.title(list_name), str(year), _share(year)]
    rows: list[list[Cell]] = []
    if prev_block is not None:
        series.insert(0, (str(year - 1), [p.chart_value(before.get(c, 0)) for c in codes]))
        columns += [str(year - 1), _share(year - 1)]
    for code, name in zip(codes, names, strict=True):
        row: list[Cell] = [name, p.cell(now.get(code, 0)), p.pct_cell(now.get(code, 0), total)]
        if prev_block is not None:
            row += [p.cell(before.get(code, 0)), p.pct_cell(before.get(code, 0), prev_total)]
        rows.append(row)
    total_row: list[Cell] = [_("Totalt"), p.cell(total), ""]
    if prev_block is not None:
        total_row += [p.cell(prev_total), ""]
    rows.append(total_row)
    table = Table(key=key, title=title, columns=columns, rows=rows, note=_note(p))
    chart = Chart(key=key, title=title, kind=kind, categories=names, series=series)
    return Figure(key=key, title=title, chart=chart, table=table)


def _share(year: int) -> str:
    return _("Andel %(year)s") % {"year": year}


def _note(p: Protect) -> str:
    if not p.active:
        return ""
    return _("Tall under %(n)s vises som «<%(n)s».") % {"n": p.min_count}


def _channel_age(stats: Stats, labels: Labels, p: Protect) -> Figure:
    inq = stats.get("inquiries") or {}
    table = inq.get("by_channel_and_age_group") or {}
    ages = list(ordered_counts(inq.get("by_age_group"))) or sorted(
        {a for row in table.values() for a in row}
    )
    channels = list(ordered_counts(inq.get("by_channel"))) or list(table)
    title = _("Førstegangshenvendelser etter kanal og aldersgruppe")
    series: list[tuple[str, list[float]]] = []
    rows: list[list[Cell]] = []
    for ch in channels:
        values = [as_int((table.get(ch) or {}).get(a)) for a in ages]
        series.append((labels("channel", ch), [p.chart_value(v) for v in values]))
    by_age = ordered_counts(inq.get("by_age_group"))
    for a in ages:
        row: list[Cell] = [labels("age_group", a)]
        row += [p.cell(as_int((table.get(ch) or {}).get(a))) for ch in channels]
        row.append(p.cell(by_age.get(a, 0)))
        rows.append(row)
    by_channel = ordered_counts(inq.get("by_channel"))
    rows.append(
        [_("Totalt")]
        + [p.cell(by_channel.get(ch, 0)) for ch in channels]
        + [p.cell(as_int(inq.get("total")))]
    )
    return Figure(
        key="channel_age",
        title=title,
        chart=Chart(
            key="channel_age",
            title=title,
            kind="bar",
            categories=[labels("age_group", a) for a in ages],
            series=series,
        ),
        table=Table(
            key="channel_age",
            title=title,
            columns=[
                labels.title("age_group"),
                *[labels("channel", ch) for ch in channels],
                _("Totalt"),
            ],
            rows=rows,
            note=_note(p),
        ),
    )


def _campaign_dates(campaign: Stats) -> tuple[dt.date | None, dt.date | None]:
    start = _first(campaign, "start", "start_date", "starts_on")
    end = _first(campaign, "end", "end_date", "ends_on")
    return _date(start), _date(end)


def _campaign_value(campaign: Stats, key: str) -> Any:
    """A campaign total, given on the campaign itself or under `totals`/`results`."""
    value = _first(campaign, key)
    if value is None:
        value = _first(_first(campaign, "totals", "results"), key)
    return value


def campaign_spans(stats: Stats) -> list[tuple[float, float, str]]:
    """Campaign periods as positions on a month axis (0 = January), for shading."""
    spans = []
    year = stats["year"]
    for campaign in (stats.get("outreach") or {}).get("campaigns") or []:
        start, end = _campaign_dates(campaign)
        if start is None or end is None:
            continue
        start = max(start, dt.date(year, 1, 1))
        end = min(end, dt.date(year, 12, 31))
        if start > end:
            continue
        spans.append((_month_pos(start), _month_pos(end), str(campaign.get("name") or "")))
    return spans


def _month_pos(day: dt.date) -> float:
    length = (dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - dt.timedelta(1)).day
    return day.month - 1 - 0.5 + (day.day - 1) / length


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _months(stats: Stats, p: Protect) -> Figure:
    year = stats["year"]
    inq = stats.get("inquiries") or {}
    now = ordered_counts(inq.get("by_month"))
    keys = [f"{year}-{m:02d}" for m in range(1, 13)]
    prev_block = sentences.previous_inquiries(stats)
    before = ordered_counts(prev_block.get("by_month")) if prev_block else {}
    prev_keys = [f"{year - 1}-{m:02d}" for m in range(1, 13)]
    title = _("Førstegangshenvendelser per måned")
    series: list[tuple[str, list[float]]] = [
        (str(year), [p.chart_value(now.get(k, 0)) for k in keys])
    ]
    columns = [_("Måned"), str(year)]
    if prev_block is not None:
        series.insert(0, (str(year - 1), [p.chart_value(before.get(k, 0)) for k in prev_keys]))
        columns.append(str(year - 1))
    rows: list[list[Cell]] = []
    for k, pk in zip(keys, prev_keys, strict=True):
        row: list[Cell] = [norsk.capitalise(norsk.month_label(k)), p.cell(now.get(k, 0))]
        if prev_block is not None:
            row.append(p.cell(before.get(pk, 0)))
        rows.append(row)
    spans = campaign_spans(stats)
    caption = _("Skraverte felt viser kampanjeperiodene.") if spans else ""
    return Figure(
        key="months",
        title=title,
        chart=Chart(
            key="months",
            title=title,
            kind="bar",
            categories=[norsk.month_abbr(m) for m in range(1, 13)],
            series=series,
            spans=spans,
        ),
        table=Table(key="months", title=title, columns=columns, rows=rows, note=_note(p)),
        caption=caption,
    )


def _simple(
    key: str,
    title: str,
    heading: str,
    items: list[tuple[str, int]],
    p: Protect,
    *,
    kind: str = "hbar",
    series_name: str = "",
    total: int | None = None,
) -> Figure:
    series_name = series_name or _("Antall")
    rows: list[list[Cell]] = []
    for name, n in items:
        row: list[Cell] = [name, p.cell(n)]
        if total is not None:
            row.append(p.pct_cell(n, total))
        rows.append(row)
    columns = [heading, _("Antall")] + ([_("Andel")] if total is not None else [])
    return Figure(
        key=key,
        title=title,
        chart=Chart(
            key=key,
            title=title,
            kind=kind,
            categories=[name for name, _ in items],
            series=[(series_name, [p.chart_value(n) for _, n in items])],
        ),
        table=Table(key=key, title=title, columns=columns, rows=rows, note=_note(p)),
    )


def _countries(stats: Stats, p: Protect) -> Figure:
    inq = stats.get("inquiries") or {}
    items: list[tuple[str, int]] = []
    hidden = 0
    for row in inq.get("country_backgrounds") or []:
        name, n = norsk.country_name(str(row[0])), as_int(row[1])
        if p.hidden(n):
            # Naming a country with one or two inquiries could point at a person.
            hidden += n
        else:
            items.append((name, n))
    top, rest = items[:10], items[10:]
    other = sum(n for _, n in rest) + hidden
    if other:
        top.append((_("Andre land"), other))
    return _simple("countries", _("Oppgitt landbakgrunn"), _("Land"), top, p)


def _chat_figures(block: Stats, p: Protect) -> list[Figure]:
    figures = []
    weekdays = _series_of(block.get("by_weekday"), 7)
    hours = _series_of(block.get("by_hour"), 24)
    if weekdays is not None:
        items = [(norsk.capitalise(norsk.weekday_name(d)), n) for d, n in enumerate(weekdays)]
        figures.append(
            _simple(
                "chat_weekday", _("Chatsamtaler etter ukedag"), _("Ukedag"), items, p, kind="bar"
            )
        )
    if hours is not None:
        items = [(f"{h:02d}", n) for h, n in enumerate(hours)]
        figures.append(
            _simple(
                "chat_hour", _("Chatsamtaler etter klokkeslett"), _("Time"), items, p, kind="bar"
            )
        )
    return figures


def _series_of(value: Any, length: int) -> list[int] | None:
    """A weekday or hour series given as a list, or as a map keyed by index or weekday name."""
    if isinstance(value, list | tuple):
        return [as_int(v) for v in list(value)[:length]] + [0] * max(0, length - len(value))
    if isinstance(value, dict):
        english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        out = [0] * length
        for key, n in value.items():
            k = str(key).lower()
            if k.isdigit():
                index = int(k)
                # ISO weekdays run 1-7; Python's 0-6.
                if length == 7 and "0" not in {str(x) for x in value} and index >= 1:
                    index -= 1
            elif k in english:
                index = english.index(k)
            elif k in norsk.WEEKDAYS_NB:
                index = norsk.WEEKDAYS_NB.index(k)
            else:
                continue
            if 0 <= index < length:
                out[index] = as_int(n)
        return out
    return None


def build_figures(stats: Stats, labels: Labels, p: Protect) -> dict[str, Figure]:
    """Every chart of the dashboard and the report, keyed, from the one statistics result."""
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    figures = {
        "channel_age": _channel_age(stats, labels, p),
        "age": _this_and_last("age", _("Aldersgrupper"), "age_group", stats, labels, p),
        "gender": _this_and_last("gender", _("Kjønn"), "gender", stats, labels, p),
        "region": _this_and_last(
            "region", _("Landsdel, i år mot i fjor"), "region", stats, labels, p
        ),
        "months": _months(stats, p),
        "themes": _simple(
            "themes",
            _("Tema i henvendelsene"),
            labels.title("theme"),
            [(labels("theme", c), n) for c, n in ordered_counts(inq.get("by_theme")).items()],
            p,
            total=total,
        ),
        "callers": _simple(
            "callers",
            _("Hvem tok kontakt"),
            labels.title("caller"),
            [(labels("caller", c), n) for c, n in ordered_counts(inq.get("by_caller")).items()],
            p,
            total=total,
        ),
        "referrals": _simple(
            "referrals",
            _("Henvist videre til"),
            labels.title("agency"),
            [(labels("agency", c), n) for c, n in ordered_counts(inq.get("referrals")).items()],
            p,
        ),
        "countries": _countries(stats, p),
    }
    follow_up = stats.get("follow_up")
    if isinstance(follow_up, dict):
        activities = ordered_counts(follow_up.get("activities"))
        figures["activities"] = _simple(
            "activities",
            _("Oppfølgingsaktiviteter etter kategori"),
            labels.title("activity"),
            [(labels("activity", c), n) for c, n in activities.items()],
            p,
        )
    chat = stats.get("chat")
    if isinstance(chat, dict):
        for figure in _chat_figures(chat, p):
            figures[figure.key] = figure
    outreach = stats.get("outreach")
    if isinstance(outreach, dict):
        effect = _campaign_effect_figure(outreach, p)
        if effect is not None:
            figures["campaign_effect"] = effect
        months = website.months_figure(stats)
        if months is not None:
            figures["website_months"] = months
    return figures


# --- the outreach block ------------------------------------------------------------------------


def _first(mapping: Any, *keys: str) -> Any:
    if not isinstance(mapping, dict):
        return None
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return None


def _count_and_kinds(value: Any) -> tuple[int, dict[str, int]]:
    """`talks`/`media` as a number, or as {"count"/"total": n, "by_kind": {...}}."""
    if isinstance(value, dict):
        kinds = ordered_counts(_first(value, "by_kind", "kinds") or {})
        n = _first(value, "count", "total")
        return (as_int(n) if n is not None else sum(kinds.values())), kinds
    if isinstance(value, list):
        return len(value), {}
    return as_int(value), {}


_SEMINAR_TALK = gettext_lazy("foredrag på seminar")
_SCHOOL_VISIT = gettext_lazy("skolebesøk")
_ORGANISATION_VISIT = gettext_lazy("organisasjonsbesøk")
_CONSULTATION = gettext_lazy("innspillsmøte med offentlig instans")
TALK_KINDS = {
    "talk": _SEMINAR_TALK,
    "seminar": _SEMINAR_TALK,
    "seminar_talk": _SEMINAR_TALK,
    "course": gettext_lazy("kurs"),
    "school_visit": _SCHOOL_VISIT,
    "school": _SCHOOL_VISIT,
    "organisation_visit": _ORGANISATION_VISIT,
    "organization_visit": _ORGANISATION_VISIT,
    "visit": _ORGANISATION_VISIT,
    "workshop": gettext_lazy("workshop"),
    "consultation": _CONSULTATION,
    "consultation_meeting": _CONSULTATION,
}
# Singular and plural of each media kind, translated as one counted noun.
_INTERVIEW = npgettext_lazy("media kind", "intervju", "intervjuer")
_RADIO = npgettext_lazy("media kind", "radioinnslag", "radioinnslag")
_OP_ED = npgettext_lazy("media kind", "kronikk", "kronikker")
_COMMENT = npgettext_lazy("media kind", "kommentar", "kommentarer")
MEDIA_KINDS = {
    "interview": (_INTERVIEW, _INTERVIEW),
    "radio": (_RADIO, _RADIO),
    "op_ed": (_OP_ED, _OP_ED),
    "oped": (_OP_ED, _OP_ED),
    "comment": (_COMMENT, _COMMENT),
}
PLATFORMS = {
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "airport_screens": gettext_lazy("skjermer på flyplasser"),
    "transit_screens": gettext_lazy("skjermer på kollektivtransport og kjøpesentre"),
}


@dataclass
class Effect:
    """A campaign's inquiries per open day during it against the open days just before."""

    baseline_per_day: float
    campaign_per_day: float
    baseline_days: int
    campaign_days: int
    baseline_count: int
    campaign_count: int
    baseline_complete: bool = True
    overlapping: list[str] = field(default_factory=list)
    in_progress: bool = False
    measured_until: str = ""


def _campaign_effect(campaign: Stats) -> Effect | None:
    """The effect figures of the outreach block (`effect.inquiries`), or None if not measured.

    A campaign without a baseline (it starts where the data starts) has no comparison.
    """
    effect = campaign.get("effect")
    if not isinstance(effect, dict):
        return None
    inner = effect.get("inquiries")
    measure: Stats = inner if isinstance(inner, dict) else effect
    campaign_days = as_int(_first(measure, "campaign_days", "open_days"))
    baseline_days = as_int(_first(measure, "baseline_days", "baseline_open_days"))
    if not campaign_days or not baseline_days:
        return None
    campaign_count = as_int(_first(measure, "campaign_count", "inquiries"))
    baseline_count = as_int(_first(measure, "baseline_count", "baseline_inquiries"))
    during = _first(measure, "campaign_per_day", "per_open_day")
    before = _first(measure, "baseline_per_day", "baseline_per_open_day")
    return Effect(
        baseline_per_day=float(before if before is not None else baseline_count / baseline_days),
        campaign_per_day=float(during if during is not None else campaign_count / campaign_days),
        baseline_days=baseline_days,
        campaign_days=campaign_days,
        baseline_count=baseline_count,
        campaign_count=campaign_count,
        baseline_complete=bool(measure.get("baseline_complete", True)),
        overlapping=[str(n) for n in effect.get("overlapping_campaigns") or []],
        in_progress=bool(effect.get("in_progress")),
        measured_until=str(effect.get("measured_until") or ""),
    )


def _campaign_effect_figure(outreach: Stats, p: Protect) -> Figure | None:
    items = []
    for campaign in outreach.get("campaigns") or []:
        effect = _campaign_effect(campaign)
        if effect is not None:
            items.append((str(campaign.get("name") or ""), effect))
    if not items:
        return None
    title = _("Henvendelser per åpen dag før og under kampanjene")
    rows: list[list[Cell]] = [
        [
            name,
            round(e.baseline_per_day, 2),
            round(e.campaign_per_day, 2),
            p.cell(e.baseline_count),
            p.cell(e.campaign_count),
            e.baseline_days,
            e.campaign_days,
        ]
        for name, e in items
    ]
    return Figure(
        key="campaign_effect",
        title=title,
        chart=Chart(
            key="campaign_effect",
            title=title,
            kind="bar",
            categories=[name for name, _ in items],
            series=[
                (_("Før kampanjen"), [round(e.baseline_per_day, 2) for _n, e in items]),
                (_("Under kampanjen"), [round(e.campaign_per_day, 2) for _n, e in items]),
            ],
            ylabel=_("Henvendelser per åpen dag"),
        ),
        table=Table(
            key="campaign_effect",
            title=title,
            columns=[
                _("Kampanje"),
                _("Per åpen dag før"),
                _("Per åpen dag under"),
                _("Henvendelser før"),
                _("Henvendelser under"),
                _("Åpne dager før"),
                _("Åpne dager under"),
            ],
            rows=rows,
            note=_note(p),
        ),
    )


def _campaign_section(campaign: Stats, labels: Labels, p: Protect) -> Section:
    """One campaign as the seed report shows it: the story, the facts, whom each platform
    targeted and reached (age groups, gender split), the results and the effect."""
    name = str(campaign.get("name") or _("Kampanje"))
    out: list[Block] = []
    description = str(campaign.get("description") or "").strip()
    if description:
        # What the manager wrote about the campaign, as the seed report opens each one.
        out.append(Markdown(description))
    facts: list[str] = []
    start, end = _campaign_dates(campaign)
    if start and end:
        weekends = bool(campaign.get("excludes_weekends") or campaign.get("exclude_weekends"))
        holidays = bool(campaign.get("excludes_holidays") or campaign.get("exclude_holidays"))
        values = {"period": norsk.period(start, end)}
        if weekends and holidays:
            facts.append(
                _("Kampanjen ble kjørt fra %(period)s, ekskludert helger og fridager.") % values
            )
        elif weekends:
            facts.append(_("Kampanjen ble kjørt fra %(period)s, ekskludert helger.") % values)
        elif holidays:
            facts.append(_("Kampanjen ble kjørt fra %(period)s, ekskludert fridager.") % values)
        else:
            facts.append(_("Kampanjen ble kjørt fra %(period)s.") % values)
    partner = str(campaign.get("partner") or "").strip()
    if partner:
        facts.append(_("Kampanjen ble laget i samarbeid med %(partner)s.") % {"partner": partner})
    platforms = campaign.get("platforms")
    if isinstance(platforms, list) and platforms:
        names = [
            _platform_name(str(pl if not isinstance(pl, dict) else pl.get("platform")))
            for pl in platforms
        ]
        facts.append(_("Kampanjen gikk på %(platforms)s.") % {"platforms": norsk.join_and(names)})
    funder = campaign.get("funder")
    if funder:
        facts.append(_("Kampanjen var finansiert av %(funder)s.") % {"funder": funder})
    facts += _extended_hours(campaign, labels)
    rows = [r for r in campaign.get("by_platform") or [] if isinstance(r, dict)]
    facts += _campaign_audience(rows, labels)
    results = []
    impressions = as_int(_campaign_value(campaign, "impressions"))
    clicks = as_int(_campaign_value(campaign, "clicks"))
    browsers = as_int(_campaign_value(campaign, "unique_browsers"))
    plays = as_int(_campaign_value(campaign, "screen_plays"))
    if impressions:
        results.append(_("%(n)s annonsevisninger") % {"n": norsk.num(impressions)})
    if browsers:
        results.append(_("%(n)s individuelle nettlesere nådd") % {"n": norsk.num(browsers)})
    if clicks:
        results.append(_("%(n)s klikk til nettsiden vår") % {"n": norsk.num(clicks)})
    if plays:
        results.append(_("%(n)s avspillinger på skjermer") % {"n": norsk.num(plays)})
    if results:
        facts.append(
            _("Kampanjen resulterte i %(results)s.") % {"results": norsk.join_and(results)}
        )
    if facts:
        out.append(Paragraph(" ".join(facts)))
    table = _campaign_table(name, rows, labels)
    if table is not None:
        out.append(table)
    if campaign.get("website_visits") is not None:
        # Counted by the website itself from the campaign's tag, beside the ad platform's
        # clicks above ("førte til at 36 066 seg inn på nettsiden vår", seed 5.2).
        out.append(
            Paragraph(website.campaign_visits_sentence(name, as_int(campaign["website_visits"])))
        )
    effect = _campaign_effect(campaign)
    if effect is not None:
        out.append(Paragraph(_effect_sentence(effect, p)))
    return Section(title=name, blocks=out)


def _platform_name(code: str) -> str:
    return str(PLATFORMS.get(code, code))


def _clock(value: Any) -> str:
    """ "18:00" as the seed writes it after "kl.": "18", or "18.30"; "18:00" in English."""
    hour, _sep, minute = str(value).partition(":")
    if norsk.english():
        return f"{hour}:{minute[:2] or '00'}"
    return hour if minute in ("", "00") else f"{hour}.{minute[:2]}"


def _extended_hours(campaign: Stats, labels: Labels) -> list[str]:
    """ "Under kampanjen hadde vi åpent til kl. 18 på telefon og chat." (seed 3.3)"""
    by_closing: dict[str, list[str]] = {}
    for hours in campaign.get("extended_hours") or []:
        if isinstance(hours, dict) and hours.get("closes"):
            channel = norsk.lower_label(labels("channel", str(hours.get("channel"))))
            by_closing.setdefault(_clock(hours["closes"]), []).append(channel)
    return [
        _("Under kampanjen hadde vi utvidet åpningstid til kl. %(closes)s på %(channels)s.")
        % {"closes": closes, "channels": norsk.join_and(dict.fromkeys(channels))}
        for closes, channels in by_closing.items()
    ]


def _target(row: Stats, labels: Labels) -> str:
    """A platform's target group: the agency's own words ("13-17 år"), else the age groups."""
    text = str(row.get("target_ages") or "").strip()
    if text:
        return text
    groups = [labels("age_group", str(c)) for c in row.get("target_age_groups") or []]
    return norsk.join_and(groups)


def _gender_split(row: Stats) -> str:
    women, men, other = row.get("percent_women"), row.get("percent_men"), row.get("percent_other")
    if women is None and men is None:
        return ""
    parts = []
    if women is not None:
        parts.append(_("%(pct)s jenter") % {"pct": norsk.percent(as_int(women))})
    if men is not None:
        parts.append(_("%(pct)s gutter") % {"pct": norsk.percent(as_int(men))})
    if other:
        parts.append(_("%(pct)s annet eller ukjent") % {"pct": norsk.percent(as_int(other))})
    return norsk.join_and(parts)


def _campaign_audience(rows: list[Stats], labels: Labels) -> list[str]:
    """ "Målgruppen var 15-21 år på Snapchat og 13-24 år på TikTok." and the gender split."""
    out = []
    targets = [(_platform_name(str(r.get("platform"))), _target(r, labels)) for r in rows]
    targets = [(name, target) for name, target in targets if target]
    if targets:
        if len({target for _name, target in targets}) == 1:
            said = targets[0][1]
        else:
            said = norsk.join_and(
                _("%(target)s på %(platform)s") % {"target": target, "platform": name}
                for name, target in targets
            )
        out.append(_("Målgruppen var %(target)s.") % {"target": said})
    splits = [
        _("%(platform)s: %(split)s")
        % {"platform": _platform_name(str(r.get("platform"))), "split": s}
        for r in rows
        if (s := _gender_split(r))
    ]
    if splits:
        out.append(
            _("Kjønnsfordeling blant dem som ble nådd: %(splits)s.") % {"splits": "; ".join(splits)}
        )
    return out


def _campaign_table(name: str, rows: list[Stats], labels: Labels) -> Table | None:
    """The campaign's panel in the seed report: per platform, target group, gender, results."""
    if not rows:
        return None
    columns: list[tuple[str, Any]] = [
        (_("Plattform"), lambda r: norsk.capitalise(_platform_name(str(r.get("platform"))))),
        (_("Målgruppe"), lambda r: _target(r, labels)),
        (_("Jenter"), lambda r: _pct_or_blank(r.get("percent_women"))),
        (_("Gutter"), lambda r: _pct_or_blank(r.get("percent_men"))),
        (_("Annet/ukjent"), lambda r: _pct_or_blank(r.get("percent_other"))),
        (_("Annonsevisninger"), lambda r: r.get("impressions")),
        (_("Klikk"), lambda r: r.get("clicks")),
        (_("Unike nettlesere"), lambda r: r.get("unique_browsers")),
        (_("Avspillinger på skjerm"), lambda r: r.get("screen_plays")),
    ]
    # A column nobody filled in (no screens, no "other" gender) is left out, not shown empty.
    kept = columns[:2] + [
        (title, get) for title, get in columns[2:] if any(_given(get(r)) for r in rows)
    ]
    return Table(
        key="campaign_platforms",
        title=_("%(campaign)s: målgruppe og kjønnsfordeling per plattform") % {"campaign": name},
        columns=[title for title, _get in kept],
        rows=[[_cell(get(r)) for _title, get in kept] for r in rows],
        inline=True,
    )


def _pct_or_blank(value: Any) -> Cell:
    return Pct(as_int(value)) if value is not None else ""


def _given(value: Any) -> bool:
    return value not in (None, "", 0) and value != Pct(0)


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, int | float | str | Pct):
        return value
    return str(value)


def _effect_sentence(e: Effect, p: Protect) -> str:
    values = {"before": norsk.ratio(e.baseline_per_day), "during": norsk.ratio(e.campaign_per_day)}
    if e.campaign_per_day > e.baseline_per_day:
        sentence = _("Henvendelser per åpen dag steg fra %(before)s til %(during)s under kampanjen")
    elif e.campaign_per_day < e.baseline_per_day:
        sentence = _("Henvendelser per åpen dag sank fra %(before)s til %(during)s under kampanjen")
    else:
        sentence = _("Henvendelser per åpen dag var %(during)s både før og under kampanjen")
    sentence %= values
    if not (p.hidden(e.baseline_count) or p.hidden(e.campaign_count)):
        sentence += " " + _(
            "(%(before)s på %(before_days)s før, %(during)s på %(during_days)s under)"
        ) % {
            "before": p.count(e.baseline_count, "henvendelse"),
            "before_days": norsk.count(e.baseline_days, "åpen dag"),
            "during": p.n(e.campaign_count),
            "during_days": norsk.count(e.campaign_days, "åpen dag"),
        }
    notes = [sentence + "."]
    if not e.baseline_complete:
        notes.append(_("Det fantes færre åpne dager med data før kampanjen enn under den."))
    if e.overlapping:
        notes.append(
            _(
                "Kampanjen overlappet med %(campaigns)s, og virkningene kan "
                "ikke skilles fra hverandre."
            )
            % {"campaigns": norsk.join_and(e.overlapping)}
        )
    if e.in_progress:
        notes.append(_("Kampanjen pågikk fortsatt da tallene ble hentet."))
    notes.append(_("Tallene viser samtidighet, ikke at kampanjen alene var årsaken."))
    return " ".join(notes)


def _social_accounts(value: Any, year: int) -> list[str]:
    """Seed 5.1: "I 2023 har vi hatt fire kontoer på plattformene Facebook, Instagram, Snapchat
    og TikTok." and when the new ones were opened."""
    accounts = [a for a in value or [] if isinstance(a, dict) and a.get("active", True)]
    if not accounts:
        return []
    names = [str(PLATFORMS.get(str(a.get("platform")), a.get("platform"))) for a in accounts]
    n = len(accounts)
    out = [
        ngettext(
            "I %(year)s har vi hatt %(n)s konto i sosiale medier: %(platforms)s.",
            "I %(year)s har vi hatt %(n)s kontoer i sosiale medier: %(platforms)s.",
            n,
        )
        % {"year": year, "n": norsk.num(n), "platforms": norsk.join_and(names)}
    ]
    opened: dict[tuple[int, int], list[str]] = {}
    for account, name in zip(accounts, names, strict=True):
        day = _date(account.get("opened"))
        if day is not None and day.year == year:
            opened.setdefault((day.year, day.month), []).append(name)
    for (y, month), new in sorted(opened.items()):
        out.append(
            ngettext(
                "Kontoen på %(platforms)s opprettet vi i %(month)s %(year)s.",
                "Kontoene på %(platforms)s opprettet vi i %(month)s %(year)s.",
                len(new),
            )
            % {"platforms": norsk.join_and(new), "month": norsk.month_name(month), "year": y}
        )
    return out


def _social_media(value: Any) -> list[str]:
    entries: list[tuple[str, Stats]] = []
    if isinstance(value, dict):
        entries = [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
    elif isinstance(value, list):
        entries = [(str(v.get("platform", "")), v) for v in value if isinstance(v, dict)]
    out = []
    for platform, snap in entries:
        name = str(PLATFORMS.get(platform.lower(), platform))
        parts = []
        followers = _first(snap, "followers")
        likes = _first(snap, "likes")
        views = _first(snap, "top_video_views", "most_seen_video_views", "max_video_views")
        if followers is not None:
            parts.append(_("%(n)s følgere") % {"n": norsk.num(as_int(followers))})
        if likes is not None:
            parts.append(_("%(n)s «likerklikk»") % {"n": norsk.num(as_int(likes))})
        if not parts and views is None:
            continue
        sentence = _("%(platform)s-kontoen vår hadde ved siste telling %(counts)s.") % {
            "platform": name,
            "counts": norsk.join_and(parts),
        }
        if views is not None:
            sentence += " " + _("Den mest sette videoen er sett %(times)s.") % {
                "times": norsk.count(as_int(views), "gang")
            }
        out.append(sentence)
    return out


def _funders(campaigns: list[Stats]) -> list[str]:
    """ "Kampanjene Etterlatt i utlandet og Dobbeltliv er finansiert av IMDi." """
    by_funder: dict[str, list[str]] = {}
    for campaign in campaigns:
        funder = str(campaign.get("funder") or "").strip()
        if funder:
            by_funder.setdefault(funder, []).append(str(campaign.get("name") or ""))
    out = []
    for funder, names in by_funder.items():
        values = {"names": norsk.join_and(names), "funder": funder}
        if len(names) == 1:
            out.append(_("Kampanjen %(names)s er finansiert av %(funder)s.") % values)
        else:
            out.append(_("Kampanjene %(names)s er finansiert av %(funder)s.") % values)
    return out


def _media_kind(code: str, n: int) -> str:
    kind = MEDIA_KINDS.get(code)
    if kind is None:
        return code.replace("_", " ")
    return str(kind[0 if n == 1 else 1] % n)


def _media_blocks(value: Any, year: int) -> list[Block]:
    """The count by kind, the outlets named, and the list of appearances (seed 5.3)."""
    media_n, media_kinds = _count_and_kinds(value)
    if not media_n:
        return [Paragraph(_("Det er ikke registrert medieoppslag i %(year)s.") % {"year": year})]
    sentence = _("I %(year)s har vi hatt %(media)s") % {
        "year": year,
        "media": norsk.count(media_n, "medieoppslag"),
    }
    kinds = [f"{n} {_media_kind(k, n)}" for k, n in media_kinds.items() if n]
    if kinds:
        sentence += f": {norsk.join_and(kinds)}"
    sentence += "."
    items = [m for m in (value or {}).get("items") or [] if isinstance(m, dict)]
    outlets = list(dict.fromkeys(str(m.get("outlet") or "").strip() for m in items))
    outlets = [o for o in outlets if o]
    if outlets:
        sentence += " " + _("Vi var i %(outlets)s.") % {"outlets": norsk.join_and(outlets)}
    blocks: list[Block] = [Paragraph(sentence)]
    if items:
        with_campaign = any(m.get("campaign") for m in items)
        columns = [_("Dato"), _("Medium"), _("Type"), _("Tittel")]
        if with_campaign:
            columns.append(_("Kampanje"))
        rows: list[list[Cell]] = []
        for m in items:
            day = _date(m.get("date"))
            row: list[Cell] = [
                norsk.date(day) if day else "",
                str(m.get("outlet") or ""),
                norsk.capitalise(_media_kind(str(m.get("kind") or ""), 1)),
                str(m.get("title") or ""),
            ]
            if with_campaign:
                row.append(str(m.get("campaign") or ""))
            rows.append(row)
        blocks.append(
            Table(
                key="media",
                title=_("Medieoppslag i %(year)s") % {"year": year},
                columns=columns,
                rows=rows,
                inline=True,
            )
        )
    return blocks


def _highlights(value: Any, year: int) -> list[Block]:
    """The talks the manager marked for the report, as the seed's list of the year's events."""
    talks = value.get("highlights") if isinstance(value, dict) else None
    items = []
    for talk in talks or []:
        if not isinstance(talk, dict):
            continue
        day = _date(talk.get("date"))
        title = str(talk.get("title") or "").strip() or norsk.capitalise(
            str(TALK_KINDS.get(str(talk.get("kind")), talk.get("kind") or ""))
        )
        where = [str(talk.get(k) or "").strip() for k in ("organiser", "place")]
        head = title + (f" ({', '.join(w for w in where if w)})" if any(where) else "")
        if day is not None:
            head = f"{norsk.date(day)}: {head}"
        description = str(talk.get("description") or "").strip()
        items.append(f"{head}. {description}" if description else head)
    if not items:
        return []
    return [
        Paragraph(
            _("Av det som er gjennomført i %(year)s, vil vi nevne følgende:") % {"year": year}
        ),
        Bullets(items),
    ]


def _networks_sentence(value: Any) -> str:
    """ "Vi er også en del av 7 nettverk på fagfeltet: Østlandsnettverket, ... og X." """
    names: list[str] = []
    if isinstance(value, list):
        n = len(value)
        names = [str(v) for v in value if isinstance(v, str)]
    else:
        n = _count_and_kinds(value)[0]
        if isinstance(value, dict):
            names = [str(v) for v in value.get("names") or []]
    if not n:
        return ""
    counted = norsk.count(n, "nettverk")
    if names:
        return _("Vi er også en del av %(networks)s på fagfeltet: %(names)s.") % {
            "networks": counted,
            "names": norsk.join_and(names),
        }
    return _("Vi er også en del av %(networks)s på fagfeltet.") % {"networks": counted}


def _outreach_chapter(
    number: int,
    stats: Stats,
    figures: dict[str, Figure],
    p: Protect,
    labels: Labels | None = None,
) -> Chapter:
    labels = labels or Labels()
    year = stats["year"]
    chapter = Chapter(number=number, title=_("Kunnskapsformidling"))
    outreach = stats.get("outreach")
    if not isinstance(outreach, dict):
        chapter.blocks.append(
            Note(
                _("Utadrettet arbeid (kampanjer, foredrag, media) er ikke registrert for %(year)s.")
                % {"year": year}
            )
        )
        return chapter
    social = _social_accounts(outreach.get("social_accounts"), year)
    social += _social_media(outreach.get("social_media"))
    site = website.website_of(stats)
    # The seed says what posting does to the website where it speaks of social media.
    social += website.post_day_sentences(site) if site is not None else []
    chapter.sections.append(
        Section(
            _("Sosiale medier"),
            [Paragraph(s) for s in social]
            or [
                Note(
                    _("Det er ikke registrert tall for sosiale medier i %(year)s.") % {"year": year}
                )
            ],
        )
    )
    campaigns = [c for c in outreach.get("campaigns") or [] if isinstance(c, dict)]
    campaign_blocks: list[Block] = []
    if campaigns:
        campaign_blocks.append(
            Paragraph(
                _(
                    "I %(year)s har vi hatt %(campaigns)s. "
                    "Resultatene av kampanjene er beskrevet under."
                )
                % {"year": year, "campaigns": norsk.count(len(campaigns), "kampanje")}
            )
        )
        campaign_blocks += _paragraphs(_funders(campaigns))
    else:
        campaign_blocks.append(
            Note(_("Det er ikke registrert kampanjer i %(year)s.") % {"year": year})
        )
    # Each campaign is a subsection of "Kampanjer" (4.2.1, 4.2.2...), as in the seed report.
    kampanjer = Section(_("Kampanjer"), campaign_blocks)
    kampanjer.subsections = [_campaign_section(c, labels, p) for c in campaigns]
    if "campaign_effect" in figures:
        kampanjer.subsections.append(
            Section(
                _("Kampanjenes effekt på henvendelser"),
                [
                    Paragraph(
                        _(
                            "Effekten er målt som relevante førstegangshenvendelser per åpen dag i "
                            "kampanjeperioden, mot like mange åpne dager rett før kampanjen "
                            "(helger, helligdager og stengte dager telles ikke)."
                        )
                    ),
                    figures["campaign_effect"],
                ],
            )
        )
    chapter.sections.append(kampanjer)
    chapter.sections.append(Section(_("Media"), _media_blocks(outreach.get("media"), year)))
    talks_n, talk_kinds = _count_and_kinds(outreach.get("talks"))
    participants = as_int(outreach.get("participants"))
    talks: list[Block] = []
    if talks_n:
        values = {"year": year, "activities": norsk.count(talks_n, "aktivitet")}
        kinds = [str(TALK_KINDS.get(k, k.replace("_", " "))) for k, n in talk_kinds.items() if n]
        if kinds:
            values["kinds"] = norsk.join_and(dict.fromkeys(kinds))
            sentence = _(
                "Tjenesten har i %(year)s hatt %(activities)s knyttet til informasjonsarbeid "
                "som %(kinds)s."
            )
        else:
            sentence = _(
                "Tjenesten har i %(year)s hatt %(activities)s knyttet til informasjonsarbeid."
            )
        sentence %= values
        if participants:
            sentence += " " + _("Til sammen var det %(participants)s.") % {
                "participants": norsk.count(participants, "deltaker")
            }
        talks.append(Paragraph(sentence))
        if talk_kinds:
            talks.append(
                Table(
                    key="talks",
                    title=_("Foredrag og kompetanseheving etter type"),
                    columns=[_("Type"), _("Antall")],
                    rows=[
                        [norsk.capitalise(str(TALK_KINDS.get(k, k.replace("_", " ")))), n]
                        for k, n in talk_kinds.items()
                    ],
                )
            )
    else:
        talks.append(
            Paragraph(_("Det er ikke registrert foredrag eller kurs i %(year)s.") % {"year": year})
        )
    networks = _networks_sentence(outreach.get("networks"))
    if networks:
        talks.append(Paragraph(networks))
    talks += _highlights(outreach.get("talks"), year)
    chapter.sections.append(Section(_("Foredrag og kompetanseheving"), talks))
    # Last, so the seed's numbering of the sections before it (4.2 Kampanjer) stays.
    if site is not None:
        site_blocks: list[Block] = [Paragraph(" ".join(website.totals_sentences(site, year)))]
        if "website_months" in figures:
            site_blocks.append(figures["website_months"])
        site_blocks += website.tables(stats)
        chapter.sections.append(Section(_("Nettsiden"), site_blocks))
    return chapter


# --- the report -------------------------------------------------------------------------------


def _manager(texts: dict[str, str], name: str, missing: str) -> Block:
    text = (texts.get(name) or "").strip()
    return Markdown(text) if text else Note(missing)


def _paragraphs(lines: list[str]) -> list[Block]:
    return [Paragraph(" ".join(lines))] if lines else []


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
    inq = stats.get("inquiries") or {}
    has_inquiries = as_int(inq.get("total")) > 0
    chapters: list[Chapter] = []

    chapters.append(
        Chapter(
            1,
            _("Om tjenesten"),
            [_manager(texts, "introduction", _("Innledningen er ikke skrevet ennå."))],
        )
    )
    chapters.append(
        Chapter(
            2,
            _("Utvikling av tiltaket %(year)s") % {"year": year},
            [_manager(texts, "development", _("Årets utvikling er ikke beskrevet ennå."))],
        )
    )

    first = Chapter(3, _("Førstegangshenvendelser"))
    first.blocks += _paragraphs(sentences.inquiries_intro(stats, p))
    if has_inquiries:
        first.sections.append(
            Section(
                _("Kontaktpunkt"),
                _paragraphs(sentences.contact_points(stats, labels, p))
                + _paragraphs(sentences.channel_by_age(stats, labels))
                + [figures["channel_age"]],
            )
        )
        first.sections.append(
            Section(
                _("Alder og kjønn"),
                [
                    *_paragraphs(sentences.age_groups(stats, labels, p)),
                    figures["age"],
                    *_paragraphs(sentences.gender(stats, p)),
                    figures["gender"],
                ],
            )
        )
        first.sections.append(
            Section(
                _("Oppfølging av henvendelser"),
                [*_paragraphs(sentences.follow_up_cases(stats, labels, p)), figures["referrals"]],
            )
        )
        first.sections.append(
            Section(
                _("Landsdel og landbakgrunn"),
                _paragraphs(sentences.regions(stats, labels, p))
                + [figures["region"]]
                + _paragraphs(sentences.countries(stats, p))
                + ([figures["countries"]] if not figures["countries"].empty() else []),
            )
        )
        first.sections.append(
            Section(
                _("Tema og hvem som tok kontakt"),
                [
                    *_paragraphs(sentences.themes(stats, labels, p)),
                    figures["themes"],
                    *_paragraphs(sentences.callers(stats, labels, p)),
                    figures["callers"],
                ],
            )
        )
        first.sections.append(
            Section(
                _("Henvendelser gjennom året"),
                [*_paragraphs(sentences.months(stats, p)), figures["months"]],
            )
        )
    chat = stats.get("chat")
    if isinstance(chat, dict):
        chat_blocks: list[Block] = list(_paragraphs(sentences.chat_summary(chat, year, p)))
        chat_blocks += [figures[k] for k in ("chat_weekday", "chat_hour") if k in figures]
        first.sections.append(Section(_("Chat"), chat_blocks))
    first.sections.append(
        Section(
            _("Eksempler på førstegangshenvendelser i %(year)s (detaljer er endret)")
            % {"year": year},
            [_manager(texts, "examples", _("Eksempler er ikke lagt inn for dette året."))],
        )
    )
    chapters.append(first)
    chapters.append(_outreach_chapter(4, stats, figures, p, labels))
    chapters.append(_follow_up_chapter(5, stats, figures, labels, p))
    chapters.append(
        Chapter(
            6,
            _("Veien videre"),
            [_manager(texts, "way_forward", _("Veien videre er ikke beskrevet ennå."))],
        )
    )
    return Report(
        year=year,
        service_name=service_name(),
        chapters=chapters,
        min_count=min_count if p.active else 0,
        generated_on=today or dt.date.today(),
    )


def _activity_text(code: str, n: int, block: Stats, year: int, labels: Labels, p: Protect) -> str:
    # The housing programme's section counts the persons transferred from it (the seed's
    # "Vi følger opp 18 personer som er overført"), not only the contacts with it.
    if code == "housing_programme":
        return sentences.housing_programme(block, n, year, p)
    return sentences.activity_sentence(code, n, year, labels, p)


def _follow_up_chapter(
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
    chapter.blocks += _paragraphs(sentences.follow_up_intro(block, year, p))
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
