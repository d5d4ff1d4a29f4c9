from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hjelpelinje.accounts import selectors, services
from hjelpelinje.accounts.forms import (
    LoginForm,
    OwnPasswordForm,
    StaffCreateForm,
    StaffEditForm,
    TokenForm,
)
from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import needs_second_factor, public, require, signed_in
from hjelpelinje.accounts.services import (
    confirmed_totp_device,
    totp_device_for_enrolment,
    totp_enrol_confirm,
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@public
def login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            auth.login(request, user)
            if settings.HJELPELINJE_REQUIRE_2FA:
                step = "accounts:two_factor"
            elif user.must_change_password:
                step = "accounts:password_change"
            else:
                return redirect(_next_url(request))
            response = redirect(step)
            response["Location"] += "?" + urlencode({"next": _next_url(request)})
            return response
    else:
        form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@signed_in
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of login: a code from the app, or enrolment when there is no app yet."""
    user = request.user
    assert isinstance(user, User)
    device = confirmed_totp_device(user=user)
    enrolling = device is None
    if enrolling:
        device = totp_device_for_enrolment(user=user)
    assert device is not None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        ok = (
            totp_enrol_confirm(user=user, device=device, token=token)
            if enrolling
            else device.verify_token(token)
        )
        if ok:
            otp_login(request, device)
            if enrolling:
                messages.success(request, _("Tofaktorinnlogging er satt opp."))
            if user.must_change_password:
                response = redirect("accounts:password_change")
                response["Location"] += "?" + urlencode({"next": _next_url(request)})
                return response
            return redirect(_next_url(request))
        form.add_error("token", _("Koden stemmer ikke. Prøv den neste koden appen viser."))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor.html", context)


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("accounts:login")


@signed_in
def password_change(request: HttpRequest) -> HttpResponse:
    """Choose one's own password; required after a one-time password from an administrator."""
    if needs_second_factor(request):
        return redirect("accounts:two_factor")
    user = request.user
    assert isinstance(user, User)
    form = OwnPasswordForm(request, user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, new_password=form.cleaned_data["new_password1"])
        # Changing the password ends every other login, and every chat console (the
        # service tells them); this login stays signed in under a new session key.
        auth.update_session_auth_hash(request, user)
        messages.success(request, _("Passordet er endret."))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "next": _next_url(request)},
    )


# Staff management (administrators).


@require("accounts.manage")
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff_list.html", {"staff": selectors.staff_list()})


def _show_password(request: HttpRequest, staff: User, password: str, created: bool) -> HttpResponse:
    # Rendered straight from the POST, never stored or redirected through a URL, so the
    # password is on screen exactly once (and the page is sent with Cache-Control: no-store).
    return render(
        request,
        "accounts/staff_password.html",
        {"staff": staff, "password": password, "created": created},
    )


@require("accounts.manage")
def staff_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff, password = services.staff_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _show_password(request, staff, password, created=True)
    return render(request, "accounts/staff_form.html", {"form": form})


@require("accounts.manage")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    staff = selectors.staff_get(pk)
    initial = {
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "email": staff.email,
        "role": staff.role,
        "is_active": staff.is_active,
    }
    form = StaffEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=actor, user=staff, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Endringene for %(name)s er lagret.") % {"name": staff.display_name}
            )
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "staff": staff})


@require("accounts.manage")
@require_POST
def staff_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    staff = selectors.staff_get(pk)
    password = services.staff_reset_password(actor=actor, user=staff)
    if staff.pk == actor.pk:
        # Keep this session: the administrator must still read the password off the page.
        auth.update_session_auth_hash(request, staff)
    return _show_password(request, staff, password, created=False)


@require("accounts.manage")
@require_POST
def staff_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    staff = selectors.staff_get(pk)
    services.totp_reset(actor=actor, user=staff)
    messages.success(
        request,
        _(
            "Tofaktorinnloggingen til %(name)s er nullstilt. "
            "Hen setter opp en ny app ved neste innlogging."
        )
        % {"name": staff.display_name},
    )
    return redirect("accounts:staff_edit", pk=staff.pk)
