"""Fetching the mailbox: once (`fetch_once`), or for ever (`watch`).

Per mail on the server, in order:
1. UID, RFC822.SIZE and headers are read (BODY.PEEK[HEADER]); a Message-ID already stored
   means the mail is only taken off the server (how a crash between our commit and the
   server's delete heals: the second copy is dropped, not stored).
2. A mail over HJELPELINJE_MAIL_MAX_MB is not downloaded: a placeholder naming it is
   stored (once) and the mail stays on the server.
3. Otherwise it is downloaded, parsed and stored in one transaction; only after that
   commit is it deleted from the server (or moved).
A mail that cannot be parsed is stored flagged with its raw bytes; one that cannot be
stored at all stays on the server and is counted as failed; neither stops the others.
Nothing of a mail's content is logged or printed: only counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.db import InterfaceError, OperationalError

from hjelpelinje.inbox.mail import services
from hjelpelinje.inbox.mail.client import ImapSession, ImapUnavailable
from hjelpelinje.inbox.mail.config import ImapConfig, max_bytes
from hjelpelinje.inbox.mail.parse import parse_mail, read_envelope

logger = logging.getLogger(__name__)

# Stored mails are taken off the server in batches of this many.
REMOVE_BATCH = 100
# With --watch: how long one IDLE lasts before it is renewed, and the longest pause
# between reconnection attempts.
IDLE_SECONDS = 300.0
MAX_BACKOFF = 60.0


class DatabaseUnavailable(Exception):
    """The database cannot be written: the run stops, leaving every mail on the server."""


@dataclass
class FetchReport:
    seen: int = 0
    stored: int = 0
    unreadable: int = 0
    too_large: int = 0
    duplicates: int = 0
    removed: int = 0
    failed: int = 0

    def add(self, other: FetchReport) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def line(self) -> str:
        """What happened, in counts only."""
        parts = [f"{self.stored} new"]
        if self.unreadable:
            parts[0] += f" ({self.unreadable} could not be read in full)"
        parts.append(f"{self.too_large} too large (left on the server)")
        parts.append(f"{self.duplicates} already stored")
        parts.append(f"{self.removed} removed from the server")
        if self.failed:
            parts.append(f"{self.failed} could not be stored (left on the server)")
        return f"{self.seen} on the server: " + ", ".join(parts)


def fetch_once(session: ImapSession, *, limit: int | None = None) -> FetchReport:
    """One pass over the folder."""
    report = FetchReport()
    biggest = max_bytes() if limit is None else limit
    uids = session.uids()
    report.seen = len(uids)
    done: list[str] = []
    for envelope in session.envelopes(uids):
        outcome = _one(session, envelope.uid, envelope.size, envelope.header, biggest, report)
        if outcome:
            done.append(envelope.uid)
        if len(done) >= REMOVE_BATCH:
            report.removed += session.remove(done)
            done = []
    report.removed += session.remove(done)
    return report


def _one(
    session: ImapSession, uid: str, size: int, header: bytes, biggest: int, report: FetchReport
) -> bool:
    """Handle one mail; True when it is stored and may leave the server."""
    try:
        envelope = read_envelope(header)
        if envelope.message_id:
            key = services.message_id_hash(envelope.message_id)
        elif size > biggest:
            key = services.placeholder_hash(header, size)
        else:
            key = ""
        existing = services.known(key) if key else None
        if size > biggest:
            report.too_large += 1
            if existing is None:
                services.mail_store_placeholder(header=header, size=size)
            return False
        if existing is not None and not existing.too_large:
            report.duplicates += 1
            return True
        raw = session.fetch(uid)
        if raw is None:  # gone from the server meanwhile (another client took it)
            return False
        mail = parse_mail(raw)
        try:
            stored = services.mail_store(raw=raw, mail=mail, size=size)
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:
            # Something in this mail defeats the ordinary way: keep it raw and flagged.
            # The log names the mail's UID and the kind of fault, never a traceback or a
            # message, which could quote the mail.
            logger.error("fetch_mail: mail UID %s stored raw only (%s)", uid, type(exc).__name__)
            stored = services.mail_store_raw(raw=raw)
    except ImapUnavailable:
        raise
    except (OperationalError, InterfaceError) as exc:
        raise DatabaseUnavailable(
            "the database cannot be reached; mail stays on the server"
        ) from exc
    except Exception as exc:  # DatabaseError included: this mail only
        logger.error("fetch_mail: mail UID %s could not be stored (%s)", uid, type(exc).__name__)
        report.failed += 1
        return False
    if stored.outcome == "duplicate":
        report.duplicates += 1
    else:
        report.stored += 1
        report.unreadable += int(stored.unreadable)
    return True


def run_once(config: ImapConfig) -> FetchReport:
    with ImapSession(config) as session:
        return fetch_once(session)


def watch(
    config: ImapConfig,
    *,
    say: Callable[[str], None],
    stopping: Callable[[], bool],
    poll_seconds: float = 60.0,
    idle_seconds: float = IDLE_SECONDS,
) -> None:
    """Fetch, wait for the server to say something changed (IDLE, or a pause of
    `poll_seconds` without it), fetch again; reconnect with back-off when the connection
    is lost. Returns when `stopping()` is true."""
    backoff = 1.0
    while not stopping():
        try:
            with ImapSession(config).open() as session:
                backoff = 1.0
                wait = idle_seconds if session.capable("IDLE") else poll_seconds
                while not stopping():
                    report = fetch_once(session)
                    if report.stored or report.removed or report.failed:
                        say(report.line())
                    if stopping():
                        return
                    session.wait(wait, stopping)
        except (ImapUnavailable, DatabaseUnavailable) as exc:
            say(str(exc))
            deadline = time.monotonic() + backoff
            while not stopping() and time.monotonic() < deadline:
                time.sleep(min(0.2, backoff))
            backoff = min(backoff * 2, MAX_BACKOFF)
