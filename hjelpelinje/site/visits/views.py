"""Staff pages of the website's counts: the import of past years. Thin on purpose."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hjelpelinje.accounts.permissions import require
from hjelpelinje.core.tabular import shown_errors
from hjelpelinje.core.uploads import too_large_message, upload_refused
from hjelpelinje.site.visits.forms import ImportForm
from hjelpelinje.site.visits.models import ImportedDay
from hjelpelinje.site.visits.services import ImportResult, visits_import


def result_message(result: ImportResult) -> str:
    text = _("%(count)d dager med besøkstall importert.") % {"count": result.rows}
    if result.replaced:
        text += " " + _(
            "%(replaced)d av dem var importert før og er erstattet med tallene i filen."
        ) % {"replaced": result.replaced}
    return text


@require("outreach.manage")
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and upload_refused(request):
        # The upload was stopped at the size limit, so the form never saw the file.
        form = ImportForm(request.POST)
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()[:5]
        # The reader takes a path (XLSX needs random access); the file is removed at once.
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            result = visits_import(
                path=Path(handle.name), actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        if result.ok and not result.dry_run:
            messages.success(request, result_message(result))
            return redirect("visits:import")
    errors, more = shown_errors(result.errors) if result is not None else ([], 0)
    years = (
        ImportedDay.objects.annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(
            days=Count("id"),
            first=Min("day"),
            last=Max("day"),
            page_views=Sum("page_views"),
            visits=Sum("visits"),
        )
        .order_by("-year")
    )
    return render(
        request,
        "visits/import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": errors,
            "errors_more": more,
            "years": list(years),
        },
    )
