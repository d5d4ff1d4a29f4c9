"""The website's shared navigation: the menu, the language link and the footer's links.

Every public page, Wagtail's or not (the error pages), shows the same header and footer;
these tags find the pages for the language being shown, starting from the default Site's
home page and its translation.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from hjelpelinje.site import seo
from hjelpelinje.site.models import ROLE_HISTORY, ROLE_PRIVACY, AboutPage, InfoPage
from hjelpelinje.site.seo import PageMeta

register = template.Library()

LANGUAGE_NAMES = {"nb": "Norsk", "en": "English"}


def _home(context: template.Context) -> Page | None:
    """The home page in the language being shown, or None before the site is built."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    page = context.get("page")
    locale = page.locale if isinstance(page, Page) else None
    if locale is None:
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            return site.root_page
    home: Page | None = site.root_page.get_translation_or_none(locale)
    return home or site.root_page


@register.simple_tag(takes_context=True)
def site_home(context: template.Context) -> Page | None:
    return _home(context)


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context) -> list[Page]:
    """The home page's live children marked "show in menus", in the tree's order."""
    home = _home(context)
    if home is None:
        return []
    return list(home.get_children().live().in_menu().order_by("path"))


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """A link to this page in each other language: its translation, else that home page."""
    page = context.get("page")
    home = _home(context)
    if home is None:
        return []
    current = page.locale if isinstance(page, Page) else home.locale
    links = []
    for locale in Locale.objects.exclude(pk=current.pk).order_by("language_code"):
        target = None
        if isinstance(page, Page):
            target = page.get_translation_or_none(locale)
            if target is not None and not target.live:
                target = None
        if target is None:
            target = home.get_translation_or_none(locale)
        if target is None or not target.live:
            continue
        links.append(
            {
                "url": target.get_url(context.get("request")),
                "name": LANGUAGE_NAMES.get(locale.language_code, locale.language_code),
                "code": locale.language_code,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def footer_pages(context: template.Context) -> dict[str, Page]:
    """The privacy and browser-history pages in the language shown, by role, and "about"."""
    home = _home(context)
    if home is None:
        return {}
    found: dict[str, Page] = {}
    about = AboutPage.objects.descendant_of(home).live().order_by("path").first()
    if about is not None:
        found["about"] = about
    for info in (
        InfoPage.objects.descendant_of(home)
        .live()
        .filter(footer_role__in=[ROLE_HISTORY, ROLE_PRIVACY])
        .order_by("path")
    ):
        found.setdefault(info.footer_role, info)
    return found


@register.simple_tag
def phone_number() -> str:
    return str(settings.HJELPELINJE_PHONE_NUMBER)


@register.simple_tag
def current_language_name() -> str:
    code = translation.get_language() or settings.LANGUAGE_CODE
    return LANGUAGE_NAMES.get(code, code)


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context) -> PageMeta | None:
    """What search engines and link previews read about this page (site/seo.py)."""
    page = context.get("page")
    if not isinstance(page, Page):
        return None
    return seo.page_meta(page.specific, context.get("request"))
