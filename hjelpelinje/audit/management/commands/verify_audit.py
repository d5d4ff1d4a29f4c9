"""Check the audit log, and that it was not cut short since the last check.

The hash chain shows an edited, inserted or deleted entry in the middle, but a log whose
newest entries (or all of them) were deleted is still a valid chain. So every run compares
the log with a witness kept outside the database: the number of entries and the hash of
the last one at the previous run (`HJELPELINJE_AUDIT_WITNESS`). It prints both, for a
record further away still (a ticket, a mail), and `--expect-count`/`--expect-head` check
the log against such a record.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hjelpelinje.audit.selectors import ChainState, audit_check_chain

_HEAD = re.compile(r"^[0-9a-f]{64}$")


def _witness_path() -> Path:
    return Path(settings.HJELPELINJE_AUDIT_WITNESS)


def _read_witness(path: Path) -> ChainState | None:
    try:
        raw = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CommandError(f"cannot read the audit witness {path}: {exc.strerror}") from exc
    try:
        data = json.loads(raw)
        state = ChainState(count=int(data["count"]), head=str(data["head"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise CommandError(
            f"the audit witness {path} is not readable: it was damaged or replaced"
        ) from exc
    if state.count < 0 or not _HEAD.match(state.head):
        raise CommandError(f"the audit witness {path} is not readable: it was damaged or replaced")
    return state


def _write_witness(path: Path, state: ChainState) -> None:
    """Replace the witness in one step, readable by the service's user alone.

    Written to a temporary file beside it and renamed, so a crash or a full disk leaves
    the old witness, never half a new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "count": state.count,
        "head": state.head,
        "checked_at": timezone.now().isoformat(timespec="seconds"),
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-witness-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(data, out)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
            if expect_count < 0 or not _HEAD.match(expect_head):
                raise CommandError("--expect-head must be 64 hex digits, --expect-count >= 0")
            known.append(ChainState(count=expect_count, head=expect_head))
        path = _witness_path()
        witness = _read_witness(path)
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
            _write_witness(path, check.state)
        except OSError as exc:
            raise CommandError(
                f"the audit log is intact, but the witness {path} cannot be written: {exc.strerror}"
            ) from exc
        self.stdout.write(f"audit log intact: {check.state.count} entries")
        # One line to copy into a ticket or a mail: the outside record to check against.
        self.stdout.write(
            f"audit head: --expect-count {check.state.count} --expect-head {check.state.head}"
        )

    @staticmethod
    def _describe(state: ChainState | None) -> str:
        if state is None:
            return "nothing"
        return f"{state.count} entries, head {state.head}"
