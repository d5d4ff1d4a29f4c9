"""Wagtail's document and image forms with Hjelpelinje's check (site/media.py), named in
the settings as WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE."""

from __future__ import annotations

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from hjelpelinje.site.media import LiveMediaCheck


class DocumentForm(LiveMediaCheck, BaseDocumentForm):
    pass


class ImageForm(LiveMediaCheck, BaseImageForm):
    pass
