"""The database holds nothing that tells one visitor from another: only counters."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client

from hjelpelinje.site.visits import counting

VISITORS: list[dict[str, Any]] = [
    {
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_X_FORWARDED_FOR": "198.51.100.23",
        "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1 Zq7Visitor",
        "HTTP_COOKIE": "tracker=cookievalue4711",
        "HTTP_SEC_FETCH_SITE": "cross-site",
        "HTTP_REFERER": "https://www.tiktok.com/@someone/video/7311112223334445556?lang=nb",
    },
    {
        "REMOTE_ADDR": "192.0.2.199",
        "HTTP_X_FORWARDED_FOR": "198.51.100.99",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36 Xr9Visitor",
        "HTTP_SEC_FETCH_SITE": "none",
    },
]
SECRETS = [
    "203.0.113.77",
    "198.51.100.23",
    "192.0.2.199",
    "198.51.100.99",
    "Zq7Visitor",
    "Xr9Visitor",
    "iPhone",
    "SM-A536B",
    "cookievalue4711",
    "@someone",
    "7311112223334445556",
    "lang=nb",
]


@pytest.mark.django_db
def test_two_visitors_leave_only_counters(client: Client) -> None:
    for headers in VISITORS:
        assert client.get("/?utm_campaign=dobbeltliv", **headers).status_code == 200
        internal = {**headers, "HTTP_SEC_FETCH_SITE": "same-origin"}
        assert client.get("/chat/", **internal).status_code == 200
    assert counting.flush() == 4

    # The tables' columns are the day, what was viewed or where from, and counts.
    columns = {
        model._meta.db_table: sorted(f.column for f in model._meta.concrete_fields)
        for model in apps.get_app_config("visits").get_models()
    }
    assert columns == {
        "visits_pageday": ["day", "id", "no_fetch_metadata", "path", "views", "visits"],
        "visits_sourceday": ["day", "id", "referrer_host", "utm_campaign", "utm_source", "visits"],
        "visits_importedday": ["day", "id", "imported_at", "page_views", "visits"],
    }
    # Two visitors are one row per page and one per source: nothing tells them apart.
    dump = io.StringIO()
    call_command("dumpdata", "visits", stdout=dump)
    text = dump.getvalue()
    assert '"views": 2' in text and '"referrer_host": "tiktok.com"' in text
    with connection.cursor() as cursor:
        for table in columns:
            cursor.execute(f"SELECT * FROM {table}")
            text += repr(cursor.fetchall())
    for secret in SECRETS:
        assert secret not in text
