"""Create the first administrator (or another one) from the terminal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.accounts.models import Role
from hjelpelinje.accounts.services import staff_create


class Command(BaseCommand):
    help = (
        "Create an active administrator with a one-time password, printed once. "
        "At the first login they choose their own password and enrol an authenticator app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        try:
            user, password = staff_create(actor=None, username=username, role=Role.ADMIN)
        except ValidationError as error:
            messages = "; ".join(error.messages)
            raise CommandError(f"no administrator created: {messages}") from None
        self.stdout.write(f"Administrator {user.username} created.")
        self.stdout.write(f"One-time password (shown only now): {password}")
        self.stdout.write(
            "At the first login they choose their own password and enrol an authenticator app."
        )
