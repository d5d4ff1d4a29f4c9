"""The report's tables as a workbook: one sheet per table, numbers as numbers.

A text cell that starts with `=`, `+`, `-` or `@` is stored as text, never as a formula, so a
label typed into a code list cannot run as a formula in the reader's spreadsheet.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hjelpelinje.reporting.figures import Cell, Pct
from hjelpelinje.reporting.report.document import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_cell(cell: XlCell | MergedCell, value: Cell) -> None:
    if isinstance(value, Pct):
        cell.value = value.value / 100
        cell.number_format = "0%"
    elif isinstance(value, bool) or value is None:
        cell.value = "" if value is None else str(value)
    elif isinstance(value, int | float):
        cell.value = value
        if isinstance(value, float):
            cell.number_format = "0.00"
    else:
        text = str(value)
        cell.value = text
        if text.startswith(FORMULA_START):
            # openpyxl would store "=..." as a formula; force a plain string and keep it text
            # when someone edits the cell in Excel.
            cell.data_type = "s"
            cell.quotePrefix = True


# A sheet's name may hold 31 characters; most table titles are longer, and cut there they end
# mid-word ("Førstegangshenvendelser etter k"). Each table gets a short name chosen for its
# tab instead; the first sheet lists every tab beside the table's full title.
SHEET_NAMES: dict[str, StrOrPromise] = {
    "channel_age": _("Kanal og alder"),
    "age": _("Alder"),
    "gender": _("Kjønn"),
    "referrals": _("Henvist til"),
    "region": _("Landsdel"),
    "countries": _("Landbakgrunn"),
    "themes": _("Tema"),
    "callers": _("Hvem tok kontakt"),
    "months": _("Per måned"),
    "chat_weekday": _("Chat per ukedag"),
    "chat_hour": _("Chat per klokkeslett"),
    "campaign_effect": _("Kampanjeeffekt"),
    "talks": _("Foredrag"),
    "activities": _("Oppfølgingsaktiviteter"),
}
_MAX = 31


def _whole_words(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word boundary (a single long word is cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,–-")
    return cut if cut and len(cut) <= limit else text[:limit]


def sheet_title(title: str, used: set[str], key: str = "") -> str:
    chosen = str(SHEET_NAMES[key]) if key in SHEET_NAMES else title
    cleaned = _BAD_SHEET_CHARS.sub(" ", chosen).strip().strip("'")
    base = _whole_words(cleaned, _MAX) or gettext("Tabell")
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = _whole_words(base, _MAX - len(suffix)) + suffix
        n += 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = gettext("Om rapporten")
    summary["A1"] = f"{report.title} – {report.service_name}"
    summary["A1"].font = Font(bold=True, size=14)
    summary["A3"] = gettext("Laget")
    summary["B3"] = report.generated_on
    # The date as the report's language writes it: 27.04.2023 in bokmål, 27 April 2023 in English.
    summary["B3"].number_format = gettext("DD.MM.YYYY")
    summary["A4"] = gettext("År")
    summary["B4"] = report.year
    summary["A5"] = gettext("Skjulte små tall")
    summary["B5"] = (
        gettext("Tall under %(n)s vises som «<%(n)s».") % {"n": report.min_count}
        if (report.min_count)
        else gettext("Nei")
    )
    summary["A7"] = gettext("Ark")
    summary["A7"].font = Font(bold=True)
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 60
    used = {summary.title.lower()}
    header_fill = PatternFill("solid", fgColor="F3D9D6")
    for index, table in enumerate(report.tables(), start=8):
        sheet = book.create_sheet(sheet_title(table.title, used, table.key))
        write_cell(summary.cell(row=index, column=1), sheet.title)
        write_cell(summary.cell(row=index, column=2), table.title)
        sheet.append([])
        write_cell(sheet.cell(row=1, column=1), table.title)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
        for col, name in enumerate(table.columns, start=1):
            cell = sheet.cell(row=3, column=col)
            write_cell(cell, name)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="left" if col == 1 else "right")
        for r, row in enumerate(table.rows, start=4):
            for col, value in enumerate(row, start=1):
                write_cell(sheet.cell(row=r, column=col), value)
                if col > 1:
                    sheet.cell(row=r, column=col).alignment = Alignment(horizontal="right")
        if table.note:
            write_cell(sheet.cell(row=len(table.rows) + 5, column=1), table.note)
        sheet.column_dimensions["A"].width = (
            max([len(str(row[0])) for row in table.rows] + [len(str(table.columns[0])), 14]) + 2
        )
        for col in range(2, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = max(
                12, len(str(table.columns[col - 1])) + 2
            )
        sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
