from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.followup.importers import ImportFailed, import_users


class Command(BaseCommand):
    help = "Import follow-up users (with consent) from CSV or XLSX; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            count = import_users(path)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} feil; ingenting er importert.") from None
        word = "bruker" if count == 1 else "brukere"
        self.stdout.write(self.style.SUCCESS(f"Importerte {count} {word}."))
