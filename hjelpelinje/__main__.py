"""`hjelpelinje COMMAND` and `python -m hjelpelinje COMMAND` run any management command.

A command that meets a database which cannot be reached or whose disk is full says so in
one line on stderr and exits with status 1, instead of a traceback (docs/operations.md).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        message = _fault_message(error)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)


def _fault_message(error: Exception) -> str | None:
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    from hjelpelinje.core.dbfaults import DISK_FULL, UNAVAILABLE, fault_of

    fault = fault_of(error)
    with translation.override(settings.LANGUAGE_CODE):
        if fault == DISK_FULL:
            return _(
                "Feil: disken til databasen er full; ingenting ble lagret. "
                "Si fra til administrator."
            )
        if fault == UNAVAILABLE:
            return _("Feil: databasen svarer ikke; ingenting ble lagret. Prøv igjen om litt.")
    return None


if __name__ == "__main__":
    main()
