"""Reading the spreadsheets helplines keep: CSV (UTF-8, `;` or `,`) and XLSX.

Every importer reads its file through `table_rows`, so they agree on encodings, separators,
line numbers and column names, and a file that cannot be read is one clear error rather
than a crash.

Every file is bounded before it is read: an XLSX whose zip entries unpack to more than
`MAX_UNPACKED_BYTES`, or whose first sheet declares more rows or columns than
HJELPELINJE_IMPORT_MAX_ROWS / HJELPELINJE_IMPORT_MAX_COLUMNS, is refused from its
directory and its `<dimension>` element alone, so a few hundred bytes that claim
A1:XFD1048576 cost nothing. A sheet without a dimension, or one that lies about it, is
cut off at the same limits while it is read.
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

from django.conf import settings
from django.utils.translation import gettext as _

# An XLSX is a zip; its entries may unpack to at most this much (a zip bomb is refused from
# the sizes its directory declares, which zipfile also holds each entry's output to).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# The parts openpyxl reads whole into memory (shared strings, styles, the workbook) are held
# to less; only the worksheets are streamed row by row.
MAX_PART_BYTES = 64 * 1024 * 1024
# Importers list at most this many bad cells, then how many more there are.
ERRORS_SHOWN = 50


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why, for the person importing."""


def max_rows() -> int:
    return int(getattr(settings, "HJELPELINJE_IMPORT_MAX_ROWS", 500_000))


def max_columns() -> int:
    return int(getattr(settings, "HJELPELINJE_IMPORT_MAX_COLUMNS", 100))


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        _("Filen har mer enn %(rows)d rader. Del den opp og importer delene.")
        % {"rows": max_rows()}
    )


def _too_many_columns() -> UnreadableFile:
    return UnreadableFile(
        _("Filen har mer enn %(columns)d kolonner. Bare de kjente kolonnene kan være med.")
        % {"columns": max_columns()}
    )


def _bounded(
    rows: Iterator[tuple[int, list[Any]]], *, trim: bool
) -> Iterator[tuple[int, list[Any]]]:
    """The rows, or a refusal as soon as one lies beyond the row or column limit.

    With `trim`, trailing empty cells do not count (a CSV saved from a wide sheet ends its
    lines in separators). An XLSX row is not trimmed: a cell far to the right, even an
    empty one, makes the reader build the whole width for every row, and Excel's declared
    dimension would have counted it too.
    """
    last_row, last_column = max_rows(), max_columns()
    for line, cells in rows:
        if line > last_row:
            raise _too_many_rows()
        if len(cells) > last_column:
            while trim and cells and not cells[-1]:
                cells.pop()
            if len(cells) > last_column:
                raise _too_many_columns()
        yield line, cells


def shown_errors(errors: list[Any]) -> tuple[list[Any], int]:
    """The first `ERRORS_SHOWN` errors, and how many more there are."""
    return errors[:ERRORS_SHOWN], max(0, len(errors) - ERRORS_SHOWN)


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
    if "\x00" in text:
        # No text cell holds NUL; a file full of them is UTF-16 ("Unicode text" in Excel),
        # and a database would refuse the character anyway.
        raise UnreadableFile(
            _("Filen inneholder NUL-tegn. Lagre den som «CSV UTF-8» og prøv igjen.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        line = 1
        for row in reader:
            yield line, [cell.strip() for cell in row]
            # Quoted cells may span lines; the reader knows where the next row starts.
            line = reader.line_num + 1

    try:
        yield from _bounded(numbered(), trim=True)
    except csv.Error as exc:
        raise UnreadableFile(_("Filen kan ikke leses som CSV: %s") % exc) from None


def _check_zip(path: Path) -> None:
    """Refuse a zip that would unpack to too much, from its directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(_("Filen kan ikke leses som XLSX.")) from None
    whole = [e for e in entries if not e.filename.startswith("xl/worksheets/")]
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES
        or any(e.file_size > MAX_PART_BYTES for e in whole)
    ):
        raise UnreadableFile(
            _("Filen pakker seg ut til mer enn %(mb)d MB og leses ikke.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError):
        # SyntaxError: the XML parser's ParseError, for a workbook part that is not XML.
        raise UnreadableFile(_("Filen kan ikke leses som XLSX.")) from None
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("Filen kan ikke leses som XLSX."))
        sheet = workbook.worksheets[0]
        # In read-only mode these come from the sheet's <dimension> element, read when the
        # sheet is opened: a sheet that claims a million rows is refused before any row.
        if (sheet.max_row or 0) > max_rows():
            raise _too_many_rows()
        if (sheet.max_column or 0) > max_columns():
            raise _too_many_columns()
        # Forget the declared size from here on: a sheet that claims fewer rows than it
        # holds would otherwise be cut short without a word, and one that claims more
        # columns would pad every row. The rows are read as they are, within the limits.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        rows = sheet.iter_rows(values_only=True)
        # The width is checked before any cell is read as text.
        numbered = ((line, list(values)) for line, values in enumerate(rows, 1))
        for line, values in _bounded(numbered, trim=False):
            yield line, [cell_text(v) for v in values]
    except (KeyError, ValueError, TypeError, SyntaxError, zipfile.BadZipFile):
        raise UnreadableFile(_("Filen kan ikke leses som XLSX.")) from None
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
