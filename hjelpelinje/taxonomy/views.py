"""Managers edit the code lists: add, rename, deactivate and reorder entries."""

from __future__ import annotations

from typing import Literal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.taxonomy import selectors, services
from hjelpelinje.taxonomy.forms import CodeCreateForm, CodeLabelsForm


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require("taxonomy.edit")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "taxonomy/index.html", {"lists": selectors.code_lists_overview()})


def _list_page(request: HttpRequest, list_name: str, form: CodeCreateForm) -> HttpResponse:
    context = {
        "list_name": list_name,
        "list_label": selectors.code_list_label(list_name),
        "entries": selectors.code_list_entries(list_name),
        "form": form,
    }
    return render(request, "taxonomy/list.html", context)


@require("taxonomy.edit")
def code_list(request: HttpRequest, list_name: str) -> HttpResponse:
    selectors.code_list_entries(list_name)  # 404 for an unknown list before anything else
    form = CodeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.code_create(
                actor=_actor(request), list_name=list_name, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("«%(label)s» er lagt til.") % {"label": entry.label})
            return redirect("taxonomy:list", list_name=list_name)
    return _list_page(request, list_name, form)


@require("taxonomy.edit")
def code_edit(request: HttpRequest, list_name: str, pk: int) -> HttpResponse:
    entry = selectors.code_in_list(list_name, pk)
    form = CodeLabelsForm(
        request.POST or None, initial={"label": entry.label, "label_en": entry.label_en}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.code_rename(actor=_actor(request), code=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Navnet er endret."))
            return redirect("taxonomy:list", list_name=list_name)
    context = {
        "entry": entry,
        "form": form,
        "list_name": list_name,
        "list_label": selectors.code_list_label(list_name),
    }
    return render(request, "taxonomy/edit.html", context)


def _after_change(request: HttpRequest, list_name: str) -> HttpResponse:
    """htmx swaps in the updated table; without JavaScript the page reloads."""
    if getattr(request, "htmx", False):
        context = {"list_name": list_name, "entries": selectors.code_list_entries(list_name)}
        return render(request, "taxonomy/_entries.html", context)
    return redirect("taxonomy:list", list_name=list_name)


@require("taxonomy.edit")
@require_POST
def code_toggle(request: HttpRequest, list_name: str, pk: int) -> HttpResponse:
    entry = selectors.code_in_list(list_name, pk)
    services.code_set_active(actor=_actor(request), code=entry, active=not entry.active)
    return _after_change(request, list_name)


@require("taxonomy.edit")
@require_POST
def code_move(request: HttpRequest, list_name: str, pk: int) -> HttpResponse:
    entry = selectors.code_in_list(list_name, pk)
    sent = request.POST.get("direction")
    if sent not in ("up", "down"):
        # The way to move comes only from the arrow's name; a form sent without it (by a
        # script) used to move the entry down. Move nothing and say so.
        messages.error(request, _("Ingenting ble flyttet: trykk på pil opp eller ned."))
        return redirect("taxonomy:list", list_name=list_name)
    direction: Literal["up", "down"] = "up" if sent == "up" else "down"
    services.code_move(actor=_actor(request), code=entry, direction=direction)
    return _after_change(request, list_name)
