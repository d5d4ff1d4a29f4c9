"""Pages for follow-up users. Thin: forms in, services and selectors do the work.

No personal value ever goes into a URL: the user is addressed by database id, and the
reference-code search is posted, not put in a query string.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.core import timeutil
from hjelpelinje.followup import selectors, services
from hjelpelinje.followup.forms import (
    ActivityForm,
    AddressForm,
    GlassBreakForm,
    MailItemForm,
    MailOutcomeForm,
    SearchForm,
    UserCreateForm,
    UserEditForm,
    UserInquiryForm,
    WithdrawForm,
)
from hjelpelinje.followup.models import FollowUpUser, MailItem


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)


@require("followup.view")
@require_http_methods(["GET", "POST"])
def user_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.POST or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    users = selectors.user_list(reference_query=query)
    context: dict[str, Any] = {"form": form, "users": users, "query": query}
    if request.headers.get("HX-Request"):
        return render(request, "followup/_user_rows.html", context)
    if selectors.is_manager(_staff(request)):
        # The managers' panel: the latest break-the-glass accesses, flagged.
        context["flagged"] = selectors.flagged_accesses(limit=5)
    return render(request, "followup/user_list.html", context)


@require("followup.edit")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = UserCreateForm(request.POST or None, initial={"responsible": [staff.pk]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=staff,
                reference=data["reference"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                birth_year=data["birth_year"],
                age_group=data["age_group"],
                gender=data["gender"],
                region=data["region"],
                source=data["source"],
                notes=data["notes"],
                first_inquiry=data["first_inquiry"],
                responsible=data["responsible"],
                consent_given_on=data["consent_given_on"],
                consent_method=data["consent_method"],
                consent_note=data["consent_note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Brukeren er opprettet."))
            return redirect("followup:detail", pk=user.pk)
    return render(request, "followup/user_form.html", {"form": form, "creating": True})


def _detail_context(request: HttpRequest, user: FollowUpUser) -> dict[str, Any]:
    staff = _staff(request)
    shielded_visible = selectors.can_see_shielded(staff, user)
    return {
        "u": user,
        "consent": getattr(user, "consent", None),
        "responsible": list(user.responsible.all()),
        "shielded_visible": shielded_visible,
        "can_manage": selectors.can_manage(staff, user),
        "timeline": selectors.user_timeline(user),
        "access_log": selectors.user_access_lines(user),
        "versions": [
            (
                v,
                selectors.VERSION_ACTIONS.get(v.action, v.action),
                ", ".join(selectors.field_label(f) for f in v.fields),
            )
            for v in selectors.user_versions(user)[:30]
        ],
        "activity_form": ActivityForm(auto_id="act_%s"),
        "inquiry_form": UserInquiryForm(auto_id="inq_%s"),
        "mail_form": MailItemForm(auto_id="mail_%s"),
        "outcome_form": MailOutcomeForm(
            auto_id=False, initial={"outcome_on": timeutil.local_now().date()}
        ),
    }


@require("followup.view")
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    context = _detail_context(request, user)
    services.user_viewed(
        actor=_staff(request), user=user, shielded_shown=context["shielded_visible"]
    )
    return render(request, "followup/user_detail.html", context)


@require("followup.edit")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    user = selectors.user_get(pk=pk)
    selectors.require_manage(staff, user)
    if user.withdrawn:
        raise PermissionDenied
    initial = {
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "birth_year": user.birth_year or None,
        "age_group": user.age_group_id,
        "gender": user.gender_id,
        "region": user.region_id,
        "source": user.source,
        "notes": user.notes,
        "first_inquiry": user.first_inquiry_id,
        "responsible": [s.pk for s in user.responsible.all()],
    }
    form = UserEditForm(request.POST or None, initial=initial, instance=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        responsible = data.pop("responsible")
        services.user_update(actor=staff, user=user, responsible=responsible, **data)
        messages.success(request, _("Endringene er lagret."))
        return redirect("followup:detail", pk=user.pk)
    return render(request, "followup/user_form.html", {"form": form, "u": user})


@require("followup.edit")
@require_http_methods(["GET", "POST"])
def user_address(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    user = selectors.user_get(pk=pk)
    selectors.require_manage(staff, user)
    if user.withdrawn:
        raise PermissionDenied
    form = AddressForm(
        request.POST or None,
        initial={"protected_code": user.protected_code, "address": user.address},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_address(
                actor=staff,
                user=user,
                protected_code=form.cleaned_data["protected_code"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sperret adresse er lagret."))
            return redirect("followup:detail", pk=user.pk)
    elif request.method == "GET":
        # Opening the form shows the address, so it is an access like any other.
        services.user_viewed(actor=staff, user=user, shielded_shown=True)
    return render(request, "followup/address_form.html", {"form": form, "u": user})


@require("followup.view")
@require_http_methods(["GET", "POST"])
def glass_break(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    user = selectors.user_get(pk=pk)
    if not user.has_protected_address or user.withdrawn:
        return redirect("followup:detail", pk=user.pk)
    form = GlassBreakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.glass_break(actor=staff, user=user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.warning(request, _("Tilgangen er logget og vises for leder."))
            return redirect("followup:detail", pk=user.pk)
    return render(request, "followup/glass_break.html", {"form": form, "u": user})


def _timeline_response(request: HttpRequest, user: FollowUpUser, **extra: Any) -> HttpResponse:
    """After a quick entry: the refreshed timeline plus a fresh form (htmx), or a redirect."""
    if not request.headers.get("HX-Request"):
        return redirect("followup:detail", pk=user.pk)
    context = _detail_context(request, user)
    context.update(extra)
    return render(request, "followup/_timeline_and_forms.html", context)


@require("followup.edit")
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    form = ActivityForm(request.POST, auto_id="act_%s")
    if form.is_valid():
        services.activity_add(actor=_staff(request), user=user, **form.cleaned_data)
        return _timeline_response(request, user, saved=_("Aktiviteten er lagret."))
    return _form_error(request, user, activity_form=form)


@require("followup.edit")
@require_POST
def inquiry_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    form = UserInquiryForm(request.POST, auto_id="inq_%s")
    if form.is_valid():
        services.user_inquiry_add(actor=_staff(request), user=user, **form.cleaned_data)
        return _timeline_response(request, user, saved=_("Henvendelsen er lagret."))
    return _form_error(request, user, inquiry_form=form)


@require("followup.edit")
@require_POST
def mail_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    form = MailItemForm(request.POST, auto_id="mail_%s")
    if form.is_valid():
        services.mail_item_add(actor=_staff(request), user=user, **form.cleaned_data)
        return _timeline_response(request, user, saved=_("Posten er logget."))
    return _form_error(request, user, mail_form=form)


@require("followup.edit")
@require_POST
def mail_update(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    mail_item = get_object_or_404(MailItem, pk=item, user=user)
    form = MailOutcomeForm(request.POST)
    if form.is_valid():
        services.mail_item_update(actor=_staff(request), item=mail_item, **form.cleaned_data)
        return _timeline_response(request, user, saved=_("Posten er oppdatert."))
    return _timeline_response(request, user, saved=_("Velg status og dato."))


def _form_error(request: HttpRequest, user: FollowUpUser, **forms: Any) -> HttpResponse:
    context = _detail_context(request, user)
    context.update(forms)
    template = (
        "followup/_timeline_and_forms.html"
        if request.headers.get("HX-Request")
        else "followup/user_detail.html"
    )
    # htmx only swaps 2xx responses, so errors come back as 200 with the messages in place.
    return render(request, template, context)


@require("followup.edit")
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    user = selectors.user_get(pk=pk)
    if not (selectors.is_manager(staff) or selectors.is_responsible(staff, user)):
        raise PermissionDenied
    if user.withdrawn:
        return redirect("followup:detail", pk=user.pk)
    form = WithdrawForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_withdraw_consent(actor=staff, user=user)
        messages.success(
            request, _("Samtykket er trukket. Alle personopplysninger om brukeren er slettet.")
        )
        return redirect("followup:detail", pk=user.pk)
    return render(request, "followup/withdraw.html", {"form": form, "u": user})


@require("followup.export")
@require_http_methods(["GET"])
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    data = selectors.user_export(user)
    services.user_exported(actor=_staff(request), user=user, fmt="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    # The file name carries the database id, not the reference code or the name.
    response["Content-Disposition"] = f'attachment; filename="innsyn-{user.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _readable_dates(value: Any) -> Any:
    """ISO dates and times in the export, as staff and users read them (27.04.2023 14:05)."""
    if isinstance(value, dict):
        return {k: _readable_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable_dates(v) for v in value]
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return timeutil.format_date(dt.date.fromisoformat(value))
            moment = dt.datetime.fromisoformat(value).astimezone(timeutil.OSLO)
            return f"{timeutil.format_date(moment)} {moment:%H:%M}"
        except ValueError:
            return value
    return value


@require("followup.export")
@require_http_methods(["GET"])
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    user = selectors.user_get(pk=pk)
    data = _readable_dates(selectors.user_export(user))
    html = render_to_string("followup/export_pdf.html", {"d": data, "u": user}, request=request)
    pdf = HTML(string=html).write_pdf()
    services.user_exported(actor=_staff(request), user=user, fmt="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="innsyn-{user.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require("followup.see_all_shielded")
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/dashboard.html", {"flagged": selectors.flagged_accesses()})
