"""Counsellors draft, managers publish: through Wagtail's real admin views.

The issue's "Done when": a manager edits a theme page, and it shows at once; a
counsellor's draft does not. Every publish, unpublish and delete is in the audit log.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from conftest import verified_client
from hjelpelinje.accounts.models import Role, User
from hjelpelinje.audit.labels import action_label
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.site.cache import public_version
from hjelpelinje.site.roles import DRAFTERS, PUBLISHERS
from hjelpelinje.site.tests.editing_tree import OLD_TITLE, build_tree

pytestmark = pytest.mark.django_db

CMS = "/staff/cms/"
NEW_TITLE = "Tvangsekteskap: dette kan du gjøre"


@pytest.fixture
def tree(db: None) -> dict[str, Any]:
    return build_tree()


def _public_title(page: Page) -> str:
    response = Client().get(page.get_url())
    assert response.status_code == 200
    return response.content.decode()


def _edit(client: Client, page: Page, *, title: str, publish: bool) -> Any:
    edit_url = f"{CMS}pages/{page.pk}/edit/"
    form = client.get(edit_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data["title"] = title
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(edit_url, data)


def test_groups_follow_the_role(counsellor: User, manager: User, administrator: User) -> None:
    assert list(counsellor.groups.values_list("name", flat=True)) == [DRAFTERS]
    assert list(manager.groups.values_list("name", flat=True)) == [PUBLISHERS]
    assert list(administrator.groups.values_list("name", flat=True)) == []
    # A role change moves her between the groups; no one is a Wagtail superuser.
    counsellor.role = Role.MANAGER
    counsellor.save()
    assert list(counsellor.groups.values_list("name", flat=True)) == [PUBLISHERS]
    counsellor.role = Role.ADMIN
    counsellor.save()
    assert not counsellor.groups.exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_role_change_through_the_staff_page_moves_her_group(
    counsellor: User, administrator: User
) -> None:
    from hjelpelinje.accounts.services import staff_update

    staff_update(
        actor=administrator,
        user=counsellor,
        first_name=counsellor.first_name,
        last_name=counsellor.last_name,
        email=counsellor.email,
        role=Role.MANAGER,
        is_active=True,
    )
    counsellor.refresh_from_db()
    assert list(counsellor.groups.values_list("name", flat=True)) == [PUBLISHERS]


def test_sync_is_idempotent_and_puts_back_a_hand_edited_group(tree: dict[str, Any]) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from hjelpelinje.site.roles import sync_wagtail_groups

    drafters = Group.objects.get(name=DRAFTERS)
    before = set(GroupPagePermission.objects.values_list("group__name", "permission__codename"))
    GroupPagePermission.objects.create(
        group=drafters,
        page=tree["root"],
        permission=Permission.objects.get(codename="publish_page"),
    )
    sync_wagtail_groups()
    sync_wagtail_groups()
    after = set(GroupPagePermission.objects.values_list("group__name", "permission__codename"))
    assert after == before
    assert (DRAFTERS, "publish_page") not in after
    assert (PUBLISHERS, "publish_page") in after


def test_counsellors_draft_does_not_show_and_managers_publish_shows_at_once(
    tree: dict[str, Any], counsellor: User, manager: User
) -> None:
    theme = tree["theme"]
    assert OLD_TITLE in _public_title(theme)
    version = public_version()

    drafter = verified_client(counsellor)
    form = drafter.get(f"{CMS}pages/{theme.pk}/edit/").content.decode()
    # No publish button for a counsellor.
    assert 'name="action-publish"' not in form
    response = _edit(drafter, theme, title=NEW_TITLE, publish=False)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.has_unpublished_changes
    assert theme.get_latest_revision().content["title"] == NEW_TITLE  # type: ignore[union-attr]
    assert NEW_TITLE not in _public_title(theme)
    assert OLD_TITLE in _public_title(theme)
    assert public_version() == version

    # A publish forced into the counsellor's form is refused: still only a draft.
    _edit(drafter, theme, title=NEW_TITLE, publish=True)
    assert NEW_TITLE not in _public_title(theme)
    assert not AuditEntry.objects.filter(action="website.publish").exists()

    publisher = verified_client(manager)
    assert 'name="action-publish"' in publisher.get(f"{CMS}pages/{theme.pk}/edit/").content.decode()
    response = _edit(publisher, theme, title=NEW_TITLE, publish=True)
    assert response.status_code == 302
    assert NEW_TITLE in _public_title(theme)
    assert public_version() > version

    entry = AuditEntry.objects.get(action="website.publish")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        manager.pk,
        "page",
        str(theme.pk),
    )


def test_a_publish_shows_in_the_audit_log_page(tree: dict[str, Any], manager: User) -> None:
    client = verified_client(manager)
    _edit(client, tree["theme"], title=NEW_TITLE, publish=True)
    page = client.get("/staff/audit/").content.decode()
    assert action_label("website.publish") in page
    assert f"#{tree['theme'].pk}" in page
    # The page's text never goes to the log.
    entry = AuditEntry.objects.get(action="website.publish")
    assert (entry.fields, entry.reason) == ([], "")


def test_unpublish_and_delete_are_audited_and_refresh_the_cache(
    tree: dict[str, Any], counsellor: User, manager: User
) -> None:
    theme = tree["theme"]
    url = theme.get_url()
    drafter = verified_client(counsellor)
    # A counsellor can neither unpublish nor delete a live page.
    drafter.post(f"{CMS}pages/{theme.pk}/unpublish/")
    drafter.post(f"{CMS}pages/{theme.pk}/delete/")
    assert Client().get(url).status_code == 200

    client = verified_client(manager)
    version = public_version()
    response = client.post(f"{CMS}pages/{theme.pk}/unpublish/")
    assert response.status_code == 302
    assert Client().get(url).status_code == 404
    assert public_version() > version

    version = public_version()
    response = client.post(f"{CMS}pages/{theme.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=theme.pk).exists()
    assert public_version() > version

    actions = list(
        AuditEntry.objects.filter(target_type="page", target_id=str(theme.pk))
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert actions == [("website.unpublish", manager.pk), ("website.delete", manager.pk)]


def test_a_manager_moves_a_page_and_it_is_audited(tree: dict[str, Any], manager: User) -> None:
    home, theme = tree["home"], tree["theme"]
    other = home.add_child(instance=Page(title="Om oss", slug="om-oss", locale=home.locale))
    version = public_version()
    client = verified_client(manager)
    response = client.post(f"{CMS}pages/{theme.pk}/move/{other.pk}/confirm/")
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.get_parent().pk == other.pk  # type: ignore[union-attr]
    assert public_version() > version
    assert AuditEntry.objects.filter(
        action="website.move", actor_id=manager.pk, target_id=str(theme.pk)
    ).exists()
