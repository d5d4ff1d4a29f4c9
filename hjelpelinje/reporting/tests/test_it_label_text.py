"""A code-list label with `$` or a backslash in it is drawn and printed as typed.

Matplotlib reads text between two `$` as mathtext: `$x$` would draw an italic x without
the dollars, `\\frac{1}{2}` a fraction, and an unbalanced `$` fails the whole chart. Labels
are typed by managers, so every chart and every report shows them literally.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest

from hjelpelinje.reporting.charts import render_png, render_svg
from hjelpelinje.reporting.figures import Chart, Labels
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.tests.example_stats import full_2023
from hjelpelinje.reporting.tests.helpers import seed_labels

DOLLARS = "Betalt $x$ for reisen"
FRACTION = r"Halvparten \frac{1}{2}"
BROKEN = r"Pris $\frac$ alene"  # not valid mathtext: the chart itself would fail


def _chart() -> Chart:
    return Chart(
        key="themes",
        title="Tema $y$",
        kind="hbar",
        categories=[DOLLARS, FRACTION, BROKEN],
        series=[("2023 $z$", [3, 2, 1])],
        ylabel="",
    )


def _drawn_texts(svg: str) -> list[str]:
    """The text elements a browser shows (matplotlib also leaves each source string in an
    XML comment; mathtext draws glyph by glyph in <tspan>s instead of one <text>)."""
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_the_svg_draws_each_label_as_typed() -> None:
    texts = _drawn_texts(render_svg(_chart()))
    for label in (DOLLARS, FRACTION, BROKEN):
        assert label in texts, label


def test_a_label_that_is_broken_mathtext_still_draws_a_png() -> None:
    png = render_png(_chart(), dpi=50)
    assert png.startswith(b"\x89PNG")


@pytest.fixture
def report():
    labels = seed_labels().by_list
    themes = dict(labels["theme"])
    themes["forced_marriage"] = DOLLARS
    themes["fgm"] = FRACTION
    themes["honour_violence"] = BROKEN
    return build_report(full_2023(), {}, Labels({**labels, "theme": themes}))


def test_the_html_report_prints_and_draws_them_literally(report) -> None:
    page = render(report, "html").decode()
    texts = _drawn_texts(page)
    cells = [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", page)]
    for label in (DOLLARS, FRACTION, BROKEN):
        assert label in cells, label  # the table
        assert label in texts, label  # the chart inlined beside it


def test_the_docx_report_holds_them_as_text(report) -> None:
    with zipfile.ZipFile(io.BytesIO(render(report, "docx"))) as archive:
        document = html.unescape(archive.read("word/document.xml").decode())
    for label in (DOLLARS, FRACTION, BROKEN):
        assert label in document
