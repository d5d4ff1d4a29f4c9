"""The import of daily visit counts from the years before Hjelpelinje counted them.

One file of `date,page_views,visits` rows: either every row is right and all of them are
stored, or nothing is and every bad row is named with its line and why (docs/visits.md).
A day that was imported before is replaced, and the result says how many were.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.tabular import UnreadableFile, column_key, table_rows
from hjelpelinje.site.visits.models import ImportedDay

# The column names a file may use, by what they mean (after `column_key`).
COLUMNS = {
    "date": ("date", "dato", "day", "dag"),
    "page_views": ("page_views", "pageviews", "sidevisninger", "visninger"),
    "visits": ("visits", "besok", "sessions", "okter"),
}
MAX_COUNT = 2_147_483_647  # what the database's integer column holds
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass
class RowError:
    line: int
    message: str
    column: str = ""
    value: str = ""
    allowed: str = ""


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(text: str) -> dt.date | None:
    """`2023-04-27` or `27.04.2023`; None if it is neither or no such day."""
    try:
        if ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
        match = NORWEGIAN_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _count(text: str) -> int | None:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not cleaned.isdigit():
        return None
    value = int(cleaned)
    return value if value <= MAX_COUNT else None


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    keys = [column_key(c) for c in cells]
    where: dict[str, int] = {}
    errors: list[RowError] = []
    for name, aliases in COLUMNS.items():
        found = [i for i, k in enumerate(keys) if k in aliases]
        if not found:
            errors.append(
                RowError(
                    1,
                    _("Overskriftsraden mangler kolonnen %(column)s.") % {"column": name},
                    allowed="date, page_views, visits",
                )
            )
        elif len(found) > 1:
            errors.append(
                RowError(1, _("Kolonnen %(column)s står flere ganger.") % {"column": name})
            )
        else:
            where[name] = found[0]
    return where, errors


def parse_rows(path: Path) -> tuple[list[tuple[int, dt.date, int, int]], list[RowError]]:
    """The file's rows as (line, day, page views, visits), or the errors in it."""
    first_day = dt.date(int(settings.HJELPELINJE_FIRST_YEAR), 1, 1)
    today = timezone.localdate()
    rows: list[tuple[int, dt.date, int, int]] = []
    errors: list[RowError] = []
    seen: dict[dt.date, int] = {}
    where: dict[str, int] | None = None
    try:
        for line, cells in table_rows(path):
            if not any(cells):
                continue
            if where is None:
                where, header_errors = _header(cells)
                if header_errors:
                    return [], header_errors
                continue

            columns: dict[str, int] = where

            def cell(name: str, cells: list[str] = cells, columns: dict[str, int] = columns) -> str:
                index = columns[name]
                return cells[index].strip() if index < len(cells) else ""

            row_ok = True
            day_text = cell("date")
            day = parse_date(day_text)
            if day is None:
                errors.append(
                    RowError(
                        line,
                        _("Ukjent dato."),
                        "date",
                        day_text,
                        _("ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ"),
                    )
                )
                row_ok = False
            elif day > today:
                errors.append(RowError(line, _("Datoen er i fremtiden."), "date", day_text))
                row_ok = False
            elif day < first_day:
                errors.append(
                    RowError(
                        line,
                        _("Datoen er før %(year)d.") % {"year": first_day.year},
                        "date",
                        day_text,
                    )
                )
                row_ok = False
            elif day in seen:
                errors.append(
                    RowError(
                        line,
                        _("Datoen står også på linje %(line)d.") % {"line": seen[day]},
                        "date",
                        day_text,
                    )
                )
                row_ok = False
            else:
                seen[day] = line
            counts: dict[str, int] = {}
            for name in ("page_views", "visits"):
                text = cell(name)
                value = _count(text)
                if value is None:
                    errors.append(
                        RowError(
                            line,
                            _("Må være et helt tall, 0 eller større."),
                            name,
                            text,
                        )
                    )
                    row_ok = False
                else:
                    counts[name] = value
            if row_ok and day is not None:
                rows.append((line, day, counts["page_views"], counts["visits"]))
    except UnreadableFile as exc:
        return [], [RowError(0, str(exc))]
    if where is None:
        errors.append(
            RowError(1, _("Filen er tom: den trenger en overskriftsrad og minst én rad."))
        )
    elif not rows and not errors:
        errors.append(RowError(2, _("Filen har ingen rader under overskriften.")))
    return rows, errors


def visits_import(*, path: Path, actor: Any | None, dry_run: bool = False) -> ImportResult:
    """Check the file and, if every row is right, store its days (replacing those there)."""
    rows, errors = parse_rows(path)
    result = ImportResult(rows=len(rows), errors=errors, dry_run=dry_run)
    if errors:
        return result
    days = [row[1] for row in rows]
    result.first, result.last = min(days), max(days)
    result.replaced = ImportedDay.objects.filter(day__in=days).count()
    result.created = len(rows) - result.replaced
    if dry_run:
        return result
    with transaction.atomic():
        ImportedDay.objects.filter(day__in=days).delete()
        ImportedDay.objects.bulk_create(
            [ImportedDay(day=row[1], page_views=row[2], visits=row[3]) for row in rows],
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            action="visits.import",
            target_type="website",
            reason=_(
                "%(count)d dager med besøkstall importert (%(first)s–%(last)s), "
                "%(replaced)d av dem erstattet"
            )
            % {
                "count": len(rows),
                "first": result.first.strftime("%d.%m.%Y"),
                "last": result.last.strftime("%d.%m.%Y"),
                "replaced": result.replaced,
            },
        )
        transaction.on_commit(_invalidate_statistics)
    return result


def _invalidate_statistics() -> None:
    from hjelpelinje.reporting.cache import stats_invalidate

    stats_invalidate()
