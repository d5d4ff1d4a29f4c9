"""The audit page's filters offer each choice once, under a name a manager can tell apart."""

from __future__ import annotations

import re

import pytest


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    return [
        " ".join(re.sub(r"<[^>]+>", "", option).split())
        for option in re.findall(r"<option\b.*?</option>", select.group(0), re.S)
    ]


@pytest.mark.django_db
def test_no_two_actions_or_targets_in_the_filter_read_the_same(manager, client_for):
    page = client_for(manager).get("/staff/audit/").content.decode()
    for name in ("action", "target_type"):
        labels = _options(page, name)
        assert len(labels) > 5
        assert sorted(labels) == sorted(set(labels)), name
    assert _options(page, "action").count("Endret bruker") == 1
