"""What a crawler and a shared link's preview see: robots.txt, the sitemap, each page's
description, canonical address, language versions and Open Graph / Twitter card tags, the
icons and security.txt."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from hjelpelinje.accounts.models import User

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
CMS = "/staff/cms/"


def _page(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def _meta(doc: Any, key: str) -> list[str]:
    """The content of every <meta name=key> or <meta property=key>."""
    return [
        m.get("content")
        for m in doc.xpath("//head/meta")
        if key in (m.get("name"), m.get("property"))
    ]


def _links(doc: Any, rel: str) -> list[Any]:
    return [link for link in doc.xpath("//head/link") if link.get("rel") == rel]


def _sitemap(client: Client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    found: dict[str, dict[str, str]] = {}
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc")
        found[loc] = {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML_NS}link")
        }
    return found


def test_robots_txt_keeps_crawlers_off_staff_and_names_the_sitemap(
    demo_site: dict[str, Any],
) -> None:
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /staff/" in lines
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap:")]
    # Absolute, on the Site's own address, and it answers.
    assert sitemaps == ["http://localhost/sitemap.xml"]
    assert Client().get(urlsplit(sitemaps[0]).path).status_code == 200
    # The chat page is not disallowed: it says noindex itself, which a crawler kept out
    # would never read.
    assert not any(line.startswith("Disallow: /chat") for line in lines)
    assert not response.cookies


def test_sitemap_lists_every_page_in_both_languages_with_its_alternates(
    demo_site: dict[str, Any],
) -> None:
    urls = _sitemap(Client())
    # Every demo page, Norwegian and English, by its absolute address; nothing else.
    expected = {page.get_full_url() for page in demo_site.values()}
    assert set(urls) == expected
    assert "http://localhost/" in urls and "http://localhost/en/" in urls
    assert "http://localhost/en/forced-marriage/" in urls
    assert not any("/staff/" in url or "/chat/" in url for url in urls)
    # A page with a translation names both versions and the Norwegian one as the default.
    assert urls["http://localhost/tvangsekteskap/"] == {
        "nb": "http://localhost/tvangsekteskap/",
        "en": "http://localhost/en/forced-marriage/",
        "x-default": "http://localhost/tvangsekteskap/",
    }
    assert urls["http://localhost/en/forced-marriage/"] == urls["http://localhost/tvangsekteskap/"]
    # A page with no English version has no alternates.
    assert urls["http://localhost/psykisk-vold/"] == {}


def test_sitemap_leaves_out_drafts_and_private_pages(demo_site: dict[str, Any]) -> None:
    from wagtail.models import PageViewRestriction

    demo_site["theme:fgm"].unpublish()
    PageViewRestriction.objects.create(
        page=demo_site["news_index"], restriction_type="password", password="hemmelig"
    )
    urls = _sitemap(Client())
    assert "http://localhost/kjonnslemlestelse/" not in urls
    assert not any(url.startswith("http://localhost/nyheter/") for url in urls)
    assert "http://localhost/tvangsekteskap/" in urls


def test_chat_page_stays_out_of_search(demo_site: dict[str, Any]) -> None:
    doc = _page(Client(), "/chat/")
    assert _meta(doc, "robots") == ["noindex"]


@pytest.mark.parametrize(
    ("url", "lang", "other"),
    [
        ("/tvangsekteskap/", "nb", "http://localhost/en/forced-marriage/"),
        ("/en/forced-marriage/", "en", "http://localhost/tvangsekteskap/"),
        ("/", "nb", "http://localhost/en/"),
        ("/en/", "en", "http://localhost/"),
    ],
)
def test_a_translated_page_names_its_address_and_its_versions(
    demo_site: dict[str, Any], url: str, lang: str, other: str
) -> None:
    doc = _page(Client(), url)
    canonical = [link.get("href") for link in _links(doc, "canonical")]
    assert canonical == [f"http://localhost{url}"]
    alternates = {link.get("hreflang"): link.get("href") for link in _links(doc, "alternate")}
    nb = canonical[0] if lang == "nb" else other
    en = canonical[0] if lang == "en" else other
    assert alternates == {"nb": nb, "en": en, "x-default": nb}
    assert _meta(doc, "og:url") == canonical
    assert _meta(doc, "og:locale") == [{"nb": "nb_NO", "en": "en_GB"}[lang]]
    assert _meta(doc, "og:locale:alternate") == [{"nb": "en_GB", "en": "nb_NO"}[lang]]


def test_a_page_without_a_translation_has_no_alternates(demo_site: dict[str, Any]) -> None:
    doc = _page(Client(), "/psykisk-vold/")
    assert [link.get("href") for link in _links(doc, "canonical")] == [
        "http://localhost/psykisk-vold/"
    ]
    assert _links(doc, "alternate") == []


def test_every_page_has_a_description_and_a_preview(demo_site: dict[str, Any]) -> None:
    client = Client()
    for key, page in demo_site.items():
        doc = _page(client, page.url)
        description = _meta(doc, "description")
        assert len(description) == 1 and 20 <= len(description[0]) <= 160, key
        title = page.seo_title or page.title
        assert _meta(doc, "og:title") == [title] == _meta(doc, "twitter:title"), key
        assert _meta(doc, "og:description") == description == _meta(doc, "twitter:description")
        assert _meta(doc, "twitter:card") == ["summary_large_image"]
        images = _meta(doc, "og:image")
        assert images == _meta(doc, "twitter:image") and len(images) == 1, key
        assert images[0].startswith("http://localhost/static/"), key
        assert _meta(doc, "og:image:width") == ["1200"]
        assert _meta(doc, "og:image:height") == ["630"]
        assert _meta(doc, "og:image:alt")[0]


def test_description_is_the_editors_else_the_lead_paragraph(demo_site: dict[str, Any]) -> None:
    client = Client()
    home = demo_site["home"]
    assert _meta(_page(client, "/"), "description") == [home.search_description]
    theme = demo_site["theme:forced_marriage"]
    assert not theme.search_description
    described = _meta(_page(client, theme.url), "description")[0]
    assert theme.intro.startswith(described.rstrip("…"))
    theme.search_description = "Tvunget til å gifte deg? Snakk med oss, anonymt."
    theme.save_revision().publish()
    assert _meta(_page(client, theme.url), "description") == [theme.search_description]


def test_the_share_image_is_the_one_the_editor_picked(demo_site: dict[str, Any]) -> None:
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "#c33").save(buffer, "PNG")
    image = Image.objects.create(title="Ungdom på skolen", file=ImageFile(buffer, name="skole.png"))
    home = demo_site["home"]
    home.share_image = image
    home.save_revision().publish()
    client = Client()
    # The home page's picture, and the pages with none of their own share it.
    for url in ("/", "/tvangsekteskap/"):
        doc = _page(client, url)
        (picture,) = _meta(doc, "og:image")
        assert picture.startswith("http://localhost/media/images/") and "1200x630" in picture
        assert _meta(doc, "og:image:alt") == ["Ungdom på skolen"]
        assert _meta(doc, "twitter:image") == [picture]
    # The English site has its own home page, with no picture chosen: the site's logo.
    (english,) = _meta(_page(client, "/en/"), "og:image")
    assert english.startswith("http://localhost/static/site/")


def _form(client: Client, url: str) -> dict[str, Any]:
    from wagtail.test.utils.form_data import querydict_from_html

    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")  # type: ignore[no-any-return]


def test_a_page_is_published_only_with_a_search_description(
    demo_site: dict[str, Any], manager: User, client_for: Any
) -> None:
    from hjelpelinje.site.models import ThemePage

    client = client_for(manager)
    theme = demo_site["theme:fgm"]
    url = f"{CMS}pages/{theme.pk}/edit/"
    data = _form(client, url)
    data["title"] = "Kjønnslemlestelse: dette kan du gjøre"
    data["search_description"] = ""
    # A draft is saved without one.
    draft = client.post(url, data)
    assert draft.status_code == 302
    # Publishing without one is refused, and the editor is told which field.
    data["action-publish"] = "action-publish"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "search_description" in refused.context["form"].errors
    assert ThemePage.objects.get(pk=theme.pk).title == theme.title
    data["search_description"] = "Hva kjønnslemlestelse er, og hvor du får hjelp."
    published = client.post(url, data)
    assert published.status_code == 302
    doc = _page(Client(), ThemePage.objects.get(pk=theme.pk).url)
    assert _meta(doc, "description") == ["Hva kjønnslemlestelse er, og hvor du får hjelp."]


def test_icons_answer_where_browsers_look(demo_site: dict[str, Any]) -> None:
    import io

    from PIL import Image as PILImage

    client = Client()
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon["Content-Type"] == "image/x-icon"

    ico = PILImage.open(io.BytesIO(favicon.getvalue()))
    assert ico.format == "ICO"
    from django.contrib.staticfiles import finders

    for doc in (_page(client, "/"), _page(client, "/en/")):
        icons = _links(doc, "icon") + _links(doc, "apple-touch-icon")
        assert len(icons) >= 3
        for link in icons:
            # The static files as the reverse proxy (or `make run`) serves them.
            href = link.get("href")
            assert href.startswith("/static/")
            found = finders.find(href.removeprefix("/static/"))
            assert isinstance(found, str), href
            with open(found, "rb") as file:
                body = file.read()
            if link.get("type") == "image/svg+xml":
                assert body.startswith(b"<svg")
            else:
                picture = PILImage.open(io.BytesIO(body))
                assert picture.format in ("PNG", "ICO"), href
                if link.get("sizes"):
                    assert f"{picture.width}x{picture.height}" == link.get("sizes"), href


def test_security_txt_from_settings(demo_site: dict[str, Any], settings: Any) -> None:
    client = Client()
    settings.HJELPELINJE_SECURITY_CONTACT = []
    settings.HJELPELINJE_SECURITY_EXPIRES = ""
    # Nobody to reach: no file rather than an empty one.
    assert client.get("/.well-known/security.txt").status_code == 404
    settings.HJELPELINJE_SECURITY_CONTACT = [
        "mailto:sikkerhet@example.org",
        "https://example.org/sikkerhet",
    ]
    settings.HJELPELINJE_SECURITY_EXPIRES = "2027-06-30"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields: dict[str, list[str]] = {}
    for line in response.content.decode().splitlines():
        name, value = line.split(": ", 1)
        fields.setdefault(name, []).append(value)
    assert fields["Contact"] == ["mailto:sikkerhet@example.org", "https://example.org/sikkerhet"]
    # RFC 9116: exactly one Expires, an RFC 3339 date-time.
    assert fields["Expires"] == ["2027-06-30T23:59:59Z"]
    assert dt.datetime.fromisoformat(fields["Expires"][0].replace("Z", "+00:00"))
    assert fields["Canonical"] == ["http://localhost/.well-known/security.txt"]
    assert not response.cookies
