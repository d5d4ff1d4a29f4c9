"""The chat settings page saves what was sent, or says it saved nothing.

Its two forms used to be told apart only by the submit button's name; a form sent
without it (by a script's `form.submit()`, or Enter in some browsers) got a 200 and
nothing was saved.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.chat.models import CannedResponse, ChatSettings

pytestmark = pytest.mark.django_db

SETTINGS = {
    "s-max_chats_per_counsellor": "3",
    "s-unanswered_seconds": "90",
    "s-retention_days": "0",
    "s-max_queue": "12",
}


def test_settings_without_the_button_name_are_saved(
    client_for: Callable[[User], Client], manager: User
) -> None:
    response = client_for(manager).post("/staff/chat/settings/", SETTINGS, follow=True)
    assert response.redirect_chain == [("/staff/chat/settings/", 302)]
    assert "Innstillingene er lagret." in response.content.decode()
    assert ChatSettings.current().max_queue == 12


def test_canned_response_without_the_button_name_is_added(
    client_for: Callable[[User], Client], manager: User
) -> None:
    response = client_for(manager).post(
        "/staff/chat/settings/",
        {"c-title": "Hilsen", "c-body": "Hei, du snakker med", "c-position": "0"},
        follow=True,
    )
    assert "Standardsvaret er lagt til." in response.content.decode()
    assert CannedResponse.objects.get().title == "Hilsen"


def test_a_post_that_names_no_form_says_nothing_was_saved(
    client_for: Callable[[User], Client], manager: User
) -> None:
    before = ChatSettings.current().max_queue
    response = client_for(manager).post("/staff/chat/settings/", {"unknown": "1"})
    assert response.status_code == 400
    assert "Ingenting ble lagret" in response.content.decode()
    assert ChatSettings.current().max_queue == before
    assert not CannedResponse.objects.exists()
