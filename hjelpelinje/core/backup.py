"""Backups as one file, and the restore of one into an empty database (docs/operations.md).

A backup is a tar file, readable by the service's user alone, holding:

- `manifest.json`: when it was made, which database engine, the audit log's own record
  (its count and head at the moment of the dump), which field keys were in use (by a
  fingerprint, never the key), the applied migrations and how many media files;
- `database.pgdump` (`pg_dump --format=custom`) or `database.sqlite3` (SQLite's online
  backup), both without the staff sessions, so nobody is signed in by a restore;
- `media/`: the files uploaded in the website's editor;
- `audit-witness.json`: the witness as it was when the backup was made, if there was one.

The field keys are never in it: a backup without them reveals no personal data, and they
are kept apart (docs/operations.md). The database and the audit record are taken from one
snapshot, so the record is exactly the backup's log: on PostgreSQL the chain is read in the
transaction whose snapshot `pg_dump --snapshot` dumps, on SQLite from the copy itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from hjelpelinje.audit.selectors import ChainCheck, ChainState, audit_check_chain
from hjelpelinje.audit.witness import (
    RestoreAccepted,
    WitnessError,
    state_from_json,
    witness_accept_restore,
    witness_read,
)
from hjelpelinje.core import crypto
from hjelpelinje.core.fields import encrypted_rows, models_with_encrypted_fields

FORMAT = 1
MANIFEST = "manifest.json"
WITNESS = "audit-witness.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
SESSION_TABLE = "django_session"
_COPY_ALIAS = "hjelpelinje_backup_copy"


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    made_at: str
    engine: str
    audit: ChainState
    # What checking the log said when the backup was made: empty when it was intact.
    audit_problem: str
    key_ids: list[str]
    migrations: list[str]
    media_files: int
    witness_at_backup: ChainState | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "made_at": self.made_at,
            "engine": self.engine,
            "audit": {"count": self.audit.count, "head": self.audit.head},
            "audit_problem": self.audit_problem,
            "key_ids": self.key_ids,
            "migrations": self.migrations,
            "media_files": self.media_files,
        }


@dataclass
class RestoreReport:
    manifest: Manifest
    media_files: int = 0
    decrypted: int = 0
    audit: RestoreAccepted | None = None
    unapplied: list[str] = field(default_factory=list)


def key_id(key: str) -> str:
    """A fingerprint that tells keys apart without revealing them (a hash of 256 random
    bits gives nothing to guess from)."""
    return hashlib.sha256(b"hjelpelinje field key\0" + key.encode()).hexdigest()[:16]


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_env() -> tuple[dict[str, str], str]:
    """libpq's environment for pg_dump and pg_restore: the password never on a command line."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env, str(db["NAME"])


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        # A fixed program (pg_dump, pg_restore) with arguments built here, no shell.
        done = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        # pg_dump and pg_restore name objects and connection problems, never row values.
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _applied_migrations(using: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@contextmanager
def _database_at(path: Path) -> Iterator[str]:
    """A second connection alias for an SQLite file: the backup's copy."""
    connections.databases[_COPY_ALIAS] = {**connections.databases["default"], "NAME": str(path)}
    try:
        yield _COPY_ALIAS
    finally:
        connections[_COPY_ALIAS].close()
        del connections[_COPY_ALIAS]
        del connections.databases[_COPY_ALIAS]


def _dump_postgresql(dest: Path, known: list[ChainState]) -> tuple[ChainCheck, list[str]]:
    env, name = _pg_env()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # Read in the snapshot pg_dump dumps, while this transaction keeps it alive.
        check = audit_check_chain(known=known)
        migrations = _applied_migrations()
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--exclude-table-data={SESSION_TABLE}",
                f"--file={dest}",
                name,
            ],
            env,
        )
    return check, migrations


def _dump_sqlite(dest: Path, known: list[ChainState]) -> tuple[ChainCheck, list[str]]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
    copy = sqlite3.connect(dest)
    try:
        # SQLite's online backup: a consistent copy while the workers keep writing.
        source.backup(copy)
        copy.execute(f"DELETE FROM {SESSION_TABLE}")
        copy.commit()
        # Leaves no deleted session in the file's free pages.
        copy.execute("VACUUM")
    finally:
        copy.close()
        source.close()
    with _database_at(dest) as alias:
        return audit_check_chain(known=known, using=alias), _applied_migrations(alias)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(directory: Path) -> tuple[Path, Manifest]:
    """Write one backup file into `directory`; return its path and manifest.

    Made while the service runs. The file is written under a temporary name and renamed
    when complete, so a backup that failed halfway never looks like one.
    """
    engine = _engine()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    made_at = timezone.now()
    try:
        witness = witness_read()
    except WitnessError:
        # A damaged witness must not stop the backup; the check below reports the log.
        witness = None
    name = f"hjelpelinje-backup-{made_at:%Y%m%d-%H%M%S}.tar"
    final = directory / name
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump = Path(work) / DUMPS[engine]
        known = [witness] if witness is not None else []
        dumper = _dump_postgresql if engine == "postgresql" else _dump_sqlite
        check, migrations = dumper(dump, known)
        media_root = _media_root()
        media = _media_files(media_root)
        manifest = Manifest(
            made_at=made_at.isoformat(timespec="seconds"),
            engine=engine,
            audit=check.state,
            audit_problem=check.problem.problem if check.problem else "",
            key_ids=[key_id(k) for k in settings.HJELPELINJE_FIELD_KEYS],
            migrations=migrations,
            media_files=len(media),
        )
        partial = Path(work) / name
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w") as tar:
                # The manifest first, so reading it never walks the whole archive.
                _add_bytes(tar, MANIFEST, json.dumps(manifest.to_json(), indent=1).encode())
                tar.add(dump, arcname=DUMPS[engine])
                if witness is not None:
                    witness_json = {"count": witness.count, "head": witness.head}
                    _add_bytes(tar, WITNESS, json.dumps(witness_json).encode())
                for path in media:
                    tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    return final, manifest


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a readable backup: {exc}") from exc


def _read_json(tar: tarfile.TarFile, name: str) -> Any:
    try:
        member = tar.extractfile(name)
    except KeyError:
        return None
    if member is None:
        return None
    with member:
        return json.load(member)


def backup_manifest(path: Path) -> Manifest:
    with _open(path) as tar:
        data = _read_json(tar, MANIFEST)
        witness = _read_json(tar, WITNESS)
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("unknown format")
        return Manifest(
            made_at=str(data["made_at"]),
            engine=str(data["engine"]),
            audit=state_from_json(data["audit"]),
            audit_problem=str(data.get("audit_problem", "")),
            key_ids=[str(k) for k in data["key_ids"]],
            migrations=[str(m) for m in data["migrations"]],
            media_files=int(data["media_files"]),
            witness_at_backup=state_from_json(witness) if witness is not None else None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path} is not a backup made by `hjelpelinje backup`") from exc


def _require_empty_database(engine: str) -> None:
    if engine == "sqlite" and not Path(settings.DATABASES["default"]["NAME"]).exists():
        return
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            "the database is not empty: restore into a new, empty database "
            "(PostgreSQL: createdb; SQLite: a file name that does not exist yet), so nothing "
            "of the old one is mixed in"
        )
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchone()[0]
        if others:
            raise BackupError(
                f"{others} other connection(s) to the database: stop the workers and the "
                "timers first (systemctl stop hjelpelinje.target)"
            )


def _require_empty_media(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        raise BackupError(
            f"the media directory {root} is not empty: restore into an empty one (move the "
            "old one aside)"
        )


def _copy_member(tar: tarfile.TarFile, name: str, dest: IO[bytes]) -> None:
    member = tar.extractfile(name)
    if member is None:
        raise BackupError(f"the backup holds no {name}")
    with member:
        shutil.copyfileobj(member, dest, length=1 << 20)


def _restore_postgresql(tar: tarfile.TarFile, work: Path) -> None:
    dump = work / DUMPS["postgresql"]
    with dump.open("wb") as out:
        _copy_member(tar, DUMPS["postgresql"], out)
    env, name = _pg_env()
    # The workers' connection pool would hold the database; this process's own goes too.
    connection.close()
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={name}",
            str(dump),
        ],
        env,
    )


def _restore_sqlite(tar: tarfile.TarFile) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".restore-", suffix=".sqlite3")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            _copy_member(tar, DUMPS["sqlite"], out)
            out.flush()
            os.fsync(out.fileno())
        connection.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _restore_media(tar: tarfile.TarFile, root: Path) -> int:
    members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith("media/")]
    root.mkdir(parents=True, exist_ok=True)

    def strip(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
        # Python's "data" filter refuses absolute paths, `..`, links and device files.
        return tarfile.data_filter(member.replace(name=member.name[len("media/") :]), dest)

    tar.extractall(root, members=members, filter=strip)  # noqa: S202 - filtered as above
    return len(members)


def decrypt_everything() -> int:
    """Decrypt every encrypted value in the database; how many there were.

    Proves the field keys given belong to the data, before anyone relies on the restore.
    Raises BackupError naming the table (never a value) at the first that does not decrypt.
    """
    total = 0
    for model, fields in models_with_encrypted_fields():
        table = model._meta.db_table
        for rows in encrypted_rows(model, fields):
            values = [value for row in rows for value in row[1:] if value]
            try:
                # As bytes: an attachment's chunk is not text, and the check is whether
                # the keys open every token, not what is inside.
                for value in values:
                    crypto.decrypt_bytes(value)
            except crypto.DecryptionError as exc:
                raise BackupError(
                    f"values in {table} cannot be decrypted with HJELPELINJE_FIELD_KEYS:"
                    " give the keys in use when the backup was made (kept apart from"
                    " the backups), empty the database and restore again"
                ) from exc
            total += len(values)
    return total


def _unapplied() -> list[str]:
    loader = MigrationLoader(connection)
    applied = set(loader.applied_migrations)
    return sorted(
        f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if (app, name) not in applied
    )


def backup_restore(
    path: Path, *, progress: Callable[[str], None] = lambda _: None
) -> RestoreReport:
    """Restore a backup file into the empty database and media directory configured.

    The workers and timers must be stopped. In order: the backup is read and checked
    against the keys given; the database and the media directory must be empty; the
    database is restored, then the media; every encrypted value is decrypted; the audit
    log must be exactly the backup's own record, and the witness starts from it.
    """
    manifest = backup_manifest(path)
    engine = _engine()
    if manifest.engine != engine:
        raise BackupError(
            f"this backup is of a {manifest.engine} database; DATABASE_URL names a {engine} one"
        )
    given = {key_id(k) for k in settings.HJELPELINJE_FIELD_KEYS}
    if manifest.key_ids and not given & set(manifest.key_ids):
        raise BackupError(
            "none of the field keys this backup was made with is in HJELPELINJE_FIELD_KEYS: "
            "give the keys kept apart from the backups (nothing was restored)"
        )
    _require_empty_database(engine)
    media_root = _media_root()
    _require_empty_media(media_root)
    report = RestoreReport(manifest=manifest)
    with _open(path) as tar:
        progress(f"restoring the {engine} database of the backup made at {manifest.made_at}")
        if engine == "postgresql":
            with tempfile.TemporaryDirectory(prefix="hjelpelinje-restore-") as work:
                _restore_postgresql(tar, Path(work))
        else:
            _restore_sqlite(tar)
        progress(f"restoring the media files into {media_root}")
        report.media_files = _restore_media(tar, media_root)
    if report.media_files != manifest.media_files:
        raise BackupError(
            f"the backup lists {manifest.media_files} media files but holds {report.media_files}"
        )
    progress("decrypting every encrypted value with the keys given")
    report.decrypted = decrypt_everything()
    progress("checking the audit log against the backup's own record")
    also = [manifest.witness_at_backup] if manifest.witness_at_backup else []
    try:
        report.audit = witness_accept_restore(
            manifest.audit, made_at=manifest.made_at, exact=True, also=also
        )
    except WitnessError as exc:
        raise BackupError(str(exc)) from exc
    report.unapplied = _unapplied()
    return report
