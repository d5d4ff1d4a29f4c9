"""A real IMAP server for the tests: Debian's Dovecot with a configuration of its own.

Each server lives in a temporary directory (its configuration, a passwd-file user, the
Maildir, its sockets and log), listens on a free port on 127.0.0.1, and runs in the
foreground as a child of the test process, never as the system's service. As root the
mail processes run as `nobody` (Dovecot will not serve mail as root); otherwise all of
it runs as the current user.
"""

from __future__ import annotations

import contextlib
import getpass
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hjelpelinje.chat.tests.server import free_port

DOVECOT = "/usr/sbin/dovecot"
USER = "helpline"
PASSWORD = "app-password-for-tests"

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = hj-test-{port}
log_path = {dir}/log
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
{users}
mail_location = maildir:{dir}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dir}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
protocol imap {{
  imap_idle_notify_interval = 1 secs
}}
"""


@dataclass
class Dovecot:
    dir: Path
    port: int
    tls_port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    cert: Path | None = None
    _clients: list[imaplib.IMAP4] = field(default_factory=list)

    def url(self, folder: str = "INBOX", *, password: str = PASSWORD) -> str:
        return f"imap://{USER}:{password}@127.0.0.1:{self.port}/{folder}"

    @property
    def tls_url(self) -> str:
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.tls_port}/INBOX"

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                return s.recv(100).startswith(b"* OK")
        except OSError:
            return False

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.dir / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not self.up():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
                raise RuntimeError(f"dovecot did not start: {log[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        for client in self._clients:
            with contextlib.suppress(Exception):
                client.shutdown()
        self._clients.clear()
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    # Talking to it as a mail client would: IMAP, nothing else.

    def client(self, folder: str = "INBOX") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        client.login(USER, PASSWORD)
        status, _ = client.select(f'"{folder}"')
        assert status == "OK", folder
        self._clients.append(client)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        client = self.client(folder)
        status: str = client.append(f'"{folder}"', "", None, raw)[0]  # type: ignore[arg-type]
        assert status == "OK"
        client.logout()
        self._clients.remove(client)

    def append_many(self, raws: list[bytes], folder: str = "INBOX") -> None:
        client = self.client(folder)
        for raw in raws:
            status: str = client.append(f'"{folder}"', "", None, raw)[0]  # type: ignore[arg-type]
            assert status == "OK"
        client.logout()
        self._clients.remove(client)

    def create_folder(self, name: str) -> None:
        client = self.client()
        client.create(f'"{name}"')
        client.logout()
        self._clients.remove(client)

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """The raw mails in the folder not marked deleted, oldest first."""
        client = self.client(folder)
        _, data = client.uid("SEARCH", "UNDELETED")
        uids = data[0].split() if data and data[0] else []
        found: list[bytes] = []
        for uid in uids:
            _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            found.extend(bytes(p[1]) for p in parts if isinstance(p, tuple))
        client.logout()
        self._clients.remove(client)
        return found

    def count(self, folder: str = "INBOX") -> int:
        """How many mails the folder holds, deleted-flagged ones included."""
        client = self.client(folder)
        _, data = client.status(f'"{folder}"', "(MESSAGES)")
        client.logout()
        self._clients.remove(client)
        match = re.search(rb"MESSAGES (\d+)", data[0] or b"")
        return int(match.group(1)) if match else 0

    def empty(self) -> None:
        """Every folder emptied and every folder but INBOX removed."""
        client = self.client()
        client.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
        client.expunge()
        _, listed = client.list()
        for line in listed or []:
            name = line.decode().rsplit(" ", 1)[-1].strip('"') if isinstance(line, bytes) else ""
            if name and name != "INBOX":
                client.delete(f'"{name}"')
        client.logout()
        self._clients.remove(client)


def _mail_user() -> tuple[int, int, str]:
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid, ""
    me = getpass.getuser()
    # Not root: Dovecot's own processes run as this user too.
    users = f"default_login_user = {me}\ndefault_internal_user = {me}"
    return os.getuid(), os.getgid(), users


@contextmanager
def own_dovecot(*, tls_cert: tuple[Path, Path] | None = None) -> Iterator[Dovecot]:
    """A Dovecot of the test's own; with `tls_cert` (certificate, key) also IMAPS."""
    if not os.path.exists(DOVECOT):
        raise RuntimeError(
            "Debian's dovecot-imapd is not installed (apt-get install dovecot-imapd)"
        )
    base = Path(tempfile.mkdtemp(prefix="hj-dovecot-"))
    base.chmod(0o755)
    uid, gid, users = _mail_user()
    for sub in ("run", "state", "mail"):
        (base / sub).mkdir()
    os.chown(base / "mail", uid, gid)
    port = free_port()
    tls_port = free_port() if tls_cert else 0
    ssl_files = ""
    if tls_cert:
        cert, key = tls_cert
        ssl_files = f"ssl_cert = <{cert}\nssl_key = <{key}"
    (base / "dovecot.conf").write_text(
        _CONFIG.format(
            dir=base,
            port=port,
            tls_port=tls_port,
            ssl="yes" if tls_cert else "no",
            ssl_files=ssl_files,
            users=users,
        )
    )
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{base}/mail/{USER}::\n")
    server = Dovecot(base, port, tls_port, cert=tls_cert[0] if tls_cert else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
