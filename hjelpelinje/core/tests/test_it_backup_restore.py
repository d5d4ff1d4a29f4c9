"""The backup drill, end to end, as an operator runs it (docs/operations.md).

Every step is the `hjelpelinje` command in its own process, against a real database: back
up while the service has data, add more, lose the database and the media, restore into an
empty database, and find what the backup held, decrypted, with the audit log verified
against the backup's own record and the witness carried on, never reset by guesswork.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

ADD = """
import datetime as dt
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.services import InquiryData, inquiry_create
from hjelpelinje.taxonomy.models import Code

code = lambda lst, value: Code.objects.get(list=lst, code=value)
inquiry_create(actor=None, data=InquiryData(
    occurred_at=dt.datetime(2026, 3, 2, 10, 30, tzinfo=OSLO),
    channel=code("channel", "phone"), age_group=code("age_group", "18-25"),
    gender=code("gender", "female"), region=code("region", "ostlandet"),
    caller=code("caller", "self"), summary="Sammendrag {tag}",
))
audit_record(actor=None, action="followup.view", target_type="followup_user",
             target_id=7, reason="Begrunnelse {tag}")
Document.objects.create(title="Brosjyre {tag}",
                        file=ContentFile("%PDF-1.4 brosjyre {tag}".encode(), "brosjyre-{tag}.pdf"))
store = SessionStore()
store["note"] = "signed in"
store.create()
"""

SHOW = """
from django.contrib.sessions.models import Session
from wagtail.documents.models import Document
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.inquiries.models import Inquiry

for inquiry in Inquiry.objects.order_by("id"):
    print("INQUIRY", inquiry.summary)
for entry in AuditEntry.objects.exclude(reason="").order_by("id"):
    print("REASON", entry.reason)
for doc in Document.objects.order_by("id"):
    with doc.file.open("rb") as f:
        print("DOCUMENT", doc.title, f.read().decode())
print("SESSIONS", Session.objects.count())
"""

OTHER_KEY = "b3RoZXIta2V5LW5vdC10aGUtYmFja3Vwcy0wMDAwMDA="


@dataclass
class Site:
    """One installation: its database, media directory and audit witness."""

    env: dict[str, str]

    def run(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "hjelpelinje", *args],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def shell(self, script: str) -> list[str]:
        return self.run("shell", "-c", script).stdout.splitlines()


def _site(tmp: Path, database_url: str, media: Path, witness: Path) -> Site:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings",
        HJELPELINJE_VAR_DIR=str(tmp),
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        HJELPELINJE_AUDIT_WITNESS=str(witness),
        LOG_LEVEL="WARNING",
        DATABASE_CONN_MAX_AGE="0",
    )
    return Site(env)


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    """Two databases of the suite's PostgreSQL server, hj_ops_drill_*, dropped afterwards."""
    url = _postgres_url()
    if not url:
        pytest.skip("runs in the PostgreSQL phase (DATABASE_URL=postgres://…, .ci/run)")
    import psycopg

    server = url.rsplit("/", 1)[0]
    suffix = uuid.uuid4().hex[:8]
    names = [f"hj_ops_drill_src_{suffix}", f"hj_ops_drill_dst_{suffix}"]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{names[0]}", f"{server}/{names[1]}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drill(tmp: Path, source_url: str, target_url: str) -> None:
    witness = tmp / "app-host" / "audit-witness.json"
    live = _site(tmp, source_url, tmp / "media", witness)
    live.run("migrate", "-v0")
    live.shell(ADD.format(tag="før"))
    live.run("verify_audit")

    backups = tmp / "backups"
    out = live.run("backup", str(backups)).stdout
    [backup] = list(backups.glob("hjelpelinje-backup-*.tar"))
    assert f"backup written: {backup}" in out
    assert "1 media files" in out
    # Readable by the service's user alone; the field keys are not in it.
    assert backup.stat().st_mode & 0o777 == 0o600
    data = backup.read_bytes()
    for key in live.env["HJELPELINJE_FIELD_KEYS"].split(","):
        assert key.encode() not in data
    assert "Sammendrag før".encode() not in data
    backup_head = next(line for line in out.splitlines() if line.startswith("audit head:"))

    # The service goes on after the backup: more inquiries, entries and files...
    live.shell(ADD.format(tag="etter"))
    after = live.run("verify_audit").stdout
    witnessed = int(after.split("intact: ")[1].split()[0])

    # ...until the database and the media are lost. The witness on the application host
    # survives; the new database is empty, and so is the new media directory.
    restored = _site(tmp, target_url, tmp / "media-new", witness)

    # With a key the backup was not made with, nothing is touched.
    refused = restored.run("restore", str(backup), check=False, HJELPELINJE_FIELD_KEYS=OTHER_KEY)
    assert refused.returncode != 0
    assert "none of the field keys this backup was made with" in refused.stderr
    assert not (tmp / "media-new").exists()

    out = restored.run("restore", str(backup)).stdout
    assert "1 media files restored" in out
    assert "encrypted values decrypt with the keys given" in out
    assert backup_head in out, "the restored log must end where the backup's record says"
    backup_count = int(backup_head.split("--expect-count ")[1].split()[0])
    assert (
        f"the {witnessed - backup_count} written after the backup are not in the restored log"
        in out
    )
    assert "restore complete" in out
    kept = list(witness.parent.glob("audit-witness.json.before-restore-*"))
    assert len(kept) == 1 and f'"count": {witnessed}' in kept[0].read_text()

    # What the backup held is back, decrypted; what came after it is not; nobody is
    # signed in; the document's file is where the page links to it.
    shown = restored.shell(SHOW)
    assert [line for line in shown if line.startswith("INQUIRY")] == ["INQUIRY Sammendrag før"]
    assert [line for line in shown if line.startswith("REASON")] == ["REASON Begrunnelse før"]
    assert [line for line in shown if line.startswith("DOCUMENT")] == [
        "DOCUMENT Brosjyre før %PDF-1.4 brosjyre før"
    ]
    assert "SESSIONS 0" in shown

    # The daily check goes on from the backup's record, no --reset-witness needed, and
    # later entries move it forward as before.
    assert f"intact: {backup_count} entries" in restored.run("verify_audit").stdout
    restored.shell(ADD.format(tag="igjen"))
    assert "intact:" in restored.run("verify_audit").stdout
    # The check after a restore can be run again at any time, against the backup's record.
    again = restored.run("verify_audit", "--backup", str(backup)).stdout
    assert "passing through the record of the backup made at" in again

    # A second restore into the now filled database is refused, and changes nothing.
    twice = restored.run("restore", str(backup), check=False)
    assert twice.returncode != 0 and "the database is not empty" in twice.stderr
    assert "INQUIRY Sammendrag igjen" in restored.shell(SHOW)


def test_the_drill_on_sqlite(tmp_path: Path) -> None:
    _drill(
        tmp_path,
        f"sqlite:///{tmp_path / 'live.sqlite3'}",
        f"sqlite:///{tmp_path / 'restored' / 'new.sqlite3'}",
    )


def test_the_drill_on_postgresql(tmp_path: Path, postgres_databases: tuple[str, str]) -> None:
    _drill(tmp_path, *postgres_databases)


def test_a_cut_audit_log_is_not_accepted_from_a_backup(tmp_path: Path) -> None:
    """`verify_audit --backup` is no way around the witness: the log must pass through the
    backup's record, so a log cut below it still fails, and the witness stays."""
    witness = tmp_path / "audit-witness.json"
    live = _site(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path / "media", witness)
    live.run("migrate", "-v0")
    live.shell(ADD.format(tag="en"))
    live.shell(ADD.format(tag="to"))
    live.run("verify_audit")
    live.run("backup", str(tmp_path / "backups"))
    [backup] = list((tmp_path / "backups").glob("*.tar"))
    before = witness.read_text()
    live.shell(
        "from django.db import connection\n"
        "connection.cursor().execute('DELETE FROM audit_auditentry WHERE id = "
        "(SELECT max(id) FROM audit_auditentry)')"
    )
    done = live.run("verify_audit", "--backup", str(backup), check=False)
    assert done.returncode != 0
    assert "AUDIT LOG BROKEN" in done.stderr
    assert witness.read_text() == before
