"""Headers and caching for public pages (owned by the website's safety work).

Every public response (everything outside `/staff/` and the static files) leaves with the
headers that keep a visit traceless: a strict Content-Security-Policy, no referrer, no
cookie, and for HTML pages nothing kept in the browser's cache. See docs/website.md.

The website's pages are also served from Django's cache here, before the session, the
authentication and Wagtail's routing run, so that a page read by many costs almost nothing.
The counting middleware sits before this one and sees cached pages as any other.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from hjelpelinje.core.asyncmiddleware import SyncAsyncMiddleware
from hjelpelinje.core.middleware import PERMISSIONS_POLICY, STAFF_PREFIX
from hjelpelinje.site.cache import public_version

# Only this server, for everything; videos only from the two hosts the click-to-load embeds
# use, and only in a frame the visitor asked for. No inline script or style anywhere.
PUBLIC_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; font-src 'self'; connect-src 'self'; "
    "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)

# How long a cached page may be served. A publish or an hours change bumps the version
# (site/cache.py) and so shows at once; the TTL only bounds what nothing bumps.
PAGE_TTL = 60
# Paths never served from the page cache: not Wagtail's pages, or alive (the chat).
UNCACHED_PREFIXES = (
    STAFF_PREFIX,
    "/chat/",
    "/ws/",
    "/static/",
    "/media/",
    "/documents/",
    "/health/",
)
# Query parameters that do not change what a page shows: the campaign tags of a landing
# URL (counted by the counting middleware before this one). Any other query (a search, a
# page number) goes to Wagtail.
CACHEABLE_QUERY = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id"}
    # The click ids that ad and social sites append to every link out (Facebook, Google,
    # Microsoft, TikTok, X, LinkedIn, Instagram, Mailchimp): the page is the same, and a
    # shared link must not bypass the cache (docs/website.md).
    | {"fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "ttclid", "twclid"}
    | {"li_fat_id", "igshid", "mc_cid", "mc_eid"}
)
# Headers of a cached response that are not replayed: set per response or by this
# middleware.
NOT_REPLAYED = frozenset({"set-cookie", "date", "expires", "age"})


def is_public(request: HttpRequest) -> bool:
    path = request.path
    return not (
        path.startswith(STAFF_PREFIX)
        or path.startswith(settings.STATIC_URL or "/static/")
        or path.startswith("/static/")
    )


def _cache_key(request: HttpRequest) -> str | None:
    """The page cache's key for this request, or None if it may not use the cache."""
    if request.method != "GET":
        return None
    path = request.path
    if path.startswith(UNCACHED_PREFIXES):
        return None
    media = settings.MEDIA_URL
    if media and media != "/" and path.startswith(media):
        return None
    query = request.META.get("QUERY_STRING", "")
    if query and any(
        name not in CACHEABLE_QUERY for name, _value in parse_qsl(query, keep_blank_values=True)
    ):
        return None
    # A staff session never reaches a public path (its cookie has Path=/staff/); should one
    # arrive anyway, that request neither reads nor fills the shared cache.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    try:
        # The host without its port: a page is the same on every port, and a port in the
        # Host header is no way around the cache.
        host, _port = split_domain_port(request.get_host())
    except DisallowedHost:
        return None
    # The path hashed: a key of fixed length, however long the path an attacker sends.
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"site:page:{public_version()}:{request.scheme}:{host}:{digest}"


def _is_page(request: HttpRequest, response: HttpResponse) -> bool:
    """A Wagtail page as anyone would see it: 200, HTML, nothing about this request in it."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return False
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    # A page that rendered a CSRF token (a form for a password-protected page) or wrote to
    # the session is for this request only. No public request carries the CSRF cookie
    # (Path=/staff/), so a token here was made by this page.
    if "CSRF_COOKIE" in request.META or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # Only requests without a session cookie use the cache (_cache_key), so the page was
    # made for an anonymous visitor; one that wrote to a new session is still personal.
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _public_headers(response: HttpResponse) -> HttpResponse:
    # A view that set its own (stricter) policy keeps it: the chat page does.
    response.headers.setdefault("Content-Security-Policy", PUBLIC_CSP)
    # The staff side keeps settings.SECURE_REFERRER_POLICY ("same-origin"); SecurityMiddleware
    # only sets it where no policy is set yet, so this one wins on public pages.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if response.get("Content-Type", "").startswith("text/html"):
        # Nothing of the site stays in the phone's browser cache.
        response["Cache-Control"] = "no-store"
    # No cookie, ever, whoever set it: the session and CSRF middlewares sit outside the
    # core middleware that strips cookies for the views, so strip them here too.
    response.cookies.clear()
    return response


class PublicPageMiddleware(SyncAsyncMiddleware):
    """Both sync and async, so that under ASGI a cached page is served without a hop to a
    worker thread. The cache is read with its ordinary (blocking) calls even then: a hit
    is a dictionary or Redis lookup of well under a millisecond, cheaper than the thread
    hop the async cache API would make."""

    def sync_call(self, request: HttpRequest) -> HttpResponse:
        if not is_public(request):
            return self.next_sync(request)
        key = _cache_key(request)
        hit = _cached(key)
        if hit is not None:
            return hit
        response = self.next_sync(request)
        return _finish(request, response, key)

    async def async_call(self, request: HttpRequest) -> HttpResponse:
        if not is_public(request):
            return await self.next_async(request)
        key = _cache_key(request)
        hit = _cached(key)
        if hit is not None:
            return hit
        response = await self.next_async(request)
        return _finish(request, response, key)


def _cached(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    cached: tuple[bytes, list[tuple[str, str]]] | None = cache.get(key)
    if cached is None:
        return None
    return _public_headers(_replay(cached))


def _finish(request: HttpRequest, response: HttpResponse, key: str | None) -> HttpResponse:
    _public_headers(response)
    match = getattr(request, "resolver_match", None)
    if request.method == "OPTIONS" and match is not None and match.url_name == "wagtail_serve":
        # The website's pages are read, never written: say so, instead of Django's list
        # of every method there is.
        response["Allow"] = "GET, HEAD, OPTIONS"
    if key is not None and _is_page(request, response):
        cache.set(key, _stored(response), PAGE_TTL)
    return response


def _stored(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED
    ]
    return response.content, headers


def _replay(cached: Any) -> HttpResponse:
    content, headers = cached
    response = HttpResponse(content, status=200)
    for name, value in headers:
        response[name] = value
    return response
