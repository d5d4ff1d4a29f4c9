"""Render the report model in the formats the organisation works with."""

from __future__ import annotations

from collections.abc import Callable

from hjelpelinje.reporting.report.document import Report

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render(report: Report, fmt: str) -> bytes:
    renderer = _renderers()[fmt]
    return renderer(report)


def _renderers() -> dict[str, Callable[[Report], bytes]]:
    from hjelpelinje.reporting.renderers.csv import render_csv
    from hjelpelinje.reporting.renderers.docx import render_docx
    from hjelpelinje.reporting.renderers.html import render_html
    from hjelpelinje.reporting.renderers.pdf import render_pdf
    from hjelpelinje.reporting.renderers.xlsx import render_xlsx

    return {
        "pdf": render_pdf,
        "docx": render_docx,
        "html": lambda report: render_html(report).encode(),
        "xlsx": render_xlsx,
        "csv": render_csv,
    }
