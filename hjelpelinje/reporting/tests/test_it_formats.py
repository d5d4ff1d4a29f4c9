"""Each format opens in the tool a reader would use and holds the key figures."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from hjelpelinje.reporting.demo import texts_2023
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.report.document import Report
from hjelpelinje.reporting.tests.example_stats import full_2023, inquiries_only
from hjelpelinje.reporting.tests.helpers import seed_labels

KEY_SENTENCE = "I 2023 har tjenesten mottatt 158 relevante førstegangshenvendelser."


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(full_2023(), texts_2023(), seed_labels())


@pytest.fixture(scope="module")
def pdf(report: Report) -> PdfReader:
    return PdfReader(io.BytesIO(render(report, "pdf")))


def test_pdf_has_cover_contents_chapters_and_page_numbers(pdf: PdfReader) -> None:
    pages = [_flat(page.extract_text()) for page in pdf.pages]
    assert "ÅRSRAPPORT" in pages[0] and "2023" in pages[0]
    assert "Innhold" in pages[1]
    assert "Førstegangshenvendelser" in pages[1] and "Veien videre" in pages[1]
    whole = " ".join(pages)
    assert KEY_SENTENCE in whole
    assert "Til sammenligning mottok vi 60 i 2022." in whole
    assert "mottok vi 74 på chat og 67 på telefon" in whole
    assert "16% av sakene handler om menn" in whole
    assert "Vi har hatt kontakt med Nav 45 ganger" in whole
    assert "2 737 153 annonsevisninger" in whole
    # Norwegian letters survive, in text and in the charts' own labels (SVG text is text).
    assert "Østlandet" in whole and "Æresrelatert vold" in whole and "Sørlandet" in whole
    assert "Kampanjeperiode" in whole
    # The body pages are numbered in the footer; the cover is not.
    assert pages[4].rstrip().endswith("5") or " 5 " in pages[4] + " "
    assert "1" not in pages[0].split()[-1:]
    # The contents lists the page each chapter starts on.
    assert re.search(r"3\. Førstegangshenvendelser\s*\.*\s*\d+", pages[1])


def test_pdf_charts_are_vectors(pdf: PdfReader) -> None:
    # Vector charts carry no raster images.
    images = sum(len(page.images) for page in pdf.pages)
    assert images == 0


def test_docx_opens_with_headings_figures_and_tables(report: Report) -> None:
    document = Document(io.BytesIO(render(report, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert KEY_SENTENCE in text
    assert "Flest henvendelser gjaldt aldersgruppen 0-18" in text
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert "3. Førstegangshenvendelser" in headings and "6. Veien videre" in headings
    # The manager's text, with its Markdown list turned into list paragraphs.
    assert any(p.style is not None and p.style.name == "List Bullet" for p in document.paragraphs)
    assert len(document.inline_shapes) == len(report.figures())
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"74", "67", "158", "Østlandet"} <= cells


def test_xlsx_has_one_sheet_per_table_and_numbers_as_numbers(report: Report) -> None:
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert len(book.sheetnames) == len(report.tables()) + 1
    sheet = book["Kanal og alder"]
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["Aldersgruppe", "Telefon", "Chat"]
    row = [c.value for c in sheet[4]]
    assert row[0] == "0-18"
    assert row[1] == 12 and isinstance(row[1], int)
    assert row[2] == 45
    gender = book["Kjønn"]
    values = {r[0].value: r for r in gender.iter_rows(min_row=4)}
    assert values["Mann"][1].value == 25
    assert values["Mann"][2].value == pytest.approx(0.16)
    assert values["Mann"][2].number_format == "0%"


def test_html_inlines_svg_and_tables(report: Report) -> None:
    html = render(report, "html").decode()
    assert html.count("<svg") == len(report.figures())
    assert KEY_SENTENCE in _flat(html)
    assert '<table class="figures"' in html
    assert "<script" not in html


def test_report_without_optional_blocks_renders_in_every_format() -> None:
    report = build_report(inquiries_only(), {}, seed_labels())
    for fmt in ("docx", "xlsx", "html", "csv"):
        assert render(report, fmt)
    html = render(report, "html").decode()
    assert "Oppfølging av brukere er ikke registrert for 2023." in html
    assert "Innledningen er ikke skrevet ennå." in html
