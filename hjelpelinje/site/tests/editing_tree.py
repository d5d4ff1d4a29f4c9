"""A minimal page tree for the editing tests, built with Wagtail's base page type.

The editing tests are about who may do what in Wagtail's admin and what the public then
sees; they need a home page and one theme page under it, not the website's page types.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Locale, Page, Site

from hjelpelinje.site.roles import sync_wagtail_groups

OLD_TITLE = "Tvangsekteskap"


def build_tree() -> dict[str, Any]:
    locale, _ = Locale.objects.get_or_create(language_code="nb")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=Page(title="Hjelpelinje", slug="hjem-redigering", locale=locale))
    theme = home.add_child(instance=Page(title=OLD_TITLE, slug="tvangsekteskap", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    # After a transactional test's flush the groups lost their page permissions with the
    # tree; the demo loader does the same.
    sync_wagtail_groups()
    return {"root": root, "home": home, "theme": theme}
