"""Fixtures for the chat: an open or a closed chat, whatever the clock says."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.chat import selectors
from hjelpelinje.chat.selectors import ChatHours


@pytest.fixture
def chat_open(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        selectors,
        "chat_hours_status",
        lambda at=None: ChatHours(is_open=True, closes_at=None, next_open=None),
    )


@pytest.fixture
def chat_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    reopen = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(
        selectors,
        "chat_hours_status",
        lambda at=None: ChatHours(is_open=False, closes_at=None, next_open=reopen),
    )
