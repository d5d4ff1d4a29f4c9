"""The figures shared by the annual report and the dashboard, built from the one
statistics result: each a chart with the accessible table beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hjelpelinje.reporting import norsk, website
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
from hjelpelinje.reporting.report import sentences
from hjelpelinje.reporting.report.document import Stats
from hjelpelinje.reporting.report.values import campaign_dates, first_of


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
    table = Table(key=key, title=title, columns=columns, rows=rows, note=small_numbers_note(p))
    chart = Chart(key=key, title=title, kind=kind, categories=names, series=series)
    return Figure(key=key, title=title, chart=chart, table=table)


def _share(year: int) -> str:
    return _("Andel %(year)s") % {"year": year}


def small_numbers_note(p: Protect) -> str:
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
            note=small_numbers_note(p),
        ),
    )


def campaign_spans(stats: Stats) -> list[tuple[float, float, str]]:
    """Campaign periods as positions on a month axis (0 = January), for shading."""
    spans = []
    year = stats["year"]
    for campaign in (stats.get("outreach") or {}).get("campaigns") or []:
        start, end = campaign_dates(campaign)
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
        table=Table(
            key="months", title=title, columns=columns, rows=rows, note=small_numbers_note(p)
        ),
        caption=caption,
    )


def simple_figure(
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
        table=Table(key=key, title=title, columns=columns, rows=rows, note=small_numbers_note(p)),
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
    return simple_figure("countries", _("Oppgitt landbakgrunn"), _("Land"), top, p)


def _chat_figures(block: Stats, p: Protect) -> list[Figure]:
    figures = []
    weekdays = _series_of(block.get("by_weekday"), 7)
    hours = _series_of(block.get("by_hour"), 24)
    if weekdays is not None:
        items = [(norsk.capitalise(norsk.weekday_name(d)), n) for d, n in enumerate(weekdays)]
        figures.append(
            simple_figure(
                "chat_weekday", _("Chatsamtaler etter ukedag"), _("Ukedag"), items, p, kind="bar"
            )
        )
    if hours is not None:
        items = [(f"{h:02d}", n) for h, n in enumerate(hours)]
        figures.append(
            simple_figure(
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
        "themes": simple_figure(
            "themes",
            _("Tema i henvendelsene"),
            labels.title("theme"),
            [(labels("theme", c), n) for c, n in ordered_counts(inq.get("by_theme")).items()],
            p,
            total=total,
        ),
        "callers": simple_figure(
            "callers",
            _("Hvem tok kontakt"),
            labels.title("caller"),
            [(labels("caller", c), n) for c, n in ordered_counts(inq.get("by_caller")).items()],
            p,
            total=total,
        ),
        "referrals": simple_figure(
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
        figures["activities"] = simple_figure(
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


def campaign_effect(campaign: Stats) -> Effect | None:
    """The effect figures of the outreach block (`effect.inquiries`), or None if not measured.

    A campaign without a baseline (it starts where the data starts) has no comparison.
    """
    effect = campaign.get("effect")
    if not isinstance(effect, dict):
        return None
    inner = effect.get("inquiries")
    measure: Stats = inner if isinstance(inner, dict) else effect
    campaign_days = as_int(first_of(measure, "campaign_days", "open_days"))
    baseline_days = as_int(first_of(measure, "baseline_days", "baseline_open_days"))
    if not campaign_days or not baseline_days:
        return None
    campaign_count = as_int(first_of(measure, "campaign_count", "inquiries"))
    baseline_count = as_int(first_of(measure, "baseline_count", "baseline_inquiries"))
    during = first_of(measure, "campaign_per_day", "per_open_day")
    before = first_of(measure, "baseline_per_day", "baseline_per_open_day")
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
        effect = campaign_effect(campaign)
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
            note=small_numbers_note(p),
        ),
    )
