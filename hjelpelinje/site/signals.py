"""What follows an editor's change to the website: the audit log and a fresh public cache.

Audit: Wagtail writes its own log entry for every action on a page, naming the person who
did it, from whichever door (the editor, bulk actions, the page tree's move, scheduled
publishing, a copy for translation). Listening to those entries covers every way a page
goes live or away without a hook per view. Only the page's id goes to Hjelpelinje's log,
never its text.

Cache: publishing, unpublishing, moving or deleting a page changes what public pages
show (the page itself, menus, lists of news), so every cached public page is made stale
(hjelpelinje/site/cache.py). The version is bumped at once and again after the commit:
a page rendered in between, from data not yet committed, would otherwise stay cached.

Roles: every save of a staff account puts her in the Wagtail group of her role
(hjelpelinje/site/roles.py), and every migrate brings the groups up to date.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published, page_unpublished, post_page_move

from hjelpelinje.audit.services import audit_record
from hjelpelinje.site.cache import bump_public_cache
from hjelpelinje.site.roles import sync_user_groups, sync_wagtail_groups

# Wagtail's log action → Hjelpelinje's audit action.
AUDITED_ACTIONS: dict[str, str] = {
    "wagtail.publish": "website.publish",
    "wagtail.publish.scheduled": "website.publish",
    "wagtail.unpublish": "website.unpublish",
    "wagtail.unpublish.scheduled": "website.unpublish",
    "wagtail.delete": "website.delete",
    "wagtail.move": "website.move",
    "wagtail.reorder": "website.move",
    "wagtail.copy_for_translation": "website.translate",
}


def public_pages_changed() -> None:
    bump_public_cache()
    transaction.on_commit(bump_public_cache)


@receiver(post_save, sender=PageLogEntry)
def audit_page_action(sender: Any, instance: PageLogEntry, created: bool, **kwargs: Any) -> None:
    action = AUDITED_ACTIONS.get(instance.action)
    if not created or action is None:
        return
    audit_record(actor=instance.user, action=action, target_type="page", target_id=instance.page_id)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender: Any, **kwargs: Any) -> None:
    public_pages_changed()


@receiver(post_delete, sender=Page)
def page_deleted(sender: Any, **kwargs: Any) -> None:
    public_pages_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def staff_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Fixtures loaded raw have no groups to keep in step yet.
    if not raw:
        sync_user_groups(instance)


@receiver(post_migrate)
def groups_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Wagtail's core app migrates after the admin, images, documents and translation
    # apps, so by its post_migrate every permission the groups need exists.
    if sender.label == "wagtailcore":
        sync_wagtail_groups()
