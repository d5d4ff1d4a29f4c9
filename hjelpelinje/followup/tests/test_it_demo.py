"""The demo data reproduces the 2023 annual report's follow-up figures."""

from __future__ import annotations

import pytest

from conftest import make_staff
from hjelpelinje.accounts.models import Role
from hjelpelinje.followup import demo
from hjelpelinje.followup.models import FollowUpUser
from hjelpelinje.reporting.blocks.followup import followup_block


@pytest.mark.django_db
def test_demo_gives_the_reports_figures_for_2023():
    make_staff("radgiver", Role.COUNSELLOR)
    make_staff("radgiver2", Role.COUNSELLOR)
    make_staff("leder", Role.MANAGER)
    demo.load()
    block = followup_block(2023)
    # The brief: 31 users, 693 inquiries from users, and the activity counts by category.
    assert block["users"] == 31
    assert block["from_housing_programme"] == 18
    assert block["user_inquiries"] == 693
    assert block["activities"] == {
        "nav": 45,
        "kompetanseteamet": 30,
        "practical_help": 35,
        "police": 15,
        "child_welfare": 8,
        "external_meeting": 24,
        "external_contact": 53,
        "housing_programme": 18,
        "in_person": 145,
        "mail": 34,
    }
    assert block["mail_items"] == 34
    assert 0 < block["protected_address_users"] < 31
    # Every user has a responsible counsellor and the protected ones an address on file.
    assert not FollowUpUser.objects.filter(responsible__isnull=True).exists()
    assert all(u.address for u in FollowUpUser.objects.filter(has_protected_address=True))
