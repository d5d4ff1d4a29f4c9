"""The language of a page: from the address on the website, from the person on staff pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from hjelpelinje.core.middleware import STAFF_PREFIX


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, but staff pages choose their language as before.

    The website's pages are under `i18n_patterns` with no prefix for Norwegian: `/` is
    Norwegian and `/en/` English, whatever the browser asks for, so a link always shows the
    language it names. With such patterns Django takes every path without a language prefix
    to be Norwegian, `/staff/` included; but a counsellor's language is her own choice (the
    language cookie, else the browser's), and staff addresses carry no prefix.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(STAFF_PREFIX):
            super().process_request(request)
            return
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path_info.startswith(STAFF_PREFIX):
            return super().process_response(request, response)
        # No redirect to a language prefix: staff addresses have none.
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
