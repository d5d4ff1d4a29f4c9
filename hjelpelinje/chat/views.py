"""Pages of the chat: the visitor's page (public, traceless), the console and its settings."""

from __future__ import annotations

import logging
import re

from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hjelpelinje.accounts.permissions import public, require
from hjelpelinje.chat import pow, selectors, services
from hjelpelinje.chat.forms import CannedResponseForm, ChatSettingsForm
from hjelpelinje.chat.models import CannedResponse, ChatSession, ChatSettings
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.limits import client_key, client_may_end, closed_visit_counts
from hjelpelinje.chat.sockets.visitor import tell_ended_by_visitor
from hjelpelinje.taxonomy.selectors import codes

logger = logging.getLogger(__name__)

# What the quick exit's beacon carries: a chat's token (secrets.token_urlsafe) and nothing
# else, as text/plain.
END_BODY_MAX = 128
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def visitor_csp(request: HttpRequest) -> str:
    """Only this server, for everything; the socket to this host. Framing only by this
    site itself (the website's chat launcher shows the chat in its own page) and by the
    sites configured; every other site is refused."""
    host = request.get_host()
    configured = settings.HJELPELINJE_CHAT_FRAME_ANCESTORS.split()
    # 'none' only means something alone; next to 'self' a browser would ignore it.
    ancestors = " ".join(["'self'", *(a for a in configured if a not in ("'none'", "'self'"))])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' wss://{host} ws://{host}; "
        f"frame-ancestors {ancestors}; base-uri 'none'; form-action 'none'"
    )


@public
@require_GET
@xframe_options_exempt
def visitor(request: HttpRequest) -> HttpResponse:
    """The anonymous chat page. It touches neither the session nor the CSRF token, so no
    cookie is set; the chat itself runs over a WebSocket that needs none.

    The chat speaks the language of the website page it was opened from: the launcher
    names it (`?lang=en` under /en/). /chat/ itself is outside the website's language
    prefixes, so without one the chat is Norwegian; a cookie is never asked."""
    lang = request.GET.get("lang", "")
    if lang in {code for code, _name in settings.LANGUAGES}:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    hours = selectors.chat_hours_status()
    context = {
        "exit_url": settings.HJELPELINJE_EXIT_URL,
        "phone": settings.HJELPELINJE_PHONE_NUMBER,
        "hours": hours,
        "week": selectors.chat_phone_hours(),
        "max_length": services.MAX_TEXT,
    }
    if hours.is_open:
        context["age_groups"] = codes("age_group")
        context["themes"] = codes("theme")
        # The page starts on the proof of work for a chat as soon as it loads.
        context["pow_challenge"] = pow.challenge_create()
        template = "chat/visitor.html"
    else:
        # Counted without keeping anything about who: a script reloading the page is not
        # counted over and over (limits.closed_visit_counts).
        if closed_visit_counts(client_key(request.META.get("REMOTE_ADDR"))):
            services.chat_closed_visit()
        template = "chat/closed.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = visitor_csp(request)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _end_by_beacon(token: str, address: object) -> ChatSession | None:
    if not client_may_end(client_key(address)):
        raise PermissionError
    return services.chat_end_by_token(token=token)


@public
@csrf_exempt
@require_POST
async def visitor_end(request: HttpRequest) -> HttpResponse:
    """The quick exit's beacon: the visitor's page, already on its way to the exit page,
    ends its chat by its token (navigator.sendBeacon in chat/visitor.js). The socket's
    `end` frame does not always leave a page that is going away (Firefox drops it).

    Safe without a CSRF token: the token is the chat's own secret, which only that page
    holds, and it ends that one chat and nothing else; another site could send a beacon
    only with a token it cannot know. No cookie is read or set, nothing about the request
    is logged, and the answer is the same 204 whether there was a chat to end or not.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = END_BODY_MAX + 1
    if length > END_BODY_MAX:
        return HttpResponse(status=413)
    token = request.body.decode("ascii", errors="replace").strip()
    if not TOKEN.fullmatch(token):
        return HttpResponse(status=400)
    try:
        session = await db(_end_by_beacon)(token, request.META.get("REMOTE_ADDR"))
    except PermissionError:
        return HttpResponse(status=429)
    if session is not None:
        try:
            await tell_ended_by_visitor(get_channel_layer(), session)
        except Exception:
            # Ended and stored all the same; the console learns it on its next `state`.
            logger.exception("telling the consoles a visitor left failed")
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@require("chat.console")
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "chat/console.html",
        {"can_supervise": request.user.can("chat.supervise")},  # type: ignore[union-attr]
    )


def _settings_form_sent(post: QueryDict) -> str | None:
    """Which of the settings page's two forms was sent: "settings", "canned" or None.

    The submit button's name says so, but a form sent by a script (a confirm dialog's
    `form.submit()`) or by some browsers on Enter comes without it; then the fields'
    prefixes tell. Neither, or both: the view says so rather than saving nothing.
    """
    if "save_settings" in post:
        return "settings"
    if "add_canned" in post:
        return "canned"
    settings_fields = any(key.startswith("s-") for key in post)
    canned_fields = any(key.startswith("c-") for key in post)
    if settings_fields != canned_fields:
        return "settings" if settings_fields else "canned"
    return None


@require("chat.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    current = ChatSettings.current()
    settings_form = ChatSettingsForm(instance=current, prefix="s")
    canned_form = CannedResponseForm(prefix="c")
    sent = _settings_form_sent(request.POST) if request.method == "POST" else None
    status = 200
    if sent == "settings":
        settings_form = ChatSettingsForm(request.POST, instance=ChatSettings.current(), prefix="s")
        if settings_form.is_valid():
            services.chat_settings_update(actor=request.user, **settings_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Innstillingene er lagret."))
            return redirect("chat:settings")
    elif sent == "canned":
        canned_form = CannedResponseForm(request.POST, prefix="c")
        if canned_form.is_valid():
            services.canned_response_save(actor=request.user, **canned_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Standardsvaret er lagt til."))
            return redirect("chat:settings")
    elif request.method == "POST":
        messages.error(request, _("Ingenting ble lagret: skjemaet kom uten innhold. Prøv igjen."))
        status = 400
    return render(
        request,
        "chat/settings.html",
        {
            "settings_form": settings_form,
            "canned_form": canned_form,
            "canned": CannedResponse.objects.all(),
        },
        status=status,
    )


@require("chat.settings")
def canned_edit(request: HttpRequest, pk: int) -> HttpResponse:
    canned = get_object_or_404(CannedResponse, pk=pk)
    form = CannedResponseForm(request.POST or None, instance=canned)
    if request.method == "POST" and form.is_valid():
        services.canned_response_save(actor=request.user, pk=pk, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Standardsvaret er lagret."))
        return redirect("chat:settings")
    return render(request, "chat/canned_edit.html", {"form": form, "canned": canned})


@require("chat.settings")
@require_POST
def canned_delete(request: HttpRequest, pk: int) -> HttpResponse:
    canned = get_object_or_404(CannedResponse, pk=pk)
    services.canned_response_delete(actor=request.user, pk=canned.pk)  # type: ignore[arg-type]
    messages.success(request, _("Standardsvaret er slettet."))
    return redirect("chat:settings")
