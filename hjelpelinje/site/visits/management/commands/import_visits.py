"""`hjelpelinje import_visits FILE [--dry-run]`: daily visit counts of past years."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hjelpelinje.core.tabular import shown_errors
from hjelpelinje.site.visits.services import RowError, visits_import
from hjelpelinje.site.visits.views import result_message


def format_error(error: RowError) -> str:
    where = _("linje %(line)d") % {"line": error.line}
    if error.column:
        where += ", " + _("kolonne %(column)s") % {"column": error.column}
    text = f"{where}: {error.message}"
    if error.value:
        text += " " + _("Verdi: «%(value)s».") % {"value": error.value}
    if error.allowed:
        text += " " + _("Tillatt: %(allowed)s.") % {"allowed": error.allowed}
    return text


class Command(BaseCommand):
    help = "Import daily website visit counts (date,page_views,visits; see docs/visits.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; store nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(_("Finner ikke filen %(path)s.") % {"path": path})
        result = visits_import(path=path, actor=None, dry_run=options["dry_run"])
        if result.errors:
            shown, more = shown_errors(result.errors)
            for error in shown:
                self.stderr.write(format_error(error))
            if more:
                self.stderr.write(_("… og %(count)d feil til.") % {"count": more})
            raise CommandError(
                _("%(count)d feil. Ingenting ble importert.") % {"count": len(result.errors)}
            )
        if result.dry_run:
            self.stdout.write(
                _(
                    "Filen er i orden: %(rows)d dager kan importeres "
                    "(prøvekjøring, ingenting lagret)."
                )
                % {"rows": result.rows}
            )
        else:
            self.stdout.write(result_message(result))
