"""System checks for the chat, shown by `hjelpelinje check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register(deploy=True)
def phone_number_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.HJELPELINJE_PHONE_NUMBER:
        return []
    return [
        Warning(
            "HJELPELINJE_PHONE_NUMBER is not set.",
            hint=(
                "While the chat is closed its page sends visitors to the phone: without the "
                "number they see the phone's hours but not what to call."
            ),
            id="hjelpelinje.W001",
        )
    ]
