"""Fixtures for tests that need the website's pages."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo_site(db: None) -> dict[str, Any]:
    """The whole demo website, built from scratch if need be.

    Returns the pages by key: "home", "theme:<code>" for the seven themes, "professionals",
    "about", "news_index", "news:1", "news:2", "video", "history", "privacy", and the
    English versions "en:home", "en:theme:forced_marriage", "en:theme:social_control",
    "en:theme:left_abroad", "en:professionals", "en:about", "en:history", "en:privacy".
    Transactional tests flush Wagtail's tree; the loader then creates the root page,
    the locales and the default Site again.
    """
    from hjelpelinje.site import demo

    return demo.load()
