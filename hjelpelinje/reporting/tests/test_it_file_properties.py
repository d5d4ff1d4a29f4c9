"""What a reader sees of the files before reading them: the workbook's tabs, the document's
title and language in Word and the file manager."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from hjelpelinje.reporting.demo import texts_2023
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.renderers.xlsx import sheet_title
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.report.document import Report
from hjelpelinje.reporting.tests.example_stats import full_2023
from hjelpelinje.reporting.tests.helpers import seed_labels


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(full_2023(), texts_2023(), seed_labels())


def test_the_workbooks_tabs_have_short_whole_names(report: Report) -> None:
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames[:5] == [
        "Om rapporten",
        "Kanal og alder",
        "Alder",
        "Kjønn",
        "Henvist til",
    ]
    assert "Per måned" in book.sheetnames and "Chat per klokkeslett" in book.sheetnames
    # Before, a 31-character cut left tabs such as "Førstegangshenvendelser etter k".
    for name in book.sheetnames:
        assert len(name) <= 31
    # The first sheet still gives each tab's full table title.
    listed = {row[0].value: row[1].value for row in book["Om rapporten"].iter_rows(min_row=8)}
    assert listed["Kanal og alder"] == "Førstegangshenvendelser etter kanal og aldersgruppe"


def test_a_table_without_a_chosen_name_is_cut_between_words() -> None:
    used: set[str] = set()
    title = "Henvendelser per åpen dag før og under kampanjene"
    assert sheet_title(title, used) == "Henvendelser per åpen dag før"
    assert sheet_title(title, used) == "Henvendelser per åpen dag (2)"


def test_the_document_has_its_title_and_language(report: Report) -> None:
    document = Document(io.BytesIO(render(report, "docx")))
    properties = document.core_properties
    assert properties.title.startswith("Årsrapport 2023 – ")
    assert properties.language == "nb-NO"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nb-NO"
