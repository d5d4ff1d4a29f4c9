"""Wagtail's admin as Hjelpelinje's editors see it (docs/editing.md).

Staff accounts and their rights are managed in Hjelpelinje's own staff pages, from the
role: Wagtail's Users and Groups are never shown, even to someone who somehow got their
permissions, and the menu leads back to the staff start page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# Menu items that manage accounts, sites, languages or the workflows: none is an editor's.
HIDDEN_SETTINGS = frozenset({"users", "groups", "sites", "locales", "workflows", "workflow-tasks"})


@hooks.register("construct_settings_menu")
def hide_account_settings(request: HttpRequest, menu_items: list[Any]) -> None:
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_SETTINGS]


@hooks.register("construct_main_menu")
def hide_account_menu(request: HttpRequest, menu_items: list[Any]) -> None:
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_SETTINGS]


@hooks.register("register_admin_menu_item")
def back_to_staff_pages() -> MenuItem:
    return MenuItem(
        _("Til Hjelpelinje"), reverse("home"), name="hjelpelinje", icon_name="home", order=10000
    )


@hooks.register("insert_global_admin_js")
def date_choosers_without_inline_scripts() -> SafeString:
    # The staff pages' CSP runs no inline script; Wagtail's date and time widgets are
    # started from this file instead (site/templates/wagtailadmin/widgets/).
    return format_html('<script src="{}"></script>', static("site/editing/choosers.js"))
