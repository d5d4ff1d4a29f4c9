"""The size limit on uploaded files, enforced while the upload arrives.

Django keeps no limit of its own on file uploads (DATA_UPLOAD_MAX_MEMORY_SIZE covers the
other form fields only), so a large file would be written to a temporary file in full
before any form could look at its size. This handler, first in FILE_UPLOAD_HANDLERS,
counts the bytes of every file in a request and stops the upload at
HJELPELINJE_UPLOAD_MAX_MB; the page then says why (`upload_refused`, `size_problem`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

_FLAG = "hjelpelinje_upload_refused"


def max_upload_bytes() -> int:
    return int(settings.HJELPELINJE_UPLOAD_MAX_MB) * 1024 * 1024


def too_large_message() -> str:
    return _("Filen er for stor: høyst %(mb)d MB kan leses. Del den opp og importer delene.") % {
        "mb": settings.HJELPELINJE_UPLOAD_MAX_MB
    }


def size_problem(size: int | None) -> str | None:
    """Why a file of `size` bytes is refused, for the person uploading it, or None."""
    if size is None or size <= max_upload_bytes():
        return None
    return too_large_message()


def upload_refused(request: HttpRequest) -> bool:
    """Whether this request's upload was stopped for being too large."""
    return bool(getattr(request, _FLAG, False))


class SizeLimitUploadHandler(FileUploadHandler):
    """Passes every chunk on, until the files of one request outgrow the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.total = 0

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, _FLAG, True)
        # The rest of the body is read and dropped, so the form fields before the file
        # (the CSRF token among them) still arrive and the page can say what happened.
        raise StopUpload(connection_reset=False)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        # A part that announces its own length is refused before a byte of it is kept.
        if self.content_length is not None and self.content_length > max_upload_bytes():
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        if self.total > max_upload_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
