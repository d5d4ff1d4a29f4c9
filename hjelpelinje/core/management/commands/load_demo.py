"""Fill an empty database with synthetic demo data and demo staff accounts.

Each app that has demo data provides `hjelpelinje.<app>.demo.load(stdout=...)`; they run in
the order below, so later ones can build on earlier ones (follow-up users on inquiries).
Nothing here is about a real person.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from hjelpelinje.accounts.models import Role, User
from hjelpelinje.inquiries.models import Inquiry

DEMO_APPS = [
    "inquiries",
    "followup",
    "hours",
    "chat",
    "outreach",
    "site",
    "site.visits",
    "reporting",
]

DEMO_STAFF = [
    ("leder", "Demo Leder", Role.MANAGER),
    ("radgiver", "Demo Rådgiver", Role.COUNSELLOR),
    ("radgiver2", "Demo Rådgiver To", Role.COUNSELLOR),
    ("admin", "Demo Administrator", Role.ADMIN),
]
DEMO_PASSWORD = "demo-passord-123"


class Command(BaseCommand):
    help = "Load synthetic demo data (2022 and 2023) and demo staff accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when inquiries already exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Inquiry.objects.exists():
            self.stdout.write("The database already holds data; demo data not loaded.")
            self._print_logins()
            return
        with transaction.atomic():
            for username, name, role in DEMO_STAFF:
                first, _, last = name.partition(" ")
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": first, "last_name": last, "role": role},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"hjelpelinje.{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, name, role in DEMO_STAFF:
            self.stdout.write(f"  {username:<10} {Role(role).label} ({name})")
