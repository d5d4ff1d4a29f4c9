"""The audit log's witness: its length and last hash at the last check, kept in a file.

The hash chain shows an edited, inserted or deleted entry in the middle, but a log whose
newest entries (or all of them) were deleted is still a valid chain. The witness, kept
outside the database (`HJELPELINJE_AUDIT_WITNESS`), remembers how far the log reached, so
`verify_audit` notices a log cut short; a restore from backup moves it back on purpose
(`witness_accept_restore`), saying how many entries the restore left out.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hjelpelinje.audit.selectors import ChainState, audit_check_chain

HEAD = re.compile(r"^[0-9a-f]{64}$")


class WitnessError(Exception):
    """The witness cannot be read or written, or the log does not hold what it must."""


def witness_path() -> Path:
    return Path(settings.HJELPELINJE_AUDIT_WITNESS)


def state_from_json(data: object) -> ChainState:
    """A recorded state from its JSON form, refusing anything malformed."""
    try:
        assert isinstance(data, dict)
        state = ChainState(count=int(data["count"]), head=str(data["head"]))
    except (AssertionError, ValueError, KeyError, TypeError) as exc:
        raise ValueError("not a recorded audit state") from exc
    if state.count < 0 or not HEAD.match(state.head):
        raise ValueError("not a recorded audit state")
    return state


def witness_read(path: Path | None = None) -> ChainState | None:
    path = path or witness_path()
    try:
        raw = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WitnessError(f"cannot read the audit witness {path}: {exc.strerror}") from exc
    try:
        return state_from_json(json.loads(raw))
    except ValueError as exc:
        raise WitnessError(
            f"the audit witness {path} is not readable: it was damaged or replaced"
        ) from exc


def witness_write(state: ChainState, path: Path | None = None, **extra: str) -> None:
    """Replace the witness in one step, readable by the service's user alone.

    Written to a temporary file beside it and renamed, so a crash or a full disk leaves
    the old witness, never half a new one.
    """
    path = path or witness_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "count": state.count,
        "head": state.head,
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        **extra,
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


@dataclass(frozen=True)
class RestoreAccepted:
    state: ChainState
    # The witness as it was before (None on a new host), and where it was kept.
    previous: ChainState | None
    kept_at: Path | None

    @property
    def left_out(self) -> int:
        """Entries the witness had seen that the restored log does not hold."""
        if self.previous is None:
            return 0
        return max(0, self.previous.count - self.state.count)


def witness_accept_restore(
    backup: ChainState, *, made_at: str, exact: bool = False, also: list[ChainState] | None = None
) -> RestoreAccepted:
    """Check the log against a backup's own record, then make that the witness's start.

    After a restore the log is legitimately shorter than the witness: it ends where the
    backup did. Instead of dropping the witness's protection (`--reset-witness`), the log
    must pass through the backup's record (its count and head), which proves it is that
    backup's log, grown only since. `exact` (right after a restore, workers stopped) also
    requires that nothing was written yet. The old witness is kept beside the new one for
    the investigation, and the new one names the backup it started from.
    """
    path = witness_path()
    previous = witness_read(path)
    known = [backup, *(also or [])]
    # A witness from before the backup was made must lie on the restored log too: else the
    # backup is not this installation's, or its log was rewritten. One from after it cannot
    # be checked: the restore leaves out what came later.
    if previous is not None and previous.count <= backup.count:
        known.append(previous)
    check = audit_check_chain(known=known)
    if check.problem is not None:
        where = f" at entry {check.problem.entry_id}" if check.problem.entry_id else ""
        raise WitnessError(
            f"AUDIT LOG BROKEN{where}: {check.problem.problem}. The backup recorded "
            f"{backup.count} entries, head {backup.head}; the log now holds "
            f"{check.state.count}, head {check.state.head}."
        )
    if exact and check.state != backup:
        raise WitnessError(
            f"the restored audit log holds {check.state.count} entries, the backup "
            f"{backup.count}: something wrote to the database during the restore; stop the "
            "workers and timers, and restore into an empty database again"
        )
    kept_at = None
    if previous is not None and previous != check.state:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        kept_at = path.with_name(f"{path.name}.before-restore-{stamp}")
        os.replace(path, kept_at)
    witness_write(check.state, path, restored_from_backup_made_at=made_at)
    return RestoreAccepted(state=check.state, previous=previous, kept_at=kept_at)
