"""The mailbox fetch_mail reads, from HJELPELINJE_IMAP_URL and HJELPELINJE_IMAP_AFTER.

Every refusal is one line that names the setting and says what to do, never the password.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings

DEFAULT_PORTS = {"imaps": 993, "imap": 143, "imap+starttls": 143}


class MailConfigError(Exception):
    """The mail settings cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class ImapConfig:
    scheme: str  # "imaps", "imap+starttls", or "imap" (loopback only)
    host: str
    port: int
    user: str
    password: str = ""
    folder: str = "INBOX"
    # What happens on the server to a mail once it is stored: "delete", or "move" to
    # `move_to`.
    after: str = "delete"
    move_to: str = ""

    @property
    def where(self) -> str:
        """Where the server is, for messages: host and port, nothing of the login."""
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:  # the password must not reach a traceback or a log
        return f"ImapConfig({self.scheme}://{self.where}/{self.folder})"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def imap_config(url: str | None = None, after: str | None = None) -> ImapConfig:
    url = settings.HJELPELINJE_IMAP_URL if url is None else url
    after = settings.HJELPELINJE_IMAP_AFTER if after is None else after
    if not url:
        raise MailConfigError("HJELPELINJE_IMAP_URL is not set (imaps://user:password@host/INBOX)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise MailConfigError(
            "HJELPELINJE_IMAP_URL cannot be read: imaps://user:password@host[:port]/FOLDER"
            " (percent-encode @ : / in the user or password)"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailConfigError(
            "HJELPELINJE_IMAP_URL must start with imaps://, imap+starttls:// or"
            " (on this machine only) imap://"
        )
    host = parts.hostname or ""
    if not host:
        raise MailConfigError("HJELPELINJE_IMAP_URL names no host")
    if scheme == "imap" and not is_loopback(host):
        raise MailConfigError(
            "HJELPELINJE_IMAP_URL: imap:// sends the password unencrypted and is allowed only"
            " to this machine (127.0.0.1, ::1, localhost); use imaps:// or imap+starttls://"
        )
    user = unquote(parts.username or "")
    if not user:
        raise MailConfigError("HJELPELINJE_IMAP_URL names no user (imaps://user:password@host/)")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapConfig(
        scheme=scheme,
        host=host,
        port=port or DEFAULT_PORTS[scheme],
        user=user,
        password=unquote(parts.password or ""),
        folder=folder,
        **_after(after),
    )


def _after(value: str) -> dict[str, str]:
    value = (value or "delete").strip()
    if value == "delete":
        return {"after": "delete", "move_to": ""}
    if value.startswith("move:") and value[5:].strip():
        return {"after": "move", "move_to": value[5:].strip()}
    raise MailConfigError("HJELPELINJE_IMAP_AFTER must be 'delete' (the default) or 'move:FOLDER'")


def max_bytes() -> int:
    return int(float(settings.HJELPELINJE_MAIL_MAX_MB) * 1024 * 1024)
