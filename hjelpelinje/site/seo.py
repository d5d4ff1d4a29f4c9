"""What search engines and link previews read from the website (docs/website.md).

One place decides, for every page, its description, its canonical address, its versions in
the other languages and the picture a shared link shows; the page's `<head>`
(site/includes/meta.html) and the sitemap (`/sitemap.xml`) both read it from here, so the
two never disagree.

Addresses are absolute and built from the Wagtail Site's own root address (Settings →
Sites in the editor: the public host name, port 443 for https), never from the request's
`Host` header: a page is cached and served to everyone, and what it says about its own
address must not depend on who asked first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

# What a search result shows of a description: Google cuts at about 155-160 characters.
DESCRIPTION_CHARS = 155
# The size link previews (Facebook, LinkedIn, X, Slack, messaging apps) ask for.
SHARE_SIZE = (1200, 630)
SHARE_FILTER = f"fill-{SHARE_SIZE[0]}x{SHARE_SIZE[1]}"
# The picture for a page whose editor chose none and whose home page has none either.
DEFAULT_SHARE_IMAGE = "site/share.png"
# Open Graph wants a territory with the language.
OG_LOCALES = {"nb": "nb_NO", "en": "en_GB"}


@dataclass(frozen=True)
class Alternate:
    lang_code: str
    location: str


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    alternates: list[Alternate]
    image: ShareImage
    og_type: str
    og_locale: str
    og_locale_alternates: list[str]
    site_name: str


def _site(page: Page, request: HttpRequest | None) -> Site | None:
    site: Site | None = page.get_site()
    if site is None and request is not None:
        site = Site.find_for_request(request)
    return site


def root_url(page: Page | None = None, request: HttpRequest | None = None) -> str:
    """The public site's root address without a trailing slash, e.g. https://example.no."""
    site = _site(page, request) if page is not None else None
    if site is None and request is not None:
        site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return str(site.root_url).rstrip("/")


def absolute(url: str, base: str) -> str:
    return url if url.startswith(("http://", "https://")) else base + url


def _home(page: Page) -> Page | None:
    """The home page of the page's language: its ancestor at the depth of the Site's root."""
    if page.depth <= 2:
        return page
    return page.get_ancestors().filter(depth=2).first()


def description(page: Page) -> str:
    """The editor's search description; failing that the page's lead paragraph, cut to what
    a search result shows; failing that the home page's description."""
    own = (page.search_description or "").strip()
    if own:
        return own
    intro = strip_tags(getattr(page, "intro", "") or "").strip()
    if intro:
        return " ".join(Truncator(intro).chars(DESCRIPTION_CHARS).split())
    home = _home(page)
    if home is not None and home.pk != page.pk:
        return description(home.specific)
    return ""


def alternates(page: Page, request: HttpRequest | None = None) -> list[Alternate]:
    """The page in each language it is published in, and `x-default` (the Norwegian one),
    or nothing when the page has no published translation."""
    versions = list(page.get_translations(inclusive=True).live().public().select_related("locale"))
    if len(versions) < 2:
        return []
    found = [
        Alternate(lang_code=version.locale.language_code, location=version.get_full_url(request))
        for version in sorted(
            versions, key=lambda v: v.locale.language_code != settings.LANGUAGE_CODE
        )
    ]
    default = next((a for a in found if a.lang_code == settings.LANGUAGE_CODE), found[0])
    return [*found, Alternate(lang_code="x-default", location=default.location)]


def share_image(page: Page, request: HttpRequest | None = None) -> ShareImage:
    """The picture the editor chose for the page, else the home page's, else the site's."""
    base = root_url(page, request)
    image = getattr(page, "share_image", None)
    if image is None:
        home = _home(page)
        image = getattr(home.specific, "share_image", None) if home is not None else None
    if image is not None:
        rendition = image.get_rendition(SHARE_FILTER)
        return ShareImage(
            url=absolute(rendition.url, base),
            width=rendition.width,
            height=rendition.height,
            alt=str(getattr(image, "default_alt_text", "") or image.title),
        )
    return ShareImage(
        url=absolute(static(DEFAULT_SHARE_IMAGE), base),
        width=SHARE_SIZE[0],
        height=SHARE_SIZE[1],
        alt="Hjelpelinjen",
    )


def page_meta(page: Page, request: HttpRequest | None = None) -> PageMeta:
    site = _site(page, request)
    found = alternates(page, request)
    code = page.locale.language_code
    return PageMeta(
        title=page.seo_title or page.title,
        description=description(page),
        canonical=page.get_full_url(request),
        alternates=found,
        image=share_image(page, request),
        og_type="article" if page.depth > 2 else "website",
        og_locale=OG_LOCALES.get(code, code),
        og_locale_alternates=[
            OG_LOCALES.get(a.lang_code, a.lang_code)
            for a in found
            if a.lang_code not in (code, "x-default")
        ],
        site_name=(site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME,
    )


class WebsiteSitemap(Sitemap):
    """Every published public page in every language, each with its alternates.

    Wagtail's own sitemap lists the pages under the Site's root page, which is the Norwegian
    home page; the English pages hang under the English home page beside it.
    """

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        homes = root.get_translations(inclusive=True).live()
        pages = Page.objects.none()
        for home in homes:
            pages = pages | Page.objects.descendant_of(home, inclusive=True)
        return pages.live().public().order_by("path").specific()

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> Any:
        """Each page once, by its Site's own address, with its versions in the other
        languages (Django's sitemap template writes them as `xhtml:link` alternates)."""
        urls = []
        for item in self.paginator.page(page).object_list:
            urls.append(
                {
                    "item": item,
                    "location": item.get_full_url(self.request),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates(item, self.request),
                }
            )
        dates = [url["lastmod"] for url in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls
