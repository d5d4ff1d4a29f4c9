"""Opening hours shown on the website come from the hours app, and a change to them shows
at once: every save or delete of the ordinary week, an exception or an "open/close now"
makes every cached public page and the launcher's cached state stale.

Connected in the website app's `ready()` (site/apps.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from hjelpelinje.hours.models import HoursException, HoursOverride, WeeklyHours
from hjelpelinje.site.cache import bump_public_cache


def hours_changed(sender: Any, **kwargs: Any) -> None:
    # Once now, so that this very request and anything reading within the transaction see
    # fresh pages; and once after the commit, because a page rendered by another request
    # between the two would otherwise be cached with the old hours under the new version.
    bump_public_cache()
    transaction.on_commit(bump_public_cache)


def connect() -> None:
    for model in (WeeklyHours, HoursException, HoursOverride):
        name = model.__name__
        post_save.connect(hours_changed, sender=model, dispatch_uid=f"site-hours-save-{name}")
        post_delete.connect(hours_changed, sender=model, dispatch_uid=f"site-hours-del-{name}")
