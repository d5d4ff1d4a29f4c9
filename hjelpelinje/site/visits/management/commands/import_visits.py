"""`hjelpelinje import_visits FILE [--dry-run]`: daily visit counts of past years."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from hjelpelinje.core.imports import ImportCommand
from hjelpelinje.site.visits.services import ImportResult, visits_import
from hjelpelinje.site.visits.views import result_message


class Command(ImportCommand):
    help = "Import daily website visit counts (date,page_views,visits; see docs/visits.md)."

    def run_import(self, path: Path, dry_run: bool) -> ImportResult:
        return visits_import(path=path, actor=None, dry_run=dry_run)

    def checked_message(self, result: ImportResult) -> str:
        return _(
            "Filen er i orden: %(rows)d dager kan importeres (prøvekjøring, ingenting lagret)."
        ) % {"rows": result.rows}

    def done_message(self, result: ImportResult) -> str:
        return result_message(result)
