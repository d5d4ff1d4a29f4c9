"""Reading the spreadsheets helplines keep: CSV (UTF-8, `;` or `,`) and XLSX.

Every importer reads its file through `table_rows`, so they agree on encodings, separators,
line numbers and column names, and a file that cannot be read is one clear error rather
than a crash.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why, for the person importing."""


def column_key(name: str) -> str:
    """`Kjønn`, ` KJONN `, `Oppfølging`, `henvist til` -> `kjonn`, `oppfolging`, `henvist_til`."""
    text = name.strip().casefold().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return text.replace(" ", "_").replace("-", "_")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person typed into it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("Filen er ikke UTF-8. Lagre den som «CSV UTF-8» og prøv igjen.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, [cell.strip() for cell in row]
            # Quoted cells may span lines; the reader knows where the next row starts.
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(_("Filen kan ikke leses som CSV: %s") % exc) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("Filen kan ikke leses som XLSX.")) from None
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [cell_text(v) for v in values]
    finally:
        workbook.close()


def table_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every row of a CSV or XLSX file, the header first."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04":
        return _xlsx_rows(path)
    if path.suffix.casefold() in (".xls", ".xlsx", ".ods"):
        raise UnreadableFile(_("Bare CSV og XLSX kan leses."))
    return _csv_rows(path)
