from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.followup.importers import ImportFailed, import_activities


class Command(BaseCommand):
    help = "Import follow-up activities and user inquiries from CSV or XLSX; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            activities, inquiries = import_activities(path)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} feil; ingenting er importert.") from None
        activity_word = "aktivitet" if activities == 1 else "aktiviteter"
        inquiry_word = "henvendelse" if inquiries == 1 else "henvendelser"
        self.stdout.write(
            self.style.SUCCESS(
                f"Importerte {activities} {activity_word} og {inquiries} {inquiry_word} "
                "fra brukere."
            )
        )
