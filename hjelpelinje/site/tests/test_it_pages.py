"""Every page type renders with the text a visitor should see, in Norwegian and English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_home_page_shows_intro_themes_news_and_menu(demo_site: dict[str, Any]) -> None:
    html = _text(Client(), "/")
    assert "Du er ikke alene" in html
    for theme in ("Tvangsekteskap", "Kjønnslemlestelse", "Psykisk vold", "Lukkede trossamfunn"):
        assert theme in html
    assert "Lengre åpent på torsdager" in html
    # The menu and the footer's links.
    assert 'href="/for-fagfolk/"' in html
    assert 'href="/om-oss/"' in html
    assert 'href="/slett-historikken/"' in html
    assert 'href="/personvern/"' in html
    assert "ingen informasjonskapsler" in html
    # The footer: the office's address (from the contact page) and the opening hours.
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Demogata 12<br>0151 Oslo" in footer
    assert "Åpningstider" in footer and "Torsdag" in footer
    # The language link goes to the English home page.
    assert 'href="/en/"' in html


@pytest.mark.django_db
def test_every_theme_of_the_code_list_has_a_page(demo_site: dict[str, Any]) -> None:
    from hjelpelinje.site.models import THEME_CHOICES
    from hjelpelinje.taxonomy.seed import SEED

    codes = {code for code, _label in THEME_CHOICES}
    assert codes == {code for code, *_ in SEED["theme"]} - {"other"}
    for code in codes:
        page = demo_site[f"theme:{code}"]
        html = _text(Client(), page.url)
        assert f"<h1>{page.title}</h1>" in html
        assert page.intro.split(".")[0] in html
        assert "Du kan snakke med oss" in html


@pytest.mark.django_db
def test_professionals_about_news_and_info_pages(demo_site: dict[str, Any]) -> None:
    client = Client()
    assert "Vi bygger bro" in _text(client, "/for-fagfolk/")
    about = _text(client, "/om-oss/")
    assert "Demogata 12<br>0151 Oslo" in about
    assert "Oslo sentrum i åpningstiden" in about
    news = _text(client, "/nyheter/")
    assert news.index("Lengre åpent på torsdager") < news.index("Ny kampanje")
    assert "01.09.2023" in news
    assert "klokka 18 på torsdager" in _text(client, "/nyheter/lengre-apent-pa-torsdager/")
    history = _text(client, "/slett-historikken/")
    assert "Fjern historikk og nettstedsdata" in history
    assert "Hva siden ikke kan gjøre" in history
    assert "ingen informasjonskapsler" in _text(client, "/personvern/")


@pytest.mark.django_db
def test_english_key_pages(demo_site: dict[str, Any]) -> None:
    client = Client()
    home = _text(client, "/en/")
    assert 'lang="en"' in home
    assert "You are not alone" in home
    assert "Forced marriage" in home
    # The language link on an English page goes to the Norwegian original.
    assert 'href="/"' in home
    assert "A forced marriage is when" in _text(client, "/en/forced-marriage/")
    assert "Negative social control" in _text(client, "/en/negative-social-control/")
    assert "Before you travel" in _text(client, "/en/left-abroad/")
    assert "We build bridges" in _text(client, "/en/professionals/")
    assert "Demogata 12" in _text(client, "/en/about/")
    history = _text(client, "/en/clear-browser-history/")
    assert "Clear History and Website Data" in history
    # A Norwegian page's language link goes to its own English version.
    assert 'href="/en/forced-marriage/"' in _text(client, "/tvangsekteskap/")
    # A page with no English version links to the English home page instead.
    assert 'href="/en/"' in _text(client, "/psykisk-vold/")


@pytest.mark.django_db
def test_video_page_with_embed_requests_nothing_from_the_host_in_html(
    demo_site: dict[str, Any],
) -> None:
    html = _text(Client(), demo_site["video"].url)
    assert "Vis videoen – den lastes fra YouTube" in html
    assert "du forlater denne siden" in html
    assert "<iframe" not in html
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/HjelpDemo01"' in html
    assert "Broren min sjekket telefonen min" in html


@pytest.mark.django_db
def test_self_hosted_video_has_captions(demo_site: dict[str, Any]) -> None:
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from hjelpelinje.site.models import VideoPage

    video = Document.objects.create(title="Film", file=ContentFile(b"\x00" * 16, "film.mp4"))
    captions = Document.objects.create(title="Teksting", file=ContentFile(b"WEBVTT\n", "film.vtt"))
    page = VideoPage(
        title="Vår egen film", slug="var-egen-film", video_file=video, captions=captions
    )
    demo_site["home"].add_child(instance=page)
    html = _text(Client(), "/var-egen-film/")
    assert "<video controls" in html
    assert '<track kind="captions"' in html
    assert captions.url in html
    assert "<iframe" not in html and "youtube" not in html.lower()


@pytest.mark.django_db
def test_each_page_type_weighs_well_under_50_kb(demo_site: dict[str, Any]) -> None:
    import re

    from django.contrib.staticfiles import finders

    client = Client()
    for key in ("home", "theme:forced_marriage", "about", "news_index", "video", "history"):
        html = client.get(demo_site[key].url).content
        weight = len(html)
        # A strict CSP (script-src 'self', style-src 'self'): nothing inline.
        assert b" style=" not in html and b"<style" not in html, key
        assert re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>", html) == [], key
        # The icons are not the page's weight: a browser fetches one of them once for the
        # whole site, and keeps it.
        page_html = re.sub(rb'<link rel="(?:icon|apple-touch-icon)"[^>]*>', b"", html)
        assets = set(re.findall(rb'(?:src|href)="/static/([^"]+)"', page_html))
        assert any(a.endswith(b"site.css") for a in assets)
        for asset in assets:
            found = finders.find(asset.decode())
            assert isinstance(found, str), asset
            with open(found, "rb") as file:
                weight += len(file.read())
        # Uncompressed; the transfer is smaller still.
        assert weight < 40_000, (key, weight)


@pytest.mark.django_db
def test_error_pages_carry_the_quick_exit_and_lead_home(
    demo_site: dict[str, Any], settings: Any
) -> None:
    from django.test import RequestFactory

    from hjelpelinje.site import views

    settings.HJELPELINJE_EXIT_URL = "https://exit.example/"
    response = Client().get("/denne-finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden finnes ikke" in html
    assert 'href="https://exit.example/" class="quick-exit-link"' in html
    assert '<a href="/">' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies

    # A 500 page is rendered without context processors; the exit is there all the same.
    error = views.server_error(RequestFactory().get("/"))
    assert error.status_code == 500
    body = error.content.decode()
    assert "Noe gikk galt" in body
    assert 'href="https://exit.example/" class="quick-exit-link"' in body
    assert 'data-exit-url="https://exit.example/"' in body


@pytest.mark.django_db
def test_video_page_accepts_only_a_well_formed_embed(demo_site: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    from hjelpelinje.site.models import VideoPage

    home = demo_site["home"]
    for provider, video_id in [
        ("youtube", ""),
        ("", "abcdefghijk"),
        ("youtube", 'x" onload="alert(1)'),
        ("vimeo", "not-a-number"),
    ]:
        page = VideoPage(title="Video", slug="video-test", provider=provider, video_id=video_id)
        with pytest.raises(ValidationError):
            home.add_child(instance=page)
        home.refresh_from_db()
    vimeo = VideoPage(title="Video", slug="video-vimeo", provider="vimeo", video_id="123456")
    home.add_child(instance=vimeo)
    assert vimeo.embed_url == "https://player.vimeo.com/video/123456?dnt=1"
    assert vimeo.host_url == "https://vimeo.com/123456"
