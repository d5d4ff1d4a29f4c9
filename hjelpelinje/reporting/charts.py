"""Charts drawn server-side with matplotlib (Agg): SVG for the screen and PDF, PNG for DOCX.

Text in the SVG stays text (`svg.fonttype: none`), so the PDF is searchable, the charts are
small, and the labels render in the report's own font with æ, ø and å.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from hjelpelinje.reporting import norsk
from hjelpelinje.reporting.figures import Chart

# The report's palette: this year in the service's red, last year in a quiet slate.
PALETTE = ["#a51d24", "#5b6b7c", "#e0897f", "#2f4858", "#c9b79c", "#86a3b8", "#d6d6d6"]
TWO_YEARS = ["#9aa5b1", "#a51d24"]
SPAN_COLOUR = "#f3d9d6"
TEXT = "#222222"
GRID = "#e3e3e3"

_RC: Any = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#999999",
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "svg.hashsalt": "hjelpelinje",
    # Labels are typed by managers: "$" must draw as a dollar sign, never start mathtext
    # (which would garble the label, or fail the whole chart on an unbalanced "$").
    "text.parse_math": False,
}
# Pyplot's global state is not thread-safe; figures made directly are, but rcParams are shared.
_lock = threading.Lock()


def _colours(chart: Chart) -> list[str]:
    # Two series are always "before and now": the earlier quiet, the current in red.
    return TWO_YEARS if len(chart.series) == 2 else PALETTE


def _draw(chart: Chart, width: float, height: float) -> MplFigure:
    fig = MplFigure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    colours = _colours(chart)
    count = max(len(chart.series), 1)
    positions = list(range(len(chart.categories)))
    for start, end, _label in chart.spans:
        if chart.kind == "bar":
            ax.axvspan(start, end, color=SPAN_COLOUR, zorder=0, lw=0)
    group = 0.8
    bar = group / count
    for index, (name, values) in enumerate(chart.series):
        offsets = [p - group / 2 + bar * (index + 0.5) for p in positions]
        colour = colours[index % len(colours)]
        if chart.kind == "hbar":
            # Largest at the top, as a reader scans a ranking.
            ax.barh(
                [-o for o in offsets],
                values,
                height=bar * 0.92,
                color=colour,
                label=name,
                zorder=2,
            )
        else:
            ax.bar(offsets, values, width=bar * 0.92, color=colour, label=name, zorder=2)
    if chart.kind == "hbar":
        ax.set_yticks([-p for p in positions], chart.categories)
        ax.xaxis.grid(True, color=GRID, zorder=0)
        ax.set_ylim(-len(positions) + 0.4, 0.6)
        _label_bars(ax, chart, horizontal=True)
    else:
        rotate = len(chart.categories) > 8 and max(map(len, chart.categories or [""])) > 3
        ax.set_xticks(
            positions,
            chart.categories,
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
        )
        ax.yaxis.grid(True, color=GRID, zorder=0)
        if len(positions) <= 16:
            _label_bars(ax, chart, horizontal=False)
    counts = all(float(v).is_integer() for _, values in chart.series for v in values)
    axis = ax.xaxis if chart.kind == "hbar" else ax.yaxis
    if counts:
        # Counts get whole-number ticks: "12.5 inquiries" means nothing.
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: norsk.num(round(v))))
    else:
        # Ratios: the same two decimals, and the same decimal mark, as the bar labels.
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: norsk.ratio(v)))
    if not any(v for _, values in chart.series for v in values):
        # Nothing to draw: matplotlib would centre the axis on zero (−0.045 to 0.045); a
        # reader expects an empty chart to start at 0 and count in whole numbers.
        (ax.set_xlim if chart.kind == "hbar" else ax.set_ylim)(0, 5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if chart.ylabel:
        ax.set_ylabel(chart.ylabel)
    ax.tick_params(length=0)
    handles, labels = ax.get_legend_handles_labels()
    if chart.spans:
        handles.append(Patch(color=SPAN_COLOUR, label=_("Kampanjeperiode")))
        labels.append(_("Kampanjeperiode"))
    if len(chart.series) > 1 or chart.spans:
        ax.legend(handles, labels, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _margins(fig, chart, legend=len(chart.series) > 1 or bool(chart.spans))
    return fig


def _margins(fig: MplFigure, chart: Chart, *, legend: bool) -> None:
    """Fixed margins from the label lengths: `tight_layout` would draw every chart twice."""
    width, height = fig.get_size_inches()
    longest = max((len(c) for c in chart.categories), default=1)
    char = 0.075  # inches per character at 9 pt
    left = 0.55 if chart.kind != "hbar" else min(0.45 * width, 0.25 + longest * char)
    if chart.ylabel:
        left += 0.25
    names = [name for name, _v in chart.series] + ([_("Kampanjeperiode")] if chart.spans else [])
    right = 0.6 + max(map(len, names)) * char if legend else 0.25
    rotate = chart.kind == "bar" and len(chart.categories) > 8 and longest > 3
    bottom = 0.45 + (min(longest, 14) * char * 0.7 if rotate else 0)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - 0.2 / height,
    )


def _value_label(value: float, *, counts: bool) -> str:
    """A bar's label: a count as a count, a ratio always with the ratio's two decimals.

    Deciding per chart, not per bar, keeps "2,00" beside "1,70" rather than "2" beside "1,7".
    """
    if not value:
        return ""
    return norsk.num(int(value)) if counts else norsk.ratio(value)


def _label_bars(ax: Any, chart: Chart, *, horizontal: bool) -> None:
    counts = all(float(v).is_integer() for _, values in chart.series for v in values)
    for container in ax.containers:
        ax.bar_label(
            container,
            labels=[_value_label(v, counts=counts) for v in container.datavalues],
            padding=2,
            fontsize=7.5,
            color=TEXT,
        )


def _size(chart: Chart) -> tuple[float, float]:
    if chart.kind == "hbar":
        return 7.0, max(1.6, 0.34 * len(chart.categories) * max(len(chart.series), 1) ** 0.5 + 0.8)
    return 7.0, 3.0


def render_svg(chart: Chart) -> str:
    with _lock, matplotlib.rc_context(_RC):
        fig = _draw(chart, *_size(chart))
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can be inlined in HTML.
    return svg[svg.index("<svg") :]


def render_png(chart: Chart, dpi: int = 200) -> bytes:
    with _lock, matplotlib.rc_context(_RC):
        fig = _draw(chart, *_size(chart))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def chart_hash(chart: Chart) -> str:
    # The language is part of the key: the same numbers draw "1,70" in bokmål, "1.70" in English.
    payload = json.dumps(
        [
            chart.kind,
            chart.categories,
            chart.series,
            chart.spans,
            chart.ylabel,
            chart.title,
            get_language(),
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def cached_svg(chart: Chart) -> str:
    """The chart's SVG from the cache when the same chart was drawn before.

    The key is a hash of everything drawn, so a changed figure is a new key and a stale
    chart can never be shown; the dashboard loads in well under a second once drawn.
    """
    from hjelpelinje.reporting.cache import cache_get, cache_set

    key = f"reporting:svg:{chart_hash(chart)}"
    svg = cache_get(key)
    if svg is None:
        svg = render_svg(chart)
        cache_set(key, svg, 7 * 24 * 3600)
    return str(svg)


def cached_svg_or_none(chart: Chart) -> str | None:
    from hjelpelinje.reporting.cache import cache_get

    svg = cache_get(f"reporting:svg:{chart_hash(chart)}")
    return None if svg is None else str(svg)


def cached_png(chart: Chart) -> bytes:
    from hjelpelinje.reporting.cache import cache_get, cache_set

    key = f"reporting:png:{chart_hash(chart)}"
    png = cache_get(key)
    if png is None:
        png = render_png(chart)
        cache_set(key, png, 7 * 24 * 3600)
    return bytes(png)
