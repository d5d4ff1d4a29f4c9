"""Reading the code lists."""

from __future__ import annotations

from django.db.models import QuerySet

from hjelpelinje.taxonomy.models import Code


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
