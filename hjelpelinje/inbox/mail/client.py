"""A small IMAP client for fetch_mail, on imap-tools: connect, list, read, remove, wait.

Every failure to talk to the server becomes `ImapUnavailable` with one line that names the
server (host and port) and what went wrong, never the login or anything of a mail. Reads
use BODY.PEEK, so a mail's \\Seen flag is left alone.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import (
    ImapToolsError,
    MailboxFolderSelectError,
    MailboxLoginError,
    MailboxStarttlsError,
)
from imap_tools.utils import encode_folder

from hjelpelinje.inbox.mail.config import ImapConfig

# Seconds a connection attempt or a read may take.
TIMEOUT = 30.0
# Mails whose headers are read per FETCH.
HEADER_BATCH = 200

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class ImapUnavailable(Exception):
    """The server cannot be reached or refused us; the message is one line for the log."""


@dataclass
class Envelope:
    uid: str
    size: int
    header: bytes


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return "the host name cannot be resolved"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "its TLS certificate cannot be verified"
    if isinstance(exc, ssl.SSLError):
        return "TLS failed"
    if isinstance(exc, ConnectionError | EOFError | imaplib.IMAP4.abort):
        return "the connection was lost"
    if isinstance(exc, OSError):
        return exc.strerror or "network error"
    return "the server answered unexpectedly"


class ImapSession:
    """One logged-in connection to the configured folder. Use as a context manager."""

    def __init__(self, config: ImapConfig, *, timeout: float = TIMEOUT) -> None:
        self.config = config
        self.timeout = timeout
        self.box: MailBox | MailBoxUnencrypted | MailBoxStartTls | None = None

    # Connecting.

    def open(self, *, attempts: int = 3) -> ImapSession:
        """Connect and log in, retrying with back-off (0.5 s, 1 s, ...) on network faults;
        a refused login or a missing folder is not retried."""
        delay = 0.5
        for attempt in range(attempts):
            try:
                self.box = self._connect()
                return self
            except ImapUnavailable:
                raise
            except (OSError, EOFError, imaplib.IMAP4.error, ImapToolsError) as exc:
                if attempt == attempts - 1:
                    raise ImapUnavailable(
                        f"cannot reach the IMAP server {self.config.where}: {_reason(exc)}"
                    ) from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> MailBox | MailBoxUnencrypted | MailBoxStartTls:
        config = self.config
        box: MailBox | MailBoxUnencrypted | MailBoxStartTls
        try:
            if config.scheme == "imaps":
                box = MailBox(
                    config.host,
                    config.port,
                    timeout=self.timeout,
                    ssl_context=ssl.create_default_context(),
                )
            elif config.scheme == "imap+starttls":
                box = MailBoxStartTls(
                    config.host,
                    config.port,
                    timeout=self.timeout,
                    ssl_context=ssl.create_default_context(),
                )
            else:
                box = MailBoxUnencrypted(config.host, config.port, timeout=self.timeout)
        except MailboxStarttlsError:
            raise ImapUnavailable(
                f"the IMAP server {config.where} does not offer STARTTLS"
            ) from None
        try:
            box.login(config.user, config.password, initial_folder=None)
        except MailboxLoginError:
            self._drop(box)
            raise ImapUnavailable(
                f"the IMAP server {config.where} refused the login"
                " (check the user and password in HJELPELINJE_IMAP_URL)"
            ) from None
        try:
            box.folder.set(config.folder)
        except MailboxFolderSelectError:
            self._drop(box)
            raise ImapUnavailable(
                f"the IMAP server {config.where} has no folder {config.folder!r}"
            ) from None
        if config.after == "move" and not box.folder.exists(config.move_to):
            self._drop(box)
            raise ImapUnavailable(
                f"HJELPELINJE_IMAP_AFTER: the IMAP server {config.where} has no folder"
                f" {config.move_to!r}"
            )
        return box

    @staticmethod
    def _drop(box: MailBox | MailBoxUnencrypted | MailBoxStartTls) -> None:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            box.client.shutdown()

    def close(self) -> None:
        if self.box is not None:
            box, self.box = self.box, None
            try:
                box.logout()
            except (OSError, EOFError, imaplib.IMAP4.error, ImapToolsError):
                self._drop(box)

    def __enter__(self) -> ImapSession:
        if self.box is None:
            self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Commands. Each turns a network fault into ImapUnavailable.

    @property
    def client(self) -> imaplib.IMAP4:
        if self.box is None:
            raise ImapUnavailable(f"not connected to the IMAP server {self.config.where}")
        return self.box.client

    def _uid(self, command: str, *args: str | bytes) -> list[object]:
        try:
            status, data = self.client.uid(command, *args)  # type: ignore[arg-type]
        except (OSError, EOFError, imaplib.IMAP4.abort) as exc:
            raise ImapUnavailable(
                f"lost the IMAP server {self.config.where}: {_reason(exc)}"
            ) from None
        except imaplib.IMAP4.error:
            raise ImapUnavailable(
                f"the IMAP server {self.config.where} refused UID {command}"
            ) from None
        if status != "OK":
            raise ImapUnavailable(f"the IMAP server {self.config.where} refused UID {command}")
        return list(data)

    def capable(self, name: str) -> bool:
        return name in self.client.capabilities

    def uids(self) -> list[str]:
        """The UIDs of the folder's mails not already marked for deletion, oldest first."""
        data = self._uid("SEARCH", "UNDELETED")
        found: list[str] = []
        for line in data:
            if isinstance(line, bytes):
                found.extend(uid.decode() for uid in line.split())
        return sorted(found, key=int)

    def envelopes(self, uids: Sequence[str]) -> Iterator[Envelope]:
        """UID, size and headers of each mail, a batch per FETCH."""
        for start in range(0, len(uids), HEADER_BATCH):
            batch = uids[start : start + HEADER_BATCH]
            data = self._uid("FETCH", ",".join(batch), "(UID RFC822.SIZE BODY.PEEK[HEADER])")
            for item in data:
                # Lines without a literal are closing parentheses or unsolicited updates.
                if not isinstance(item, tuple) or len(item) < 2:
                    continue
                meta, header = item[0], item[1]
                uid, size = _UID.search(meta), _SIZE.search(meta)
                if uid is None or size is None:
                    continue
                yield Envelope(uid.group(1).decode(), int(size.group(1)), bytes(header))

    def fetch(self, uid: str) -> bytes | None:
        """The whole raw mail, or None when it is gone from the server meanwhile."""
        data = self._uid("FETCH", uid, "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2:
                return bytes(item[1])
        return None

    def remove(self, uids: Sequence[str]) -> int:
        """Take stored mails off the server: deleted and expunged, or moved."""
        if not uids:
            return 0
        joined = ",".join(uids)
        if self.config.after == "move":
            if self.capable("MOVE"):
                self._uid("MOVE", joined, encode_folder(self.config.move_to))
                return len(uids)
            self._uid("COPY", joined, encode_folder(self.config.move_to))
        self._uid("STORE", joined, "+FLAGS.SILENT", r"(\Deleted)")
        if self.capable("UIDPLUS"):
            # Only these mails: a \Deleted flag someone else set is theirs to expunge.
            self._uid("EXPUNGE", joined)
        else:
            try:
                self.client.expunge()
            except (OSError, EOFError, imaplib.IMAP4.error) as exc:
                raise ImapUnavailable(
                    f"lost the IMAP server {self.config.where}: {_reason(exc)}"
                ) from None
        return len(uids)

    def wait(self, timeout: float, stopping: Callable[[], bool] = lambda: False) -> None:
        """Wait until the folder changes, `timeout` seconds pass or `stopping()` is true:
        in IDLE where the server has it (RFC 2177), else polling (a plain pause). Either
        looks at `stopping` every second, so a stopped service stops at once."""
        deadline = time.monotonic() + timeout
        if not self.capable("IDLE"):
            while not stopping() and time.monotonic() < deadline:
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            return
        assert self.box is not None
        idle = self.box.idle
        try:
            idle.start()  # type: ignore[no-untyped-call]
            try:
                # Renewed at least every 29 minutes, as RFC 2177 asks.
                deadline = min(deadline, time.monotonic() + 29 * 60)
                while not stopping() and time.monotonic() < deadline:
                    if idle.poll(timeout=min(1.0, max(0.0, deadline - time.monotonic()))):
                        break
            finally:
                idle.stop()  # type: ignore[no-untyped-call]
        except (OSError, EOFError, imaplib.IMAP4.error, ImapToolsError) as exc:
            raise ImapUnavailable(
                f"lost the IMAP server {self.config.where}: {_reason(exc)}"
            ) from None
