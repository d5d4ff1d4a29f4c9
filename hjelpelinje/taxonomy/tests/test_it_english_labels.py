"""English labels of the code lists: kept beside the Norwegian ones and shown in English."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.seed import SEED

pytestmark = pytest.mark.django_db


def test_every_seeded_code_has_an_english_label() -> None:
    assert list(Code.objects.filter(label_en="").values_list("list", "code")) == []
    assert all(label_en for entries in SEED.values() for _c, _l, label_en in entries)


def test_the_migration_fills_missing_english_labels_but_keeps_typed_ones() -> None:
    migration = importlib.import_module("hjelpelinje.taxonomy.migrations.0003_seed_english_labels")
    Code.objects.filter(list="theme", code="forced_marriage").update(label_en="")
    Code.objects.filter(list="channel", code="phone").update(label_en="Telephone")
    migration.fill_english_labels(apps, None)
    assert Code.objects.get(list="theme", code="forced_marriage").label_en == "Forced marriage"
    assert Code.objects.get(list="channel", code="phone").label_en == "Telephone"


def _english(client: Client) -> Client:
    client.post("/staff/language/", {"language": "en", "next": "/"})
    return client


def test_a_manager_edits_the_english_label_and_english_forms_show_it(
    client_for: Callable[[User], Client], manager: User
) -> None:
    client = client_for(manager)
    theme = Code.objects.get(list="theme", code="social_control")
    page = client.get(f"/staff/codes/theme/{theme.pk}/").content.decode()
    # The edit form holds both names side by side.
    assert 'name="label"' in page and 'name="label_en"' in page
    assert 'value="Negative social control"' in page
    response = client.post(
        f"/staff/codes/theme/{theme.pk}/",
        {"label": "Negativ sosial kontroll", "label_en": "Coercive social control"},
    )
    assert response.status_code == 302

    english = _english(client).get("/staff/inquiries/ny/").content.decode()
    assert "Coercive social control" in english
    assert "Negativ sosial kontroll" not in english
    client.post("/staff/language/", {"language": "nb", "next": "/"})
    norwegian = client.get("/staff/inquiries/ny/").content.decode()
    assert "Negativ sosial kontroll" in norwegian
    assert "Coercive social control" not in norwegian
