"""`hjelpelinje import_inquiries PATH [--dry-run]`: past years from a spreadsheet."""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils.translation import gettext as _

from hjelpelinje.core.imports import ImportCommand
from hjelpelinje.inquiries.importer import ImportResult, inquiries_import


class Command(ImportCommand):
    help = "Import first-time inquiries from a CSV or XLSX file (see docs/import.md)."

    def run_import(self, path: Path, dry_run: bool) -> ImportResult:
        return inquiries_import(
            path=path, actor=None, dry_run=dry_run, progress=sys.stderr.isatty()
        )

    def checked_message(self, result: ImportResult) -> str:
        return _(
            "Filen er i orden: %(rows)d henvendelser kan importeres "
            "(prøvekjøring, ingenting lagret)."
        ) % {"rows": result.rows}

    def done_message(self, result: ImportResult) -> str:
        return _("%(count)d henvendelser importert.") % {"count": result.created}
