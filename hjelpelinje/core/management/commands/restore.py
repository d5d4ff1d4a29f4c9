"""Restore a backup file into an empty database and media directory, and verify it.

The workers and timers must be stopped first. See docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.audit.management.commands.verify_audit import describe_restore
from hjelpelinje.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a file made by `hjelpelinje backup` into the empty database (DATABASE_URL) "
        "and media directory (MEDIA_ROOT); then decrypt every field and check the audit log "
        "against the backup's own record. Stop the workers and timers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(options["backup"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        assert report.audit is not None
        self.stdout.write(f"{report.media_files} media files restored")
        self.stdout.write(f"{report.decrypted} encrypted values decrypt with the keys given")
        for line in describe_restore(report.audit, report.manifest.made_at):
            self.stdout.write(line)
        self.stdout.write(
            f"audit head: --expect-count {report.audit.state.count} "
            f"--expect-head {report.audit.state.head}"
        )
        if report.unapplied:
            self.stdout.write(
                "the backup is from an earlier version: run `hjelpelinje migrate` before "
                "starting the workers"
            )
        self.stdout.write(self.style.SUCCESS("restore complete: start the workers and timers"))
