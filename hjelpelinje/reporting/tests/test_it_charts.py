"""Charts that read right: an empty year, whole-number counts, one number format per language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from hjelpelinje.reporting.charts import _draw, render_svg
from hjelpelinje.reporting.figures import Chart, Labels, Protect
from hjelpelinje.reporting.report.shared_figures import build_figures


def _value_axis(chart: Chart) -> tuple[tuple[float, float], list[float]]:
    fig = _draw(chart, 7.0, 3.0)
    ax = fig.axes[0]
    if chart.kind == "hbar":
        return ax.get_xlim(), list(ax.get_xticks())
    return ax.get_ylim(), list(ax.get_yticks())


def _svg_texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.strip()]


@pytest.mark.parametrize("kind", ["bar", "hbar"])
def test_an_empty_year_counts_from_zero_in_whole_numbers(kind: str) -> None:
    """A year with no chats: the axis starts at 0 and its ticks are 0, 1, 2 ... not ±0.045."""
    empty = {"year": 2031, "inquiries": {"total": 0}, "chat": {"sessions": 0, "by_weekday": []}}
    figures = build_figures(empty, Labels(), Protect())
    chart = figures["chat_weekday"].chart
    chart.kind = kind
    (low, high), ticks = _value_axis(chart)
    assert low == 0
    assert high >= 1
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert all(t >= 0 for t in ticks if low <= t <= high)


def test_counts_get_whole_number_ticks() -> None:
    chart = Chart(key="k", title="t", kind="bar", categories=["a", "b"], series=[("n", [1, 3])])
    (low, _high), ticks = _value_axis(chart)
    assert low == 0
    assert all(float(t).is_integer() for t in ticks)


CAMPAIGNS = Chart(
    key="campaign_effect",
    title="t",
    kind="bar",
    categories=["Chat-kampanje", "Dobbeltliv"],
    series=[("før", [0.33, 0.53]), ("under", [2.0, 1.7])],
)


def test_campaign_chart_uses_the_decimal_comma_in_bokmal() -> None:
    with translation.override("nb"):
        texts = _svg_texts(render_svg(CAMPAIGNS))
    numbers = [t for t in texts if re.fullmatch(r"[\d.,]+", t)]
    # Bar labels and axis ticks alike: "2,00" beside "1,70", never "2.00" or "1,7".
    assert {"0,33", "0,53", "2,00", "1,70"} <= set(numbers)
    assert not [n for n in numbers if "." in n]
    assert all(re.fullmatch(r"\d+,\d\d", n) for n in numbers), numbers


def test_campaign_chart_uses_the_decimal_point_in_english() -> None:
    with translation.override("en"):
        texts = _svg_texts(render_svg(CAMPAIGNS))
    numbers = [t for t in texts if re.fullmatch(r"[\d.,]+", t)]
    assert {"0.33", "0.53", "2.00", "1.70"} <= set(numbers)
    assert all(re.fullmatch(r"\d+\.\d\d", n) for n in numbers), numbers
