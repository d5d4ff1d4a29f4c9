"""A document on a live page changes only as a publish does (issue 16, item 9).

Found: a counsellor replaced a document linked from a live page (a POST to the
document's edit page in Wagtail's admin), and the public site served the new file with no
publish and no audit entry, the cached page linking a file that was gone. Through Wagtail's
real admin views: the counsellor is refused and the public file stays; a manager may, the
replacement is in the audit log, and the cached page links the new file at once.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from conftest import verified_client
from hjelpelinje.accounts.models import User
from hjelpelinje.audit.labels import action_label
from hjelpelinje.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CMS = "/staff/cms/"
OLD = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHei\n"
NEW = b"WEBVTT\n\n00:00.000 --> 00:02.000\nNy tekst\n"


@pytest.fixture
def live_document(demo_site: dict[str, Any], settings: Any, tmp_path: Any) -> tuple[Document, Any]:
    """Captions on a live video page: a document the public site serves."""
    from hjelpelinje.site.models import VideoPage

    settings.MEDIA_ROOT = tmp_path
    video = Document.objects.create(title="Film", file=ContentFile(b"\x00" * 16, "film.mp4"))
    captions = Document.objects.create(title="Teksting", file=ContentFile(OLD, "film.vtt"))
    page = VideoPage(title="Vår film", slug="var-film", video_file=video, captions=captions)
    demo_site["home"].add_child(instance=page)
    return captions, page


def _public(url: str) -> bytes:
    response = Client().get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def _replace(client: Client, document: Document, content: bytes, name: str = "ny.vtt") -> Any:
    return client.post(
        f"{CMS}documents/edit/{document.pk}/",
        {
            "title": document.title,
            "collection": document.collection_id,
            "file": SimpleUploadedFile(name, content, content_type="text/vtt"),
        },
    )


def _audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_a_counsellor_cannot_replace_a_document_of_a_live_page(
    counsellor: User, live_document: tuple[Document, Any]
) -> None:
    captions, page = live_document
    before = _public(page.url).decode()
    assert captions.url in before and _public(captions.url) == OLD
    response = _replace(verified_client(counsellor), captions, NEW)
    # Refused at the file field, and told why.
    assert response.status_code == 200
    assert "brukes på en publisert side" in response.content.decode()
    # The public site serves what it did, from the same link.
    captions.refresh_from_db()
    assert _public(captions.url) == OLD
    assert captions.url in _public(page.url).decode()
    assert _audited("website.document.replace") == []


def test_a_manager_replaces_it_audited_and_the_page_links_the_new_file_at_once(
    manager: User, live_document: tuple[Document, Any]
) -> None:
    captions, page = live_document
    old_url = captions.url
    assert old_url in _public(page.url).decode()  # now in the public cache
    response = _replace(verified_client(manager), captions, NEW, name="ny-tekst.vtt")
    assert response.status_code == 302
    captions.refresh_from_db()
    assert captions.url != old_url
    assert _public(captions.url) == NEW
    # The cached page was refreshed: it links the new file, not the one that is gone.
    html = _public(page.url).decode()
    assert captions.url in html and old_url not in html
    [entry] = _audited("website.document.replace")
    assert entry.actor_label == manager.username and entry.target_id == str(captions.pk)
    assert action_label("website.document.replace") != "website.document.replace"


def test_a_counsellor_still_replaces_a_document_no_live_page_uses(
    counsellor: User, live_document: tuple[Document, Any]
) -> None:
    loose = Document.objects.create(title="Utkast", file=ContentFile(OLD, "utkast.vtt"))
    response = _replace(verified_client(counsellor), loose, NEW)
    assert response.status_code == 302
    loose.refresh_from_db()
    assert _public(loose.url) == NEW
    [entry] = _audited("website.document.replace")
    assert entry.actor_label == counsellor.username


def test_deleting_a_document_of_a_live_page_is_a_publishers_and_audited(
    counsellor: User, manager: User, live_document: tuple[Document, Any]
) -> None:
    captions, page = live_document
    delete = f"{CMS}documents/delete/{captions.pk}/"
    assert verified_client(counsellor).post(delete).status_code in (302, 403)
    assert Document.objects.filter(pk=captions.pk).exists()
    assert captions.url in _public(page.url).decode()
    # Wagtail's bulk delete is another door to the same thing.
    bulk = f"{CMS}bulk/wagtaildocs/document/delete/?id={captions.pk}"
    assert verified_client(counsellor).post(bulk).status_code in (302, 403)
    assert Document.objects.filter(pk=captions.pk).exists()
    response = verified_client(manager).post(delete)
    assert response.status_code == 302
    assert not Document.objects.filter(pk=captions.pk).exists()
    [entry] = _audited("website.document.delete")
    assert entry.actor_label == manager.username and entry.target_id == str(captions.pk)
    # The page no longer links a file that is gone.
    assert captions.url not in _public(page.url).decode()


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def test_replacing_an_image_is_audited(counsellor: User, demo_site: dict[str, Any]) -> None:
    image = Image.objects.create(title="Logo", file=ContentFile(_png("red"), "logo.png"))
    response = verified_client(counsellor).post(
        f"{CMS}images/{image.pk}/",
        {
            "title": "Logo",
            "collection": image.collection_id,
            "file": SimpleUploadedFile("logo2.png", _png("blue"), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    [entry] = _audited("website.image.replace")
    assert entry.actor_label == counsellor.username and entry.target_id == str(image.pk)
