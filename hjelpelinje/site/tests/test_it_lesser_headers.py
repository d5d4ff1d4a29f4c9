"""The lesser findings of issue 16, item 12, as a visitor's browser or a proxy sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document

from hjelpelinje.site.tests.test_it_safety import site_pages

__all__ = ["site_pages"]

pytestmark = pytest.mark.django_db

FULL_POLICY = [
    "camera=()",
    "microphone=()",
    "geolocation=()",
    "payment=()",
    "usb=()",
    "interest-cohort=()",
    "browsing-topics=()",
]


def test_options_on_a_page_offers_reading_only(site_pages: list[str], client: Client) -> None:
    response = client.options(site_pages[0])
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_every_page_turns_every_device_feature_off(
    site_pages: list[str], client: Client, counsellor: Any, client_for: Any
) -> None:
    responses = [
        client.get(site_pages[0]),
        client.get(site_pages[0]),  # from the cache
        client.get("/chat/"),
        client.get("/health/"),
        client.get("/staff/accounts/login/"),
        client_for(counsellor).get("/staff/"),
    ]
    for response in responses:
        policy = response["Permissions-Policy"]
        assert all(part in policy for part in FULL_POLICY), (response.request["PATH_INFO"], policy)


def test_a_document_carries_no_made_up_encoding(client: Client) -> None:
    doc = Document.objects.create(title="Brosjyre", file=ContentFile(b"%PDF-1.4 x", "brosjyre.pdf"))
    response = client.get(doc.url)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


@pytest.mark.parametrize("click_id", ["fbclid", "gclid", "msclkid"])
def test_click_ids_and_ports_share_the_cached_page(
    site_pages: list[str], client: Client, django_assert_num_queries: Any, click_id: str
) -> None:
    url = site_pages[1]
    first = client.get(url)
    with django_assert_num_queries(0):
        shared = client.get(url, {click_id: "IwAR3xyz"})
        other_port = client.get(url, HTTP_HOST="testserver:8443")
    assert shared.content == first.content == other_port.content
