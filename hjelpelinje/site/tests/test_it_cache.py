"""The public page cache: a page read a second time comes from the cache without touching
the database or Wagtail; a publish (the version bump) shows at once; what is personal to a
request, or not a page, is never cached."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from hjelpelinje.site.cache import bump_public_cache
from hjelpelinje.site.middleware import _cache_key
from hjelpelinje.site.tests.test_it_safety import assert_traceless, site_pages

__all__ = ["site_pages"]

pytestmark = pytest.mark.django_db


def page_at(url: str) -> Page:
    for page in Page.objects.live().filter(depth__gt=1).specific():
        if page.get_url() == url:
            return page
    raise AssertionError(url)


def test_a_page_read_again_comes_from_the_cache(
    site_pages: list[str], client: Client, django_assert_num_queries: Any
) -> None:
    for url in site_pages:
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert_traceless(second)
        # A page served from the cache is small: the limit, without images.
        assert len(second.content) < 50_000, (url, len(second.content))


def test_campaign_tags_share_the_cached_page_other_queries_do_not(
    site_pages: list[str], client: Client, django_assert_num_queries: Any
) -> None:
    url = site_pages[1]
    first = client.get(url)
    with django_assert_num_queries(0):
        tagged = client.get(url, {"utm_campaign": "dobbeltliv", "utm_source": "tiktok"})
    assert tagged.content == first.content
    # Anything else in the query is the page's business (a search, a page number).
    page = page_at(url)
    Page.objects.filter(pk=page.pk).update(title="Endret tittel")
    searched = client.get(url, {"side": "2"})
    assert b"Endret tittel" in searched.content


def test_a_publish_shows_at_once(site_pages: list[str], client: Client) -> None:
    url = site_pages[1]
    before = client.get(url)
    page = page_at(url)
    assert page.title.encode() in before.content
    # Changed behind the cache's back, the cached page is still served ...
    Page.objects.filter(pk=page.pk).update(title="Ny overskrift om tvang")
    assert b"Ny overskrift om tvang" not in client.get(url).content
    # ... until the version is bumped, as a publish does.
    bump_public_cache()
    assert b"Ny overskrift om tvang" in client.get(url).content


def test_publishing_a_revision_bumps_the_cache(site_pages: list[str], client: Client) -> None:
    url = site_pages[1]
    client.get(url)
    page = page_at(url)
    page.title = "Publisert på nytt"
    page.save_revision().publish()
    assert b"Publisert p\xc3\xa5 nytt" in client.get(url).content


def test_not_cached_missing_pages_and_other_paths(site_pages: list[str], client: Client) -> None:
    assert client.get("/finnes-ikke/").status_code == 404
    # A 404 is not stored: the second one goes to Wagtail again.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/finnes-ikke/").status_code == 404
    assert len(queries) > 0
    factory = RequestFactory()
    for path in (
        "/chat/",
        "/staff/",
        "/ws/chat/visitor/",
        "/static/x.css",
        "/documents/1/",
        "/health/",
        "/media/a.png",
    ):
        assert _cache_key(factory.get(path)) is None, path
    assert _cache_key(factory.post(site_pages[0])) is None
    assert _cache_key(factory.get(site_pages[0], {"q": "tvang"})) is None
    assert _cache_key(factory.get(site_pages[0], {"utm_source": "tiktok"})) is not None


def test_a_request_with_a_session_cookie_is_not_served_from_the_cache(
    site_pages: list[str], client: Client
) -> None:
    url = site_pages[1]
    client.get(url)
    page = page_at(url)
    Page.objects.filter(pk=page.pk).update(title="Bare for denne")
    # Should a staff session cookie ever reach a public path, that request renders afresh
    # and its page is not stored for others.
    client.cookies["sessionid"] = "x"
    assert b"Bare for denne" in client.get(url).content
    del client.cookies["sessionid"]
    assert b"Bare for denne" not in client.get(url).content


def test_a_cached_page_is_quick(site_pages: list[str], client: Client) -> None:
    """A sanity check of the fast path in one thread; `make bench` measures concurrency."""
    url = site_pages[0]
    client.get(url)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    times.sort()
    assert statistics.median(times) < 0.005, statistics.median(times)
    assert times[int(len(times) * 0.99) - 1] < 0.05


@pytest.mark.django_db(transaction=True)
def test_under_asgi_a_cached_page_is_served_by_the_async_path(site_pages: list[str]) -> None:
    """The server runs Django under ASGI (Channels): there too a cached page is served, with
    the same headers, until the version is bumped."""
    import asyncio

    from django.test import AsyncClient

    url = site_pages[1]
    client = AsyncClient()
    first = asyncio.run(client.get(url))
    assert first.status_code == 200
    Page.objects.filter(pk=page_at(url).pk).update(title="Endret i mellomtiden")
    second = asyncio.run(client.get(url))
    assert second.content == first.content
    assert_traceless(second)
    assert not second.cookies
    bump_public_cache()
    assert b"Endret i mellomtiden" in asyncio.run(client.get(url)).content
