"""Hjelpelinje's roles as Wagtail groups: counsellors draft, managers publish.

Wagtail decides what someone may do to a page from their groups. Hjelpelinje decides
everything from the role (hjelpelinje/accounts/permissions.py), so the groups are derived,
never edited by hand: `sync_wagtail_groups()` creates them and their permissions (after
every migrate, and from the demo loader), and `sync_user_groups()` puts each member of
staff in the one group of their role whenever the account is saved.

Page permissions are given on the tree's root, so they hold for every site and every
language's tree. No one is ever a Wagtail superuser.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from hjelpelinje.accounts.models import Role

DRAFTERS = "Nettredaktører (utkast)"
PUBLISHERS = "Nettredaktører (publisering)"
# The role's group; a role not listed here (the administrator) edits no pages: she manages
# accounts only (permissions.py gives "website.edit" to counsellors and managers).
ROLE_GROUPS: dict[str, str] = {Role.COUNSELLOR: DRAFTERS, Role.MANAGER: PUBLISHERS}

# Page permissions on the root ("add" = add pages and edit one's own, "change" = edit any
# page, "publish" also unpublishes and moves, "bulk_delete" deletes a page with children).
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    DRAFTERS: ("add_page", "change_page"),
    PUBLISHERS: (
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ),
}
# Images and documents are kept per collection; both groups may upload, edit and choose.
COLLECTION_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    DRAFTERS: (
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ),
    PUBLISHERS: (
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtailimages", "delete_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtaildocs", "delete_document"),
    ),
}
# Plain model permissions: entering the admin, and (managers) copying a page for its
# English translation, which creates pages in the other language's tree.
MODEL_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    DRAFTERS: (("wagtailadmin", "access_admin"),),
    PUBLISHERS: (
        ("wagtailadmin", "access_admin"),
        ("simple_translation", "submit_translation"),
    ),
}


def _permission(app_label: str, codename: str) -> Permission | None:
    # Missing only before the app's first migrate has created its permissions; the next
    # post_migrate (which runs after Django's own permission creation) fills it in.
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def sync_wagtail_groups() -> dict[str, Group]:
    """Create or correct the two editors' groups and their permissions; idempotent.

    Permissions the code does not list are taken away, so a group edited by hand is put
    back as the code says.
    """
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups: dict[str, Group] = {}
    with transaction.atomic():
        for name in (DRAFTERS, PUBLISHERS):
            group, _created = Group.objects.get_or_create(name=name)
            groups[name] = group

            wanted = [_permission(app, code) for app, code in MODEL_PERMISSIONS[name]]
            group.permissions.set([p for p in wanted if p is not None])

            page_perms = [_permission("wagtailcore", code) for code in PAGE_PERMISSIONS[name]]
            keep_page = [p for p in page_perms if p is not None]
            GroupPagePermission.objects.filter(group=group).exclude(
                page=root_page, permission__in=keep_page
            ).delete()
            if root_page is not None:
                for permission in keep_page:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=permission
                    )

            coll_perms = [_permission(app, code) for app, code in COLLECTION_PERMISSIONS[name]]
            keep_coll = [p for p in coll_perms if p is not None]
            GroupCollectionPermission.objects.filter(group=group).exclude(
                collection=root_collection, permission__in=keep_coll
            ).delete()
            if root_collection is not None:
                for permission in keep_coll:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    return groups


def sync_user_groups(user: Any) -> None:
    """Put `user` in exactly the editors' group of her role (none for an administrator)."""
    wanted_name = ROLE_GROUPS.get(user.role) if user.is_active else None
    editor_groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    if wanted_name is not None and wanted_name not in editor_groups:
        editor_groups.update(sync_wagtail_groups())
    for name, group in editor_groups.items():
        if name == wanted_name:
            user.groups.add(group)
        else:
            user.groups.remove(group)
