"""The staff chart of website visits per day, drawn on the server as one inline SVG.

No script and no inline style: the staff pages' CSP would allow inline styles, but the
chart needs none, and colours are SVG presentation attributes. The SVG carries a title
and a description (its text alternative); the page shows the same figures as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from hjelpelinje.outreach.models import PostPlatform
from hjelpelinje.outreach.selectors import WebsiteDay
from hjelpelinje.reporting import norsk

# One colour per platform, told apart on a white page and from the bars.
PLATFORM_COLOURS = {
    PostPlatform.TIKTOK.value: "#c2185b",
    PostPlatform.SNAPCHAT.value: "#b7950b",
    PostPlatform.INSTAGRAM.value: "#7b3fa0",
    PostPlatform.FACEBOOK.value: "#1f5fbf",
    PostPlatform.YOUTUBE.value: "#d35400",
    PostPlatform.OTHER.value: "#4d4d4d",
}
BAR = "#5b7fa8"
CAMPAIGN = "#e3ecd9"
GRID = "#d0d0d0"
TEXT = "#333333"

WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 40, 30


@dataclass(frozen=True)
class Span:
    name: str
    start: dt.date
    end: dt.date


def _nice_max(value: int) -> tuple[int, int]:
    """A round top for the y axis and its step, so gridlines fall on round numbers."""
    if value <= 4:
        return 4, 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step_factor in (1, 2, 5, 10):
        step = magnitude * step_factor // 5 or 1
        top = -(-value // step) * step
        if top // step <= 6:
            return top, step
    return value, value


def _a(name: str, value: object) -> str:
    return f" {name}={quoteattr(str(value))}"


def description(days: Sequence[WebsiteDay], spans: Sequence[Span]) -> str:
    """The chart's text alternative: the period, the total, the busiest day, what is marked."""
    if not days:
        return _("Ingen dager i perioden.")
    total = sum(d.visits for d in days)
    busiest = max(days, key=lambda d: (d.visits, -d.day.toordinal()))
    post_days = sum(1 for d in days if d.platforms)
    text = _(
        "Besøk per dag fra %(start)s til %(end)s: til sammen %(total)s besøk, flest "
        "%(busiest_day)s med %(busiest)s."
    ) % {
        "start": norsk.date(days[0].day),
        "end": norsk.date(days[-1].day),
        "total": norsk.num(total),
        "busiest_day": norsk.date(busiest.day),
        "busiest": norsk.num(busiest.visits),
    }
    text += " " + _(
        "%(posts)s dager med innlegg i sosiale medier er merket over søylene, og "
        "%(campaigns)s kampanjeperioder er skravert. Tabellen under har alle tallene."
    ) % {"posts": norsk.num(post_days), "campaigns": norsk.num(len(spans))}
    return text


def website_svg(days: Sequence[WebsiteDay], spans: Sequence[Span], *, title: str) -> str:
    """The chart: a bar per day, the posts' marks above it and the campaigns shaded."""
    n = max(len(days), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step_x = plot_w / n
    top, step = _nice_max(max((d.visits for d in days), default=0))
    first = days[0].day if days else dt.date(2000, 1, 1)

    def x_of(day: dt.date) -> float:
        return LEFT + (day - first).days * step_x

    def y_of(value: float) -> float:
        return TOP + plot_h - (value / top) * plot_h

    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="website-chart" role="img"'
        + _a("viewBox", f"0 0 {WIDTH} {HEIGHT}")
        + ' aria-labelledby="website-chart-title website-chart-desc"'
        + ' preserveAspectRatio="xMidYMid meet">',
        f'<title id="website-chart-title">{escape(title)}</title>',
        f'<desc id="website-chart-desc">{escape(description(days, spans))}</desc>',
    ]
    # Campaign periods first, so bars and marks are drawn over them.
    for span in spans:
        start = max(span.start, first)
        end = min(span.end, days[-1].day) if days else span.end
        if end < start:
            continue
        x = x_of(start)
        w = (end - start).days * step_x + step_x
        out.append(
            "<rect"
            + _a("class", "campaign-span")
            + _a("x", f"{x:.1f}")
            + _a("y", TOP)
            + _a("width", f"{w:.1f}")
            + _a("height", plot_h)
            + _a("fill", CAMPAIGN)
            + f"><title>{escape(span.name)}</title></rect>"
        )
        out.append(
            "<text"
            + _a("x", f"{x + 3:.1f}")
            + _a("y", TOP + 13)
            + _a("font-size", 11)
            + _a("fill", "#3c5a1e")
            + f">{escape(span.name)}</text>"
        )
    # Gridlines and the y axis's numbers.
    value = 0
    while value <= top:
        y = y_of(value)
        out.append(
            "<line"
            + _a("x1", LEFT)
            + _a("x2", WIDTH - RIGHT)
            + _a("y1", f"{y:.1f}")
            + _a("y2", f"{y:.1f}")
            + _a("stroke", GRID)
            + _a("stroke-width", 1)
            + "/>"
        )
        out.append(
            "<text"
            + _a("x", LEFT - 6)
            + _a("y", f"{y + 4:.1f}")
            + _a("font-size", 11)
            + _a("text-anchor", "end")
            + _a("fill", TEXT)
            + f">{escape(norsk.num(value))}</text>"
        )
        value += step
    bar_w = max(step_x * 0.8, 1.0)
    for d in days:
        x = x_of(d.day)
        y = y_of(d.visits)
        label = f"{norsk.date(d.day)}: {norsk.num(d.visits)}"
        out.append(
            "<rect"
            + _a("class", "day-bar")
            + _a("x", f"{x + (step_x - bar_w) / 2:.1f}")
            + _a("y", f"{y:.1f}")
            + _a("width", f"{bar_w:.1f}")
            + _a("height", f"{TOP + plot_h - y:.1f}")
            + _a("fill", BAR)
            + f"><title>{escape(label)}</title></rect>"
        )
        # One mark per platform that posted, stacked upwards above the plot.
        for i, platform in enumerate(d.platforms):
            out.append(
                "<circle"
                + _a("class", f"post-mark post-{platform}")
                + _a("cx", f"{x + step_x / 2:.1f}")
                + _a("cy", f"{TOP - 6 - i * 9:.1f}")
                + _a("r", 4)
                + _a("fill", PLATFORM_COLOURS.get(platform, TEXT))
                + f"><title>{escape(norsk.date(d.day))}: "
                + f"{escape(str(PostPlatform(platform).label))}</title></circle>"
            )
    # Dates along the bottom: the first of each month, or every week in a short period.
    for d in days:
        if (n > 45 and d.day.day == 1) or (n <= 45 and d.day.weekday() == 0):
            x = x_of(d.day) + step_x / 2
            text = f"{d.day.day}.{d.day.month}." if n <= 45 else norsk.month_abbr(d.day.month)
            out.append(
                "<text"
                + _a("x", f"{x:.1f}")
                + _a("y", HEIGHT - 10)
                + _a("font-size", 11)
                + _a("text-anchor", "middle")
                + _a("fill", TEXT)
                + f">{escape(text)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def legend_swatch(platform: str) -> str:
    """A small circle in the platform's colour, for the legend beside the chart."""
    return (
        '<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
        f'<circle cx="6" cy="6" r="5" fill="{PLATFORM_COLOURS.get(platform, TEXT)}"/></svg>'
    )
