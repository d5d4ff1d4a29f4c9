"""The audit log page: who did what to which record, newest first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.audit.forms import AuditFilterForm
from hjelpelinje.audit.labels import action_label, target_label
from hjelpelinje.audit.selectors import AuditFilter, audit_page

PAGE_SIZE = 50


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _page_link(request: HttpRequest, **param: int) -> str:
    query: QueryDict = request.GET.copy()
    query.pop("before", None)
    query.pop("after", None)
    for name, value in param.items():
        query[name] = str(value)
    return "?" + query.urlencode()


@require("audit.view")
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = AuditFilter(
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            actor_id=data["actor"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            flagged_only=data["flagged"],
        )
    else:
        criteria = AuditFilter()
    filtering = form.is_bound and form.is_valid() and criteria != AuditFilter()
    page = audit_page(
        criteria,
        before=_int_param(request, "before"),
        after=_int_param(request, "after"),
        size=PAGE_SIZE,
    )
    # Staff by id, for names on the page: the log itself keeps only the username it had.
    staff = {u.pk: u for u in User.objects.only("id", "username", "first_name", "last_name")}
    rows: list[dict[str, Any]] = []
    for entry in page.entries:
        actor = staff.get(entry.actor_id) if entry.actor_id is not None else None
        target_staff = (
            staff.get(int(entry.target_id))
            if entry.target_type == "staff" and entry.target_id.isdigit()
            else None
        )
        rows.append(
            {
                "entry": entry,
                "actor": actor.display_name if actor else entry.actor_label,
                "actor_username": entry.actor_label,
                "action": action_label(entry.action),
                "target_type": target_label(entry.target_type),
                "target_name": target_staff.display_name if target_staff else "",
            }
        )
    context = {
        "form": form,
        "rows": rows,
        "filtering": filtering,
        "older_link": _page_link(request, before=page.older_than) if page.older_than else "",
        "newer_link": _page_link(request, after=page.newer_than) if page.newer_than else "",
        "first_link": _page_link(request) if page.newer_than else "",
    }
    return render(request, "audit/list.html", context)
