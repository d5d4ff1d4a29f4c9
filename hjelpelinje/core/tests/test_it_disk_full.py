"""A really full disk under the SQLite database: a small tmpfs holds it, and a file fills
what is left. Staff are told "the disk is full; nothing was saved; tell the administrator"
(507) where a page must write, the pages that only read still open, the CLI says it in
one line, and nothing typed or stored is lost."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hjelpelinje.chat.tests.server import ROOT, World, world
from hjelpelinje.core.tests.browserish import Browserish

FORM = "/staff/inquiries/ny/"
SUMMARY = "Ringte om kusinen sin"


@pytest.fixture(scope="module")
def small_disk() -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="hj-small-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.fail(f"this test mounts a small tmpfs (as root): {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(disk: Path) -> Path:
    """Fill every byte the disk has left."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def cli(w: World, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hjelpelinje", *args],
        env=w.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def inquiry_count(w: World) -> int:
    out = cli(
        w,
        "shell",
        "-c",
        "from hjelpelinje.inquiries.models import Inquiry\nprint(Inquiry.objects.count())",
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_a_full_disk_is_said_plainly_and_loses_nothing(small_disk: Path, tmp_path: Path) -> None:
    with world(HJELPELINJE_VAR_DIR=str(small_disk)) as w:
        port = w.serve()
        kari = Browserish(port, {"sessionid": w.sessions[0]})
        page = kari.get(FORM)
        assert page.status == 200
        form = page.form_with("summary")
        form.set("channel", form.choices["channel"][0])
        form.set("summary", SUMMARY)
        sheet = tmp_path / "past.csv"
        sheet.write_text("dato;kanal\n27.04.2023;chat\n28.04.2023;telefon\n", encoding="utf-8")

        filler = fill(small_disk)
        try:
            # A page that only reads still opens (it was "Bad Request (400)").
            listing = kari.get("/staff/inquiries/")
            assert listing.status == 200, listing.text[:200]
            # Saving says why it cannot, and the form comes back as typed.
            posted = kari.submit(form, FORM)
            assert posted.status == 507, posted.text[:300]
            assert "Disken er full" in posted.text
            assert "ingenting ble lagret" in posted.text
            assert "Si fra til administrator" in posted.text
            assert posted.headers["cache-control"] == "no-store"
            again = posted.form_with("summary")
            assert again.value("summary") == SUMMARY
            # The CLI: one plain line and a failing exit status, no traceback.
            imported = cli(w, "import_inquiries", str(sheet))
            assert imported.returncode == 1
            assert "Traceback" not in imported.stderr
            assert imported.stderr.strip().splitlines() == [
                "Feil: disken til databasen er full; ingenting ble lagret. "
                "Si fra til administrator."
            ]
        finally:
            filler.unlink()

        # Space again: nothing was half-written, and the form saves as typed.
        assert inquiry_count(w) == 0
        saved = kari.submit(again, FORM)
        assert saved.status == 302, saved.text[:300]
        assert cli(w, "import_inquiries", str(sheet)).returncode == 0
        assert inquiry_count(w) == 3
