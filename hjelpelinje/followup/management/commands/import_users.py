from __future__ import annotations

from typing import Any

from hjelpelinje.followup.importers import import_users
from hjelpelinje.followup.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import follow-up users (with consent) from CSV or XLSX; all rows or none."

    def handle(self, *args: Any, **options: Any) -> None:
        count = self.run_import(options["path"], import_users)
        word = "bruker" if count == 1 else "brukere"
        self.stdout.write(self.style.SUCCESS(f"Importerte {count} {word}."))
