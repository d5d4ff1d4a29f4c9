"""The "open the chat now / close it now" control, for the console and the hours page.

A tag rather than view context so that a page includes it with one line and the page's
own view does not need to know about opening hours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from hjelpelinje.core.timeutil import local_now
from hjelpelinje.hours.forms import OpenNowForm
from hjelpelinje.hours.models import Channel
from hjelpelinje.hours.selectors import hours_status

register = template.Library()


@register.inclusion_tag("hours/_now.html", takes_context=True)
def chat_now_control(context: template.Context, back: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can("hours.edit"):
        return {"show": False}
    now = local_now()
    # Suggest the next full hour, so that a quick press never opens the chat for a day.
    suggestion = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return {
        "show": True,
        "back": back,
        "status": hours_status(channel=Channel.CHAT, at=now),
        "form": OpenNowForm(initial={"until": suggestion.time()}, auto_id=f"now-{back}-%s"),
        "csrf_token": context.get("csrf_token"),
    }
