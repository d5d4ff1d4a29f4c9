"""The files a crawler or a browser asks for at fixed addresses: `/robots.txt`,
`/sitemap.xml`, `/favicon.ico` and `/.well-known/security.txt` (docs/website.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from hjelpelinje.accounts.permissions import public
from hjelpelinje.core.middleware import STAFF_PREFIX
from hjelpelinje.site.seo import WebsiteSitemap, root_url

# A crawler may read a file for a day before it asks again.
CRAWLER_SECONDS = 24 * 60 * 60


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CRAWLER_SECONDS}"
    return response


@public
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers keep off the staff pages and are told where the sitemap is.

    The chat page is not disallowed here: it says `noindex` itself, and a crawler that was
    kept from reading it would never see that, and might list the bare address anyway.
    """
    lines = [
        "User-agent: *",
        f"Disallow: {STAFF_PREFIX}",
        "",
        f"Sitemap: {root_url(request=request)}/sitemap.xml",
    ]
    return _text("\n".join(lines) + "\n")


@public
@require_GET
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = wagtail_sitemap(request, sitemaps={"pages": WebsiteSitemap})
    return response


def security_txt_body(*, contact: list[str], expires: dt.datetime, canonical: str) -> str:
    """RFC 9116: who to tell about a security problem, and until when that holds."""
    lines = [f"Contact: {address}" for address in contact]
    lines.append(f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: no, en")
    lines.append(f"Canonical: {canonical}")
    return "\n".join(lines) + "\n"


def security_expires() -> dt.datetime | None:
    """HJELPELINJE_SECURITY_EXPIRES as an aware datetime (a date means its end, UTC)."""
    value = str(settings.HJELPELINJE_SECURITY_EXPIRES or "").strip()
    if not value:
        return None
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@public
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """Served only when a contact and an expiry are set: a security.txt without a way to
    reach anyone, or one that has run out, is worse than none (RFC 9116, section 2.5.5)."""
    contact = list(settings.HJELPELINJE_SECURITY_CONTACT)
    try:
        expires = security_expires()
    except ValueError:
        expires = None
    if not contact or expires is None:
        raise Http404
    canonical = f"{root_url(request=request)}/.well-known/security.txt"
    return _text(security_txt_body(contact=contact, expires=expires, canonical=canonical))


@public
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon browsers ask for at /favicon.ico whatever a page's <link rel="icon"> says
    (the chat page, a PDF, the staff pages)."""
    found = finders.find("site/icons/favicon.ico")
    if not found:
        raise Http404
    with open(found, "rb") as file:
        response = HttpResponse(file.read(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={CRAWLER_SECONDS}"
    return response
