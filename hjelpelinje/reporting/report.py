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

from hjelpelinje.reporting import norsk, sentences
from hjelpelinje.reporting.figures import (
    Cell,
    Chart,
    Figure,
    Labels,
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


TALK_KINDS = {
    "talk": "foredrag på seminar",
    "seminar": "foredrag på seminar",
    "seminar_talk": "foredrag på seminar",
    "course": "kurs",
    "school_visit": "skolebesøk",
    "school": "skolebesøk",
    "organisation_visit": "organisasjonsbesøk",
    "organization_visit": "organisasjonsbesøk",
    "visit": "organisasjonsbesøk",
    "workshop": "workshop",
    "consultation": "innspillsmøte med offentlig instans",
    "consultation_meeting": "innspillsmøte med offentlig instans",
}
MEDIA_KINDS = {
    "interview": ("intervju", "intervjuer"),
    "radio": ("radioinnslag", "radioinnslag"),
    "op_ed": ("kronikk", "kronikker"),
    "oped": ("kronikk", "kronikker"),
    "comment": ("kommentar", "kommentarer"),
}
PLATFORMS = {
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "airport_screens": "skjermer på flyplasser",
    "transit_screens": "skjermer på kollektivtransport og kjøpesentre",
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


def _campaign_section(campaign: Stats, p: Protect) -> Section:
    name = str(campaign.get("name") or "Kampanje")
    out: list[Block] = []
    facts: list[str] = []
    start, end = _campaign_dates(campaign)
    if start and end:
        excluded = ""
        if campaign.get("excludes_weekends") or campaign.get("exclude_weekends"):
            excluded = ", ekskludert helger"
        if campaign.get("excludes_holidays") or campaign.get("exclude_holidays"):
            excluded = ", ekskludert helger og fridager" if excluded else ", ekskludert fridager"
        facts.append(f"Kampanjen ble kjørt fra {norsk.period(start, end)}{excluded}.")
    funder = campaign.get("funder")
    platforms = campaign.get("platforms")
    details = []
    if isinstance(platforms, list) and platforms:
        names = [
            PLATFORMS.get(str(pl if not isinstance(pl, dict) else pl.get("platform")), str(pl))
            for pl in platforms
        ]
        details.append(f"Kampanjen gikk på {norsk.join_and(names)}.")
    if funder:
        details.append(f"Kampanjen var finansiert av {funder}.")
    if details:
        facts.extend(details)
    results = []
    impressions = as_int(_campaign_value(campaign, "impressions"))
    clicks = as_int(_campaign_value(campaign, "clicks"))
    browsers = as_int(_campaign_value(campaign, "unique_browsers"))
    plays = as_int(_campaign_value(campaign, "screen_plays"))
    if impressions:
        results.append(f"{norsk.num(impressions)} annonsevisninger")
    if browsers:
        results.append(f"{norsk.num(browsers)} individuelle nettlesere nådd")
    if clicks:
        results.append(f"{norsk.num(clicks)} klikk til nettsiden vår")
    if plays:
        results.append(f"{norsk.num(plays)} avspillinger på skjermer")
    if results:
        facts.append(f"Kampanjen resulterte i {norsk.join_and(results)}.")
    if facts:
        out.append(Paragraph(" ".join(facts)))
    effect = _campaign_effect(campaign)
    if effect is not None:
        out.append(Paragraph(_effect_sentence(effect, p)))
    return Section(title=name, blocks=out)


def _effect_sentence(e: Effect, p: Protect) -> str:
    before, during = norsk.decimal(e.baseline_per_day), norsk.decimal(e.campaign_per_day)
    if e.campaign_per_day > e.baseline_per_day:
        sentence = f"Henvendelser per åpen dag steg fra {before} til {during} under kampanjen"
    elif e.campaign_per_day < e.baseline_per_day:
        sentence = f"Henvendelser per åpen dag sank fra {before} til {during} under kampanjen"
    else:
        sentence = f"Henvendelser per åpen dag var {during} både før og under kampanjen"
    if not (p.hidden(e.baseline_count) or p.hidden(e.campaign_count)):
        sentence += (
            f" ({p.n(e.baseline_count)} henvendelser på "
            f"{norsk.count(e.baseline_days, 'åpen dag')} før, {p.n(e.campaign_count)} på "
            f"{norsk.count(e.campaign_days, 'åpen dag')} under)"
        )
    notes = [sentence + "."]
    if not e.baseline_complete:
        notes.append("Det fantes færre åpne dager med data før kampanjen enn under den.")
    if e.overlapping:
        notes.append(
            f"Kampanjen overlappet med {norsk.join_and(e.overlapping)}, og virkningene kan "
            "ikke skilles fra hverandre."
        )
    if e.in_progress:
        notes.append("Kampanjen pågikk fortsatt da tallene ble hentet.")
    notes.append("Tallene viser samtidighet, ikke at kampanjen alene var årsaken.")
    return " ".join(notes)


def _social_media(value: Any) -> list[str]:
    entries: list[tuple[str, Stats]] = []
    if isinstance(value, dict):
        entries = [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
    elif isinstance(value, list):
        entries = [(str(v.get("platform", "")), v) for v in value if isinstance(v, dict)]
    out = []
    for platform, snap in entries:
        name = PLATFORMS.get(platform.lower(), platform)
        parts = []
        followers = _first(snap, "followers")
        likes = _first(snap, "likes")
        views = _first(snap, "top_video_views", "most_seen_video_views", "max_video_views")
        if followers is not None:
            parts.append(f"{norsk.num(as_int(followers))} følgere")
        if likes is not None:
            parts.append(f"{norsk.num(as_int(likes))} «likerklikk»")
        if not parts and views is None:
            continue
        sentence = f"{name}-kontoen vår hadde ved siste telling {norsk.join_and(parts)}."
        if views is not None:
            sentence += f" Den mest sette videoen er sett {norsk.num(as_int(views))} ganger."
        out.append(sentence)
    return out


def _outreach_chapter(number: int, stats: Stats, figures: dict[str, Figure], p: Protect) -> Chapter:
    year = stats["year"]
    chapter = Chapter(number=number, title="Kunnskapsformidling")
    outreach = stats.get("outreach")
    if not isinstance(outreach, dict):
        chapter.blocks.append(
            Note(f"Utadrettet arbeid (kampanjer, foredrag, media) er ikke registrert for {year}.")
        )
        return chapter
    social = _social_media(outreach.get("social_media"))
    chapter.sections.append(
        Section(
            "Sosiale medier",
            [Paragraph(s) for s in social]
            or [Note(f"Det er ikke registrert tall for sosiale medier i {year}.")],
        )
    )
    campaigns = [c for c in outreach.get("campaigns") or [] if isinstance(c, dict)]
    campaign_blocks: list[Block] = []
    if campaigns:
        campaign_blocks.append(
            Paragraph(
                f"I {year} har vi hatt {norsk.count(len(campaigns), 'kampanje')}. "
                "Resultatene av kampanjene er beskrevet under."
            )
        )
    else:
        campaign_blocks.append(Note(f"Det er ikke registrert kampanjer i {year}."))
    chapter.sections.append(Section("Kampanjer", campaign_blocks))
    for campaign in campaigns:
        chapter.sections.append(_campaign_section(campaign, p))
    if "campaign_effect" in figures:
        chapter.sections.append(
            Section(
                "Kampanjenes effekt på henvendelser",
                [
                    Paragraph(
                        "Effekten er målt som relevante førstegangshenvendelser per åpen dag i "
                        "kampanjeperioden, mot like mange åpne dager rett før kampanjen "
                        "(helger, helligdager og stengte dager telles ikke)."
                    ),
                    figures["campaign_effect"],
                ],
            )
        )
    media_n, media_kinds = _count_and_kinds(outreach.get("media"))
    media: list[Block] = []
    if media_n:
        sentence = f"I {year} har vi hatt {norsk.count(media_n, 'medieoppslag')}"
        kinds = [
            f"{n} {MEDIA_KINDS.get(k, (k.replace('_', ' '),) * 2)[0 if n == 1 else 1]}"
            for k, n in media_kinds.items()
            if n
        ]
        if kinds:
            sentence += f": {norsk.join_and(kinds)}"
        media.append(Paragraph(sentence + "."))
    else:
        media.append(Paragraph(f"Det er ikke registrert medieoppslag i {year}."))
    chapter.sections.append(Section("Media", media))
    talks_n, talk_kinds = _count_and_kinds(outreach.get("talks"))
    participants = as_int(outreach.get("participants"))
    networks_value = outreach.get("networks")
    networks = (
        len(networks_value)
        if isinstance(networks_value, list)
        else _count_and_kinds(networks_value)[0]
    )
    talks: list[Block] = []
    if talks_n:
        sentence = (
            f"Tjenesten har i {year} hatt {norsk.count(talks_n, 'aktivitet')} knyttet til "
            "informasjonsarbeid"
        )
        kinds = [TALK_KINDS.get(k, k.replace("_", " ")) for k, n in talk_kinds.items() if n]
        if kinds:
            sentence += " som " + norsk.join_and(dict.fromkeys(kinds))
        sentence += "."
        if participants:
            sentence += f" Til sammen var det {norsk.count(participants, 'deltaker')}."
        talks.append(Paragraph(sentence))
        if talk_kinds:
            talks.append(
                Table(
                    key="talks",
                    title="Foredrag og kompetanseheving etter type",
                    columns=["Type", "Antall"],
                    rows=[
                        [norsk.capitalise(TALK_KINDS.get(k, k.replace("_", " "))), n]
                        for k, n in talk_kinds.items()
                    ],
                )
            )
    else:
        talks.append(Paragraph(f"Det er ikke registrert foredrag eller kurs i {year}."))
    if networks:
        talks.append(
            Paragraph(f"Vi er også en del av {norsk.count(networks, 'nettverk')} på fagfeltet.")
        )
    chapter.sections.append(Section("Foredrag og kompetanseheving", talks))
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
    chapters.append(_outreach_chapter(4, stats, figures, p))
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
                [Paragraph(sentences.activity_sentence(code, n, year, labels, p))],
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
