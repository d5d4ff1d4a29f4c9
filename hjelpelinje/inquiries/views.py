"""Pages of the register: record, list, detail, edit, delete, import. Thin on purpose."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.audit.services import audit_record
from hjelpelinje.chat import selectors as chat_selectors
from hjelpelinje.chat import services as chat_services
from hjelpelinje.chat.services import ChatError
from hjelpelinje.core.imports import error_context, import_upload
from hjelpelinje.inquiries import selectors, services
from hjelpelinje.inquiries.countries import country_names
from hjelpelinje.inquiries.forms import DeleteForm, FilterForm, ImportForm, InquiryForm
from hjelpelinje.inquiries.importer import inquiries_import
from hjelpelinje.taxonomy.models import Code

_LAST_SAVED = "inquiries_last_saved"
_LAST_CHANNEL = "inquiries_last_channel"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _form_errors_from(form: InquiryForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require("inquiries.record")
def create(request: HttpRequest) -> HttpResponse:
    """Record one inquiry; after saving, an empty form again for the next one.

    With `?chat=N` (the console's "Registrer henvendelsen" after a chat) the form is
    filled from that chat on the server, saving links the two, and the page it ends on
    says the tab can be closed: it was opened beside the console, which stays open.
    """
    if "chat" in request.GET:
        return _create_from_chat(request, request.GET["chat"])
    last_channel = request.session.get(_LAST_CHANNEL)
    default_channel = (
        Code.objects.filter(pk=last_channel, list="channel", active=True).first()
        if isinstance(last_channel, int)
        else None
    )
    if request.method == "POST":
        form = InquiryForm(request.POST, default_channel=default_channel)
        if form.is_valid():
            try:
                inquiry = services.inquiry_create(actor=_user(request), data=form.data_object())
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                request.session[_LAST_SAVED] = inquiry.pk
                request.session[_LAST_CHANNEL] = inquiry.channel_id
                messages.success(request, _("Henvendelsen er lagret. Klar for neste."))
                return redirect("inquiries:create")
    else:
        form = InquiryForm(default_channel=default_channel)
    last_saved = request.session.get(_LAST_SAVED)
    return render(
        request,
        "inquiries/form.html",
        {
            "form": form,
            "countries": country_names(),
            "last_saved": last_saved,
            "editing": None,
            "unregistered_chats": chat_selectors.chat_unregistered_of(_user(request)),
        },
    )


def _create_from_chat(request: HttpRequest, chat_id: str) -> HttpResponse:
    user = _user(request)
    session = chat_selectors.chat_for_register(user, chat_id)
    if session is None:
        # No such chat, or not one this person had: the same answer for both, so a
        # number typed into the address tells nothing.
        raise Http404
    registered = chat_selectors.chat_registered_inquiry(session)
    form = None
    if registered is None and request.method == "POST":
        form = InquiryForm(request.POST)
        if form.is_valid():
            try:
                inquiry = chat_services.chat_inquiry_register(
                    session_id=session.pk, actor=user, data=form.data_object()
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            except ChatError as error:
                if error.code != "already_registered":
                    raise Http404 from None
                session.refresh_from_db()
                registered = chat_selectors.chat_registered_inquiry(session)
            else:
                request.session[_LAST_SAVED] = inquiry.pk
                messages.success(
                    request,
                    _(
                        "Henvendelsen er lagret og knyttet til chat #%(chat)d. "
                        "Du kan lukke denne fanen; chatkonsollen er åpen i den andre."
                    )
                    % {"chat": session.pk},
                )
                return redirect("inquiries:detail", pk=inquiry.pk)
    if registered is None and form is None:
        form = InquiryForm(initial=chat_selectors.chat_register_initial(session))
    return render(
        request,
        "inquiries/form.html",
        {
            "form": form,
            "countries": country_names(),
            "last_saved": None,
            "editing": None,
            "chat": session,
            "registered": registered,
        },
    )


@require("inquiries.view")
def inquiry_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = selectors.InquiryFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.InquiryFilters(
            year=d.get("year"),
            month=d.get("month"),
            channel=d.get("channel"),
            theme=d.get("theme"),
            follow_up=d.get("follow_up"),
            relevant=d.get("relevant"),
        )
    page = selectors.inquiry_page(
        filters=filters,
        after=selectors.Cursor.decode(request.GET.get("etter")),
        before=selectors.Cursor.decode(request.GET.get("foer")),
    )
    # Keep the filters in the paging links, without the old cursor.
    query = request.GET.copy()
    for key in ("etter", "foer"):
        query.pop(key, None)
    base = query.urlencode()
    return render(
        request,
        "inquiries/list.html",
        {"form": form, "page": page, "base_query": base, "filtered": bool(base)},
    )


@require("inquiries.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_get(pk=pk)
    # The page shows the summary: reading it is an access worth logging.
    audit_record(actor=_user(request), action="inquiry.view", target_type="inquiry", target_id=pk)
    return render(
        request,
        "inquiries/detail.html",
        {
            "inquiry": inquiry,
            "history": selectors.inquiry_history(inquiry=inquiry),
            "chat": chat_selectors.chat_of_inquiry(inquiry.pk),
        },
    )


@require("inquiries.record")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_get(pk=pk)
    if request.method == "POST":
        form = InquiryForm(request.POST, instance=inquiry)
        if form.is_valid():
            try:
                changed = services.inquiry_update(
                    inquiry=inquiry, actor=_user(request), data=form.data_object()
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                if changed:
                    messages.success(request, _("Endringene er lagret."))
                else:
                    messages.info(request, _("Ingenting var endret."))
                return redirect("inquiries:detail", pk=inquiry.pk)
    else:
        form = InquiryForm(instance=inquiry)
    return render(
        request,
        "inquiries/form.html",
        {"form": form, "countries": country_names(), "editing": inquiry, "last_saved": None},
    )


@require("inquiries.delete")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_get(pk=pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_delete(
                inquiry=inquiry, actor=_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("Henvendelse #%(pk)d er slettet.") % {"pk": inquiry.pk})
            return redirect("inquiries:list")
    return render(request, "inquiries/delete.html", {"inquiry": inquiry, "form": form})


@require("inquiries.import")
def import_file(request: HttpRequest) -> HttpResponse:
    form, result = import_upload(
        request,
        ImportForm,
        lambda path, dry_run: inquiries_import(path=path, actor=_user(request), dry_run=dry_run),
    )
    if result is not None and result.ok and not result.dry_run:
        messages.success(
            request, _("%(count)d henvendelser importert.") % {"count": result.created}
        )
        return redirect(reverse("inquiries:list"))
    return render(request, "inquiries/import.html", {"form": form, **error_context(result)})
