from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.roles import PERMISSIONS

# The main menu: (permission, URL name, label). An app that is not installed simply
# has no entry, because its URL name does not resolve.
NAV = [
    ("inquiries.record", "inquiries:create", _("Ny henvendelse")),
    ("inquiries.view", "inquiries:list", _("Henvendelser")),
    ("followup.view", "followup:list", _("Brukere")),
    ("chat.console", "chat:console", _("Chat")),
    ("outreach.view", "outreach:index", _("Utadrettet")),
    ("statistics.view", "reporting:dashboard", _("Statistikk")),
    ("reports.manage", "reporting:annual_report", _("Årsrapport")),
    ("taxonomy.edit", "taxonomy:index", _("Kodelister")),
    ("hours.edit", "hours:index", _("Åpningstider")),
    ("website.edit", "wagtailadmin_home", _("Nettsiden")),
    ("audit.view", "audit:list", _("Tilgangslogg")),
    ("accounts.manage", "accounts:staff_list", _("Ansatte")),
]


class _Perms:
    """Lets templates ask `{% if can.inquiries_delete %}`."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = request.user

    def __getattr__(self, name: str) -> bool:
        permission = name.replace("_", ".", 1)
        if permission not in PERMISSIONS:
            raise AttributeError(name)
        return bool(self.user.is_authenticated and self.user.can(permission))


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[dict[str, Any]] = []
    for permission, url_name, label in NAV:
        if not user.can(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": False})
    # Only the item whose address is the longest prefix of the page's is current: the new
    # inquiry form (/staff/inquiries/ny/) lies under the list (/staff/inquiries/), and marking both
    # would leave the reader unsure where they are.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items


def permissions(request: HttpRequest) -> dict[str, Any]:
    return {"can": _Perms(request), "nav": _nav(request)}
