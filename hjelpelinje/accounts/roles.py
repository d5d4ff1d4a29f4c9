"""The staff roles and what each may do: the table `permissions.require` and `User.can` read.

It imports nothing of the app's own, so the user model and the view decorators can both use
it without importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Rådgiver")
    MANAGER = "manager", _("Leder")
    ADMIN = "admin", _("Administrator")


C, M, A = Role.COUNSELLOR, Role.MANAGER, Role.ADMIN

PERMISSIONS: dict[str, frozenset[str]] = {
    # Every signed-in member of staff has a start page.
    "home": frozenset({C, M, A}),
    # The register of first-time inquiries.
    "inquiries.view": frozenset({C, M}),
    "inquiries.record": frozenset({C, M}),
    "inquiries.delete": frozenset({M}),
    "inquiries.import": frozenset({M}),
    # Code lists, statistics and the annual report.
    "taxonomy.edit": frozenset({M}),
    "statistics.view": frozenset({M}),
    "reports.manage": frozenset({M}),
    # Follow-up users; whether a counsellor is responsible is checked per user.
    "followup.view": frozenset({C, M}),
    "followup.edit": frozenset({C, M}),
    "followup.export": frozenset({M}),
    "followup.import": frozenset({M}),
    "followup.see_all_shielded": frozenset({M}),
    # The audit log.
    "audit.view": frozenset({M, A}),
    # Chat console and its supervision.
    "chat.console": frozenset({C, M}),
    "chat.supervise": frozenset({M}),
    "chat.settings": frozenset({M}),
    # The written channels' inbox (e-mail, WhatsApp, the answering machine, write to us):
    # content is read by counsellors and managers only, every read audited.
    "inbox.read": frozenset({C, M}),
    # Opening hours.
    "hours.edit": frozenset({M}),
    # Outreach: counsellors add talks and media, managers everything.
    "outreach.view": frozenset({C, M}),
    "outreach.add": frozenset({C, M}),
    "outreach.manage": frozenset({M}),
    # Staff accounts.
    "accounts.manage": frozenset({A}),
    # The public website's pages in Wagtail's admin (hjelpelinje/site/roles.py):
    # counsellors write drafts, managers also publish, unpublish, move and delete.
    "website.edit": frozenset({C, M}),
    "website.publish": frozenset({M}),
}


def role_can(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None
