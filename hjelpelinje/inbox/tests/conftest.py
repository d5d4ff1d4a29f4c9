from __future__ import annotations

from collections.abc import Iterator

import pytest

from hjelpelinje.inbox.tests.dovecot import Dovecot, own_dovecot


@pytest.fixture(scope="module")
def dovecot_server() -> Iterator[Dovecot]:
    """One Dovecot per test module (it starts in well under a second)."""
    with own_dovecot() as server:
        yield server


@pytest.fixture
def dovecot(dovecot_server: Dovecot, settings) -> Dovecot:
    """The module's Dovecot with an empty mailbox, and fetch_mail pointed at it."""
    if not dovecot_server.up():  # a test that stopped it
        dovecot_server.start()
    dovecot_server.empty()
    settings.HJELPELINJE_IMAP_URL = dovecot_server.url()
    settings.HJELPELINJE_IMAP_AFTER = "delete"
    settings.HJELPELINJE_MAIL_MAX_MB = 25
    return dovecot_server
