from __future__ import annotations

from typing import Any

from hjelpelinje.followup.importers import import_activities
from hjelpelinje.followup.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = "Import follow-up activities and user inquiries from CSV or XLSX; all rows or none."

    def handle(self, *args: Any, **options: Any) -> None:
        activities, inquiries = self.run_import(options["path"], import_activities)
        activity_word = "aktivitet" if activities == 1 else "aktiviteter"
        inquiry_word = "henvendelse" if inquiries == 1 else "henvendelser"
        self.stdout.write(
            self.style.SUCCESS(
                f"Importerte {activities} {activity_word} og {inquiries} {inquiry_word} "
                "fra brukere."
            )
        )
