"""`hjelpelinje check --deploy`: the website's settings that a production site needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.checks import Warning, register


@register(deploy=True)
def security_txt_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """RFC 9116 asks for a Contact and an Expires under a year ahead; without them
    /.well-known/security.txt is not served."""
    from django.conf import settings

    from hjelpelinje.site.wellknown import security_expires

    found: list[Warning] = []
    if not settings.HJELPELINJE_SECURITY_CONTACT:
        found.append(
            Warning(
                "HJELPELINJE_SECURITY_CONTACT is not set: /.well-known/security.txt is not served.",
                id="website.W001",
            )
        )
    try:
        expires = security_expires()
    except ValueError:
        expires = None
    now = dt.datetime.now(dt.UTC)
    if expires is None or expires <= now or expires > now + dt.timedelta(days=366):
        found.append(
            Warning(
                "HJELPELINJE_SECURITY_EXPIRES must be a date or date-time under a year ahead "
                "(RFC 9116): /.well-known/security.txt is not served, or says it has expired.",
                id="website.W002",
            )
        )
    return found
