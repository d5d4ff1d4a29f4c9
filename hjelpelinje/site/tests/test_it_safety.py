"""Safe on every page: each public response carries the headers that keep a visit
traceless (a strict CSP, no referrer, nothing stored in the browser, no cookie), while the
staff side keeps its own, and a view's own stricter policy (the chat) is kept.

The `site_pages` fixture here is shared by the website's safety, cache and browser tests:
the demo site when it exists, otherwise a minimal tree of pages on the site's base layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.site.middleware import PUBLIC_CSP

# A minimal page on the site's layout, for a tree built before the demo site exists.
MINIMAL_TEMPLATE = """{% extends "site/base.html" %}{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1>
<p>Tekst om {{ page.title }}.</p>
<ul>{% for other in page.get_site.root_page.get_children.live %}
<li><a href="{% pageurl other %}">{{ other.title }}</a></li>{% endfor %}
<li><a href="{% pageurl page.get_site.root_page %}">Forsiden</a></li></ul>
{% endblock %}
"""
MINIMAL_PAGES = [("Tvangsekteskap", "tvangsekteskap"), ("Om oss", "om-oss"), ("Nyheter", "nyheter")]


def _minimal_tree(settings: Any, tmp_path: Path) -> None:
    from wagtail.models import Locale, Page, Site

    folder = tmp_path / "site-templates" / "wagtailcore"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(MINIMAL_TEMPLATE)
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path / "site-templates", *engine.get("DIRS", [])]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]

    locale, _created = Locale.objects.get_or_create(language_code="nb")
    Site.objects.all().delete()
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    for child in root.get_children():
        child.delete()
    root = Page.objects.get(pk=root.pk)
    home = root.add_child(instance=Page(title="Hjelpelinje", slug="hjem", locale=locale))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    for title, slug in MINIMAL_PAGES:
        home = Page.objects.get(pk=home.pk)
        home.add_child(instance=Page(title=title, slug=slug, locale=locale))


def live_page_urls() -> list[str]:
    """The path of every live page of the site, the home page first."""
    from wagtail.models import Page

    urls: list[str] = []
    for page in Page.objects.live().filter(depth__gt=1).order_by("path").specific():
        url = page.get_url()
        if url and url not in urls:
            urls.append(url)
    return urls


@pytest.fixture
def site_pages(settings: Any, tmp_path: Path) -> list[str]:
    """A small tree of plain pages on the site's layout (quick to build): their paths."""
    _minimal_tree(settings, tmp_path)
    urls = live_page_urls()
    assert len(urls) == 1 + len(MINIMAL_PAGES), urls
    return urls


@pytest.fixture
def demo_pages(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> list[str]:
    """Every page of the demo site (every page type), or the small tree until it exists."""
    try:
        request.getfixturevalue("demo_site")
    except pytest.FixtureLookupError:
        _minimal_tree(settings, tmp_path)
    urls = live_page_urls()
    assert len(urls) >= 4, urls
    return urls


def directives(csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_csp(csp: str) -> None:
    policy = directives(csp)
    assert policy.get("default-src") == ["'none'"], csp
    for name in ("script-src", "style-src"):
        sources = policy.get(name, ["'none'"])
        # Only this server: no inline code, no eval, no other host.
        assert set(sources) <= {"'self'", "'none'"}, csp
    assert policy.get("base-uri") == ["'none'"], csp
    assert policy.get("object-src", policy["default-src"]) == ["'none'"], csp
    assert "frame-ancestors" in policy, csp
    assert "*" not in csp and "unsafe" not in csp, csp


def assert_traceless(response: Any, *, html: bool = True) -> None:
    assert_strict_csp(response["Content-Security-Policy"])
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    if html:
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_every_page_is_served_traceless(demo_pages: list[str], client: Client) -> None:
    site_pages = demo_pages
    for url in site_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_traceless(response)
        assert response["Content-Security-Policy"] == PUBLIC_CSP
        html = response.content.decode()
        assert '<meta name="referrer" content="no-referrer">' in html
        # The quick exit is the first script of the page; the site's own scripts come after.
        head = html.split("</head>")[0]
        scripts = [part.split('"')[1] for part in head.split("<script src=")[1:]]
        assert scripts[0].endswith("hjelpelinje/quick-exit.js"), scripts
        assert any(src.endswith("site/nav.js") for src in scripts), scripts
        assert "<style" not in html and " style=" not in html and "<script>" not in html
    # Served twice (the second from the page cache), a page is just as traceless.
    again = client.get(site_pages[0])
    assert_traceless(again)
    assert not client.cookies


@pytest.mark.django_db
def test_a_missing_page_is_traceless_too(site_pages: list[str], client: Client) -> None:
    for url in ("/finnes-ikke/", "/en/finnes-ikke/", "/chat/finnes-ikke/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_traceless(response)
    assert not client.cookies


@pytest.mark.django_db
def test_the_chat_keeps_its_own_stricter_policy(client: Client) -> None:
    response = client.get("/chat/")
    csp = response["Content-Security-Policy"]
    assert csp != PUBLIC_CSP
    assert directives(csp)["form-action"] == ["'none'"]
    assert_traceless(response)


@pytest.mark.django_db
def test_the_public_json_and_the_health_check_set_no_cookie(client: Client) -> None:
    for url in ("/chat/state/", "/health/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_traceless(response, html=False)


@pytest.mark.django_db
def test_staff_pages_keep_the_staff_policy(
    site_pages: list[str], client_for: Any, counsellor: User
) -> None:
    staff = client_for(counsellor)
    response = staff.get("/staff/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Security-Policy"] != PUBLIC_CSP
    assert response["Cache-Control"] == "no-store"
    # The staff client's session cookie is for /staff/ only; a public page the same client
    # opens sets nothing and is the same page everyone gets.
    assert staff.cookies["sessionid"]["path"] == "/staff/"
    public = Client().get(site_pages[1])
    assert_traceless(public)


@pytest.mark.django_db
def test_a_public_page_sets_no_cookie_even_when_the_view_tries(
    site_pages: list[str], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that touched the session or the CSRF token would set a cookie: stripped."""
    from wagtail.models import Page

    def serve(self: Page, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        request.session["seen"] = True
        response = HttpResponse(f"<p>{get_token(request)}</p>", content_type="text/html")
        response.set_cookie("tracker", "1")
        return response

    monkeypatch.setattr(Page, "serve", serve)
    for cls in {type(p) for p in Page.objects.live().specific()}:
        monkeypatch.setattr(cls, "serve", serve)
    response = client.get(site_pages[1])
    assert response.status_code == 200
    assert_traceless(response)
    assert not client.cookies
    # A page made for one request (it holds a CSRF token) is never cached for the next.
    second = client.get(site_pages[1])
    assert second.content != response.content
