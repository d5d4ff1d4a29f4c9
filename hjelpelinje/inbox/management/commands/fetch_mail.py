"""Fetch the helpline's mailbox into the inbox (docs/written-channels.md).

`hjelpelinje fetch_mail` fetches once, prints what it did (counts, never content) and exits
0; a server that cannot be reached exits 1 with one line. `--watch` keeps going (IDLE, or
polling) until SIGTERM or SIGINT: deploy/systemd/hjelpelinje-mail.service runs it so.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.inbox.mail.client import ImapUnavailable
from hjelpelinje.inbox.mail.config import MailConfigError, imap_config
from hjelpelinje.inbox.mail.fetch import DatabaseUnavailable, run_once, watch


class Command(BaseCommand):
    help = "Fetch mail from HJELPELINJE_IMAP_URL into the inbox (once, or --watch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--watch", action="store_true", help="keep fetching as mail arrives (IDLE or polling)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = imap_config()
        except MailConfigError as exc:
            raise CommandError(f"fetch_mail: {exc}") from None
        if options["watch"]:
            self._watch(config)
            return
        try:
            report = run_once(config)
        except (ImapUnavailable, DatabaseUnavailable) as exc:
            raise CommandError(f"fetch_mail: {exc}") from None
        self.stdout.write(f"fetch_mail: {report.line()}")

    def _watch(self, config: Any) -> None:
        stop = {"now": False}

        def ask_to_stop(signum: int, frame: FrameType | None) -> None:
            # The mail in hand is finished (its transaction and its removal from the
            # server), then the loop ends: nothing is cut off half-way.
            stop["now"] = True

        signal.signal(signal.SIGTERM, ask_to_stop)
        signal.signal(signal.SIGINT, ask_to_stop)
        self.stdout.write(f"fetch_mail: watching {config.where}/{config.folder}")
        self.stdout.flush()

        def say(line: str) -> None:
            self.stdout.write(f"fetch_mail: {line}")
            self.stdout.flush()

        watch(
            config,
            say=say,
            stopping=lambda: stop["now"],
            poll_seconds=float(settings.HJELPELINJE_IMAP_POLL_SECONDS),
        )
        self.stdout.write("fetch_mail: stopped")
