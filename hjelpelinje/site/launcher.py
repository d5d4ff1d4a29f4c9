"""The chat launcher's live state: is the chat open, when does it open, the phone hours,
and how many wait when the chat is busy.

Every public page shows the launcher, and pages are cached for up to a minute, so the page
itself only says "Chat med oss"; its script asks `/chat/state/` on load and every half
minute while the page is visible. That request carries no cookie (the script fetches with
`credentials: "omit"`), the view never reads the session and sets no cookie, and the answer
is cached twice for a few seconds: by the browser and any proxy (`max-age=5`), and here in
Django's cache, so a thousand open pages cost one computation every few seconds.

The cached state is keyed by the public pages' cache version (site/cache.py), which every
change to the opening hours bumps (site/hours_link.py): an exception or a "close now" a
manager saves shows on the next request, not after the cache runs out.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hjelpelinje.accounts.permissions import public
from hjelpelinje.chat.models import ChatSession, ChatSettings
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import Channel, Weekday
from hjelpelinje.hours.selectors import HoursStatus, hours_status
from hjelpelinje.site.cache import public_version

# How long the browser, a proxy and this server keep one answer.
STATE_SECONDS = 5
# From this many waiting chats the chat counts as busy and the launcher says how many
# wait. Fewer than this is an ordinary short wait, and a visitor is better served by
# "open now" than by a number that changes with every chat taken.
BUSY_WAITING = 3
LANGS = ("nb", "en")


def chat_waiting_count() -> int:
    return ChatSession.objects.filter(status=ChatSession.Status.QUEUED).count()


def when_text(at: dt.datetime, now: dt.datetime) -> str:
    """ "i dag kl. 12:00", "i morgen kl. 09:00", "mandag kl. 09:00", or the date when it
    is a week or more away, in the active language."""
    local = at.astimezone(OSLO)
    days = (local.date() - now.astimezone(OSLO).date()).days
    time = f"{local:%H:%M}"
    if days <= 0:
        return _("i dag kl. %(time)s") % {"time": time}
    if days == 1:
        return _("i morgen kl. %(time)s") % {"time": time}
    if days < 7:
        day = str(Weekday(local.weekday()).label)
        return _("%(day)s kl. %(time)s") % {"day": day, "time": time}
    return _("%(date)s kl. %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": time}


def opens_text(at: dt.datetime, now: dt.datetime) -> str:
    return _("Åpner %(when)s") % {"when": when_text(at, now)}


def closes_text(at: dt.datetime | None, now: dt.datetime) -> str:
    if at is None:
        return _("Åpen nå")
    local = at.astimezone(OSLO)
    if local.date() == now.astimezone(OSLO).date():
        return _("Åpen nå, til kl. %(time)s") % {"time": f"{local:%H:%M}"}
    return _("Åpen nå")


def _channel(status: HoursStatus, now: dt.datetime) -> dict[str, Any]:
    if status.is_open:
        text = closes_text(status.closes_at, now)
    elif status.next_open is not None:
        text = opens_text(status.next_open, now)
    else:
        text = _("Stengt")
    return {
        "open": status.is_open,
        "closes_at": status.closes_at.isoformat() if status.closes_at else None,
        "next_open": status.next_open.isoformat() if status.next_open else None,
        "text": text,
    }


def launcher_state(*, now: dt.datetime) -> dict[str, Any]:
    """The state as the launcher shows it, in the active language."""
    chat = hours_status(channel=Channel.CHAT, at=now)
    phone = hours_status(channel=Channel.PHONE, at=now)
    number = settings.HJELPELINJE_PHONE_NUMBER
    waiting: int | None = None
    busy = full = False
    if chat.is_open:
        count = chat_waiting_count()
        cap = ChatSettings.current().max_queue
        full = count >= cap
        busy = count >= min(BUSY_WAITING, cap)
        if busy:
            waiting = count
    chat_part = _channel(chat, now)
    phone_part = _channel(phone, now)
    phone_part["number"] = number
    if full:
        label = _("Chatten er full nå")
    elif busy:
        label = _("Chat: åpen nå · %(n)s venter") % {"n": waiting}
    elif chat.is_open:
        label = _("Chat: åpen nå")
    elif chat.next_open is not None:
        label = _("Chatten åpner %(when)s") % {"when": when_text(chat.next_open, now)}
    else:
        label = _("Chatten er stengt")
    if phone.is_open:
        detail = (
            _("Ring %(number)s: åpen nå") % {"number": number}
            if number
            else _("Telefonen er åpen nå")
        )
    elif phone.next_open is not None:
        detail = _("Telefonen åpner %(when)s") % {"when": when_text(phone.next_open, now)}
    else:
        detail = _("Telefonen er stengt")
    return {
        "lang": translation.get_language(),
        "chat": chat_part,
        "phone": phone_part,
        "busy": busy,
        "full": full,
        "waiting": waiting,
        "label": label,
        "detail": detail,
        "at": now.isoformat(),
    }


def _seconds_to_keep(state: dict[str, Any], now: dt.datetime) -> int:
    """A few seconds, but never past the moment the chat or phone opens or closes, so the
    launcher does not say "opens at 12:00" at 12:00:04."""
    keep = float(STATE_SECONDS)
    for part in (state["chat"], state["phone"]):
        for key in ("closes_at", "next_open"):
            if part[key]:
                keep = min(keep, (dt.datetime.fromisoformat(part[key]) - now).total_seconds())
    return max(1, math.ceil(keep))


def launcher_state_cached(*, lang: str) -> dict[str, Any]:
    key = f"site:launcher-state:{public_version()}:{lang}"
    state: dict[str, Any] | None = cache.get(key)
    if state is None:
        now = timezone.now()
        with translation.override(lang):
            state = launcher_state(now=now)
        cache.set(key, state, timeout=_seconds_to_keep(state, now))
    return state


@public
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    """The launcher's live state as JSON. The language comes from `?lang=`, never from a
    cookie; the session is never read, so no cookie is ever set."""
    lang = request.GET.get("lang", "")
    if lang not in LANGS:
        lang = settings.LANGUAGE_CODE
    response = JsonResponse(launcher_state_cached(lang=lang))
    response["Cache-Control"] = f"public, max-age={STATE_SECONDS}"
    response["Referrer-Policy"] = "no-referrer"
    return response
