"""The demo website: every page type, English key pages, and loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from wagtail.models import Page, Site

from hjelpelinje.site import demo
from hjelpelinje.site.models import (
    AboutPage,
    HomePage,
    InfoPage,
    NewsIndexPage,
    NewsPage,
    ProfessionalsPage,
    ThemePage,
    VideoPage,
)


@pytest.mark.django_db
def test_demo_builds_every_page_type_and_is_idempotent() -> None:
    # Wagtail's migration leaves a "Welcome" page as the default Site's root.
    assert Page.objects.filter(depth=2, title__startswith="Welcome").exists()
    out = io.StringIO()
    first = demo.load(stdout=out)
    assert "demo pages" in out.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    for model in (
        HomePage,
        ThemePage,
        ProfessionalsPage,
        AboutPage,
        NewsIndexPage,
        NewsPage,
        VideoPage,
        InfoPage,
    ):
        assert model.objects.live().filter(locale__language_code="nb").exists(), model
    assert ThemePage.objects.filter(locale__language_code="nb").count() == 7
    english = {
        type(page).__name__
        for key, page in first.items()
        if key.startswith("en:") and page.locale.language_code == "en" and page.live
    }
    assert english == {"HomePage", "ThemePage", "ProfessionalsPage", "AboutPage", "InfoPage"}
    assert (
        first["en:theme:forced_marriage"].get_translation(first["home"].locale)
        == (first["theme:forced_marriage"])
    )
    count = Page.objects.count()

    second = demo.load()
    assert Page.objects.count() == count
    assert {key: page.pk for key, page in second.items()} == {
        key: page.pk for key, page in first.items()
    }
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_demo_builds_on_an_empty_tree() -> None:
    # What a transactional test leaves behind: no page, no site, no locale.
    Site.objects.all().delete()
    Page.objects.all().delete()
    pages = demo.load()
    assert Page.objects.filter(depth=1).count() == 1
    assert Site.objects.get(is_default_site=True).root_page_id == pages["home"].pk
    assert pages["en:home"].url == "/en/"
    assert pages["theme:fgm"].url == "/kjonnslemlestelse/"
