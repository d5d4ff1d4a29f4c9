"""A move sent without the arrow button's name moves nothing and says so."""

from __future__ import annotations

import pytest

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.selectors import code_get

pytestmark = pytest.mark.django_db


def test_move_without_a_direction_moves_nothing_and_says_so(manager, client_for):
    order = list(Code.objects.filter(list="channel").order_by("position", "id").values_list("code"))
    email = code_get("channel", "email")
    response = client_for(manager).post(f"/staff/codes/channel/{email.pk}/move/", {}, follow=True)
    assert response.redirect_chain == [("/staff/codes/channel/", 302)]
    assert "Ingenting ble flyttet" in response.content.decode()
    after = list(Code.objects.filter(list="channel").order_by("position", "id").values_list("code"))
    assert after == order
    assert not AuditEntry.objects.filter(action="code.move").exists()
