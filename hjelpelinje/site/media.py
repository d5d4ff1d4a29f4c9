"""Documents and images on live pages change only as a publish does (issue 16, item 9).

A document linked from a published page, or an image shown on one, is part of what the
public site serves: replacing its file or deleting it changes the live site as surely as
publishing the page would. So, from whichever door of Wagtail's admin (the edit page, the
multiple upload, the bulk delete, a chooser):

- **who**: only someone who may publish (`website.publish`, managers) may replace the file
  of, or delete, a document or image in use on a live page. A counsellor still uploads new
  ones, edits titles and tags, and replaces or deletes what no live page uses; she asks a
  manager for the rest. The edit forms say so at the file field (`LiveMediaCheck`, set as
  Wagtail's form bases in the settings), before Wagtail would delete the old file; the
  model's own save and delete check again, so no other door (the bulk delete, the
  multiple upload's delete) gets past;
- **audit**: every replacement and deletion of a document or image is in the audit log
  (`website.document.replace`, `website.document.delete`, `website.image.*`), naming who;
- **cache**: every cached public page is made stale (site/cache.py), so no page keeps a
  link to a file that is gone, or shows the old one, for the cache's minute.

Who is acting comes from the editing gate (site/editing.py), which lets a person into the
admin; a save outside a request (the shell, a data migration, the demo loader) is the
operator's and is not refused, but is audited all the same.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from hjelpelinje.audit.services import audit_record
from hjelpelinje.site.signals import public_pages_changed

PUBLISH_PERMISSION = "website.publish"

# The request the editing gate let into Wagtail's admin (its user is who is editing).
editing: ContextVar[HttpRequest | None] = ContextVar("hjelpelinje_editing", default=None)


def _editor() -> Any | None:
    request = editing.get()
    return None if request is None else request.user


def _kind(instance: Any) -> str:
    return "image" if isinstance(instance, get_image_model()) else "document"


def in_use_on_a_live_page(instance: Any) -> bool:
    """Whether a live page refers to `instance` (Wagtail's reference index: rich text
    links and embeds, chooser blocks, foreign keys)."""
    for source, _references in ReferenceIndex.get_grouped_references_to(instance):
        if isinstance(source, Page) and source.live:
            return True
    return False


def refusal(instance: Any) -> str | None:
    """Why the person editing may not replace or delete `instance`, or None if she may."""
    request = editing.get()
    if request is None or request.user.can(PUBLISH_PERMISSION):  # type: ignore[union-attr]
        return None
    if not in_use_on_a_live_page(instance):
        return None
    return _(
        "«%(title)s» brukes på en publisert side. Bare en som kan publisere, kan bytte "
        "filen eller slette den: be en leder om det."
    ) % {"title": instance.title}


def _may_change_live_media(instance: Any) -> None:
    reason = refusal(instance)
    if reason is None:
        return
    request = editing.get()
    assert request is not None
    # Wagtail's admin answers the refusal by going back to its start page with its own
    # "no permission" message; this one says why.
    messages.error(request, reason)
    raise PermissionDenied(f"{_kind(instance)} in use on a live page")


def _file_replaced(instance: Any) -> bool:
    if instance.pk is None:
        return False
    old = type(instance).objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    new = instance.file
    # A file just uploaded is not yet stored ("committed") when the model is saved.
    return old is not None and (not getattr(new, "_committed", True) or new.name != old)


def before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    instance._hjelpelinje_replaced = False
    if raw or not _file_replaced(instance):
        return
    _may_change_live_media(instance)
    instance._hjelpelinje_replaced = True


def after_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or created:
        return
    if getattr(instance, "_hjelpelinje_replaced", False):
        audit_record(
            actor=_editor(),
            action=f"website.{_kind(instance)}.replace",
            target_type=_kind(instance),
            target_id=instance.pk,
        )
    # A title or a focal point shows on pages too.
    public_pages_changed()


def before_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    _may_change_live_media(instance)


def after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    audit_record(
        actor=_editor(),
        action=f"website.{_kind(instance)}.delete",
        target_type=_kind(instance),
        target_id=instance.pk,
    )
    public_pages_changed()


def connect() -> None:
    """Listen to the project's document and image models (from SiteConfig.ready)."""
    for model in (get_document_model(), get_image_model()):
        pre_save.connect(before_save, sender=model, dispatch_uid=f"hj-media-pre-save-{model}")
        post_save.connect(after_save, sender=model, dispatch_uid=f"hj-media-post-save-{model}")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"hj-media-pre-del-{model}")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"hj-media-post-del-{model}")


class LiveMediaCheck:
    """Mixed into Wagtail's document and image forms (media_forms.py): a new file for a
    document or image in use on a live page is a form error for one who may not publish,
    found before Wagtail's form deletes the old file."""

    instance: Any
    changed_data: list[str]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if self.instance.pk and "file" in self.changed_data:
            reason = refusal(self.instance)
            if reason is not None:
                self.add_error("file", reason)  # type: ignore[attr-defined]
        return cleaned
