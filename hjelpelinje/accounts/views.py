from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hjelpelinje.accounts.forms import TokenForm
from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import public, signed_in
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
        form = AuthenticationForm(request, data=request.POST)
        if form.is_valid():
            auth.login(request, form.get_user())
            if settings.HJELPELINJE_REQUIRE_2FA:
                response = redirect("accounts:two_factor")
                response["Location"] += "?next=" + _next_url(request)
                return response
            return redirect(_next_url(request))
    else:
        form = AuthenticationForm(request)
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
