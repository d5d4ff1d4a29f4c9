"""What every page, public or staff, may need to render the shared pieces."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    # The quick exit's target (templates/includes/quick_exit*.html).
    return {"exit_url": settings.HJELPELINJE_EXIT_URL}
