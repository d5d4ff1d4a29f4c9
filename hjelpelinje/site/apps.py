from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "hjelpelinje.site"
    # "website", not "site": Wagtail's own `Site` model and Django's `sites` framework
    # would make a label "site" read ambiguously in permissions and migrations.
    label = "website"
    verbose_name = "Nettsiden"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Editing: audit and cache on every publish, Wagtail groups in step with roles.
        # Opening hours: every change bumps the public cache too (site/hours_link.py).
        # Documents and images in use on live pages: publishers only, audited (site/media.py).
        from hjelpelinje.site import checks, hours_link, media, signals  # noqa: F401

        hours_link.connect()
        media.connect()
