"""Staff pages of the website's counts: the import of past years. Thin on purpose."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hjelpelinje.accounts.permissions import require
from hjelpelinje.core.imports import error_context, import_upload
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
    form, result = import_upload(
        request,
        ImportForm,
        lambda path, dry_run: visits_import(path=path, actor=request.user, dry_run=dry_run),
    )
    if result is not None and result.ok and not result.dry_run:
        messages.success(request, result_message(result))
        return redirect("visits:import")
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
        {"form": form, **error_context(result), "years": list(years)},
    )
