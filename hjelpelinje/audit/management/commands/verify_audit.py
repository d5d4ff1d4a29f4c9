"""Check the audit log, and that it was not cut short since the last check.

The hash chain shows an edited, inserted or deleted entry in the middle, but a log whose
newest entries (or all of them) were deleted is still a valid chain. So every run compares
the log with a witness kept outside the database: the number of entries and the hash of
the last one at the previous run (`HJELPELINJE_AUDIT_WITNESS`). It prints both, for a
record further away still (a ticket, a mail), and `--expect-count`/`--expect-head` check
the log against such a record. After a restore, `--backup FILE` checks the log against the
record the backup holds of itself and starts the witness again from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.audit.selectors import ChainState, audit_check_chain
from hjelpelinje.audit.witness import (
    HEAD,
    RestoreAccepted,
    WitnessError,
    witness_accept_restore,
    witness_path,
    witness_read,
    witness_write,
)


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and compare its length and last entry with the "
        "witness from the last run; exit non-zero if the log was altered or cut short."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-count",
            type=int,
            help="entry count from an outside record; the log must hold at least this many",
        )
        parser.add_argument(
            "--expect-head",
            help="head hash from an outside record: the entry at --expect-count must have it",
        )
        parser.add_argument(
            "--backup",
            type=Path,
            metavar="FILE",
            help=(
                "after restoring FILE (made by `hjelpelinje backup`): the log must pass "
                "through the backup's own record of it; the witness then starts from there"
            ),
        )
        parser.add_argument(
            "--reset-witness",
            action="store_true",
            help=(
                "record the current log as the witness even if it is shorter than the last "
                "one (after an investigated restore from backup); the chain must still hold"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expect_count, expect_head = options["expect_count"], options["expect_head"]
        if (expect_count is None) != (expect_head is None):
            raise CommandError("give --expect-count and --expect-head together")
        known: list[ChainState] = []
        if expect_count is not None:
            if expect_count < 0 or not HEAD.match(expect_head):
                raise CommandError("--expect-head must be 64 hex digits, --expect-count >= 0")
            known.append(ChainState(count=expect_count, head=expect_head))
        if options["backup"] is not None:
            if options["reset_witness"]:
                raise CommandError(
                    "--backup already starts the witness again; drop --reset-witness"
                )
            self._after_restore(options["backup"], known)
            return
        path = witness_path()
        try:
            witness = witness_read(path)
        except WitnessError as exc:
            raise CommandError(str(exc)) from exc
        if witness is not None and not options["reset_witness"]:
            known.append(witness)

        check = audit_check_chain(known=known)
        if check.problem is not None:
            problem, state = check.problem, check.state
            if problem.entry_id is not None:
                where = f" at entry {problem.entry_id}"
                now = f"intact up to entry number {state.count}, head {state.head}"
            else:
                where = ""
                now = f"now: {self._describe(state)}"
            # The witness is left as it was, so the next run fails too until someone acts.
            raise CommandError(
                f"AUDIT LOG BROKEN{where}: {problem.problem}. "
                f"Last recorded: {self._describe(witness)}; {now}."
            )
        try:
            witness_write(check.state, path)
        except OSError as exc:
            raise CommandError(
                f"the audit log is intact, but the witness {path} cannot be written: {exc.strerror}"
            ) from exc
        self.stdout.write(f"audit log intact: {check.state.count} entries")
        self._head_line(check.state)

    def _head_line(self, state: ChainState) -> None:
        # One line to copy into a ticket or a mail: the outside record to check against.
        self.stdout.write(f"audit head: --expect-count {state.count} --expect-head {state.head}")

    def _after_restore(self, backup_file: Path, known: list[ChainState]) -> None:
        # Imported here: the backup module reaches into every app, the audit app into none.
        from hjelpelinje.core.backup import BackupError, backup_manifest

        try:
            manifest = backup_manifest(backup_file)
            accepted = witness_accept_restore(manifest.audit, made_at=manifest.made_at, also=known)
        except (BackupError, WitnessError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"the witness cannot be written: {exc.strerror}") from exc
        for line in describe_restore(accepted, manifest.made_at):
            self.stdout.write(line)
        self._head_line(accepted.state)

    @staticmethod
    def _describe(state: ChainState | None) -> str:
        if state is None:
            return "nothing"
        return f"{state.count} entries, head {state.head}"


def describe_restore(accepted: RestoreAccepted, made_at: str) -> list[str]:
    """What an operator writes in the ticket after a restore: where the log now ends, and
    how many entries the witness had seen that the backup does not hold."""
    lines = [
        f"audit log intact: {accepted.state.count} entries, passing through the record of "
        f"the backup made at {made_at}; the witness starts again from there"
    ]
    if accepted.previous is not None and accepted.left_out:
        lines.append(
            f"the witness before the restore recorded {accepted.previous.count} entries: the "
            f"{accepted.left_out} written after the backup are not in the restored log "
            "(say so in the ticket)"
        )
    if accepted.kept_at is not None:
        lines.append(f"the witness before the restore is kept at {accepted.kept_at}")
    return lines
