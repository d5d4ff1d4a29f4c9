"""`hjelpelinje flush_visits`: store this process's visit counters now.

The web workers flush by themselves every HJELPELINJE_VISITS_FLUSH_SECONDS and when they
stop; this command is for tests and for a script that counted in its own process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hjelpelinje.site.visits.counting import flush


class Command(BaseCommand):
    help = "Store the page views and visits counted in this process now."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = flush()
        self.stdout.write(f"{stored} page views stored.")
