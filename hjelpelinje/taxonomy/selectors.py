"""Reading the code lists."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from hjelpelinje.taxonomy.models import Code, CodeList


def codes(list_name: str, *, active_only: bool = True) -> QuerySet[Code]:
    qs = Code.objects.filter(list=list_name)
    return qs.filter(active=True) if active_only else qs


def code_map(list_name: str) -> dict[str, Code]:
    """Every entry of a list, active or not, by its stable code, in list order."""
    return {c.code: c for c in Code.objects.filter(list=list_name)}


def code_lookup(list_name: str) -> dict[str, Code]:
    """Codes and labels (Norwegian and English), case-insensitive, for imports."""
    lookup: dict[str, Code] = {}
    for c in Code.objects.filter(list=list_name):
        for key in (c.label_en, c.label, c.code):
            if key:
                lookup[key.strip().casefold()] = c
    return lookup


def code_get(list_name: str, code: str) -> Code:
    return Code.objects.get(list=list_name, code=code)


def code_lists_overview() -> list[dict[str, object]]:
    """Every list with its Norwegian name and how many entries are active and in all."""
    counts = {
        row["list"]: row
        for row in Code.objects.values("list").annotate(
            total=Count("id"), active=Count("id", filter=Q(active=True))
        )
    }
    return [
        {
            "name": value,
            "label": label,
            "active": counts.get(value, {}).get("active", 0),
            "total": counts.get(value, {}).get("total", 0),
        }
        for value, label in CodeList.choices
    ]


def code_list_entries(list_name: str) -> list[Code]:
    """Every entry of a list, active or not, in list order; 404 for an unknown list."""
    if list_name not in CodeList.values:
        raise Http404
    return list(Code.objects.filter(list=list_name).order_by("position", "id"))


def code_list_label(list_name: str) -> str:
    return str(CodeList(list_name).label)


def code_in_list(list_name: str, pk: int) -> Code:
    return get_object_or_404(Code, list=list_name, pk=pk)
