"""Back up the database, the media files and the audit witness into one file.

Run while the service runs (nightly, from hjelpelinje-backup.timer). The field keys are
never in it. See docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one backup file (database, media files, audit witness; never the field keys) "
        "into DIRECTORY, readable by this user alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup_create(options["directory"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {path}")
        self.stdout.write(
            f"{manifest.engine} database, {manifest.media_files} media files, "
            f"audit log of {manifest.audit.count} entries"
        )
        self.stdout.write(
            f"audit head: --expect-count {manifest.audit.count} --expect-head {manifest.audit.head}"
        )
        if manifest.audit_problem:
            # The backup is kept (it may be the best there is), and cron hears of it.
            raise CommandError(
                f"AUDIT LOG BROKEN when the backup was made: {manifest.audit_problem}"
            )
