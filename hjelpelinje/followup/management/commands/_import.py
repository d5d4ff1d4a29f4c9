"""What the follow-up import commands share: a file in, every bad row out, or a summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hjelpelinje.core.tabular import shown_errors
from hjelpelinje.followup.importers import ImportFailed


class ImportCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def run_import(self, path: Path, importer: Callable[[Path], Any]) -> Any:
        """The importer's result; all rows or none, every bad row named on stderr."""
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            return importer(path)
        except ImportFailed as exc:
            shown, more = shown_errors(exc.errors)
            for error in shown:
                self.stderr.write(str(error))
            if more:
                self.stderr.write(_("… og %(count)d feil til.") % {"count": more})
            raise CommandError(f"{len(exc.errors)} feil; ingenting er importert.") from None
