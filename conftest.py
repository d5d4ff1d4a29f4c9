"""Personas and shared fixtures: a counsellor, a manager and an administrator.

`client_for(user)` gives a Django test client signed in with a verified second factor,
as a real member of staff would be after login.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import Role, User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_staff(username: str, role: str, **extra: str) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery-staple",
        first_name=username.capitalize(),
        role=role,
        **extra,
    )
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def counsellor(db: None) -> User:
    return make_staff("kari", Role.COUNSELLOR)


@pytest.fixture
def other_counsellor(db: None) -> User:
    return make_staff("ola", Role.COUNSELLOR)


@pytest.fixture
def manager(db: None) -> User:
    return make_staff("mona", Role.MANAGER)


@pytest.fixture
def administrator(db: None) -> User:
    return make_staff("arne", Role.ADMIN)


def verified_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    return verified_client


@pytest.fixture(scope="session")
def chromium_path() -> str:
    # Browser tests never skip: a missing browser is a broken machine, not a pass.
    path = shutil.which("chromium") or CHROMIUM
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def browser(chromium_path: str) -> Iterator[object]:
    """A headless Chromium driven by Playwright, no download of its own."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every transactional test (the browser ones) the database as migrated.

    Such a test empties every table when it ends, the code lists a migration seeded
    included, so whichever transactional test ran next found no codes and failed. A
    serialized rollback restores the migrated contents before each of them instead, so
    their order no longer matters.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
