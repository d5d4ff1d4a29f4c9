"""A label typed into a code list can never run as a formula in the reader's spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from hjelpelinje.reporting.figures import Labels
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.tests.example_stats import full_2023
from hjelpelinje.reporting.tests.helpers import seed_labels

HOSTILE = ['=HYPERLINK("http://evil.example","klikk")', "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def report():
    labels = seed_labels().by_list
    themes = dict(labels["theme"])
    for code, text in zip(
        ["forced_marriage", "fgm", "honour_violence", "other"], HOSTILE, strict=True
    ):
        themes[code] = text
    return build_report(full_2023(), {}, Labels({**labels, "theme": themes}))


def test_xlsx_stores_them_as_text(report) -> None:
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    sheet = book["Tema"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in HOSTILE:
        assert text in cells, text
        assert cells[text].data_type == "s"
        assert cells[text].quotePrefix
    # The counts beside them stay numbers.
    counts = [row[1].value for row in sheet.iter_rows(min_row=4) if row[0].value in HOSTILE]
    assert all(isinstance(v, int) for v in counts)


def test_xlsx_raw_xml_holds_no_formula(report) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render(report, "xlsx"))) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_csv_prefixes_them_with_an_apostrophe(report) -> None:
    text = render(report, "csv").decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    for hostile in HOSTILE:
        assert "'" + hostile in cells
        assert hostile not in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "158" in cells
