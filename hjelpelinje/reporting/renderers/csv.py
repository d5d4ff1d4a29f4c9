"""The report's tables as one CSV file (semicolon-separated, UTF-8 with BOM, for Excel).

Cells that start with `=`, `+`, `-` or `@` get a leading apostrophe so a spreadsheet shows
them as text instead of running them as formulas (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io

from hjelpelinje.reporting import norsk
from hjelpelinje.reporting.figures import Cell, Pct
from hjelpelinje.reporting.renderers.xlsx import FORMULA_START
from hjelpelinje.reporting.report.document import Report


def csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Pct):
        return norsk.percent(value.value)
    if isinstance(value, float):
        return norsk.ratio(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for table in report.tables():
        writer.writerow([csv_value(table.title)])
        writer.writerow([csv_value(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_value(v) for v in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
