"""Importing past years' inquiries from a spreadsheet (CSV or XLSX).

All or nothing: every row is parsed and checked first, every problem is collected, and
only a file without a single error is written, in one transaction with bulk inserts. The
format is documented in docs/import.md ("First-time inquiries").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.bounds import date_problem, first_day, last_day
from hjelpelinje.core.tabular import UnreadableFile, column_key, table_rows
from hjelpelinje.core.timeutil import OSLO, parse_date
from hjelpelinje.inquiries.countries import UnknownCountry, normalise_country
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.signals import inquiries_imported
from hjelpelinje.taxonomy.models import Code

# Column -> code list, for the columns holding one code.
SINGLE = {
    "kanal": "channel",
    "alder": "age_group",
    "kjonn": "gender",
    "landsdel": "region",
    "henvender": "caller",
}
# Columns holding several codes separated by "|".
MANY = {"tema": "theme", "henvist_til": "agency"}
YES_NO_COLUMNS = {"relevant": True, "oppfolging": False, "avvergeplikt": False}
COLUMNS = [
    "dato",
    "kanal",
    "relevant",
    "alder",
    "kjonn",
    "landsdel",
    "landbakgrunn",
    "henvender",
    "tema",
    "oppfolging",
    "henvist_til",
    "avvergeplikt",
]
REQUIRED = ("dato", "kanal")
YES = {"ja", "j", "yes", "y", "true", "1", "x"}
NO = {"nei", "n", "no", "false", "0"}
_ALIASES = {
    "unknown": ("ukjent", "ikke oppgitt", "ikke kjent", "vet ikke", "unknown"),
    "other": ("annen", "annet", "andre", "other"),
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    message: str
    allowed: str = ""


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows read and found good; equals `created` unless this was a dry run.
    rows: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Bad(Exception):
    """A whole-file problem (not a spreadsheet, no header): reported on line 0 or 1."""

    def __init__(self, error: RowError) -> None:
        self.error = error


class _Lookups:
    """Every code list read once; every cell value looked up in a dict, cached by text."""

    def __init__(self) -> None:
        # Text (code or label, casefolded) -> the code's id.
        self.codes: dict[str, dict[str, int]] = {}
        self.allowed: dict[str, str] = {}
        by_list: dict[str, list[Code]] = {}
        for code in Code.objects.order_by("list", "position", "id"):
            by_list.setdefault(code.list, []).append(code)
        for list_name, entries in by_list.items():
            lookup: dict[str, int] = {}
            for c in entries:
                for key in (c.label_en, c.label, c.code):
                    if key:
                        lookup[key.strip().casefold()] = c.pk
            # Everyday words for the catch-all entries, where the list has them and no
            # label already means something else: past years' sheets write "ukjent" for
            # a gender nobody gave, or "annet" for any other theme.
            for alias_code, aliases in _ALIASES.items():
                target = next((c.pk for c in entries if c.code == alias_code), None)
                if target is not None:
                    for alias in aliases:
                        lookup.setdefault(alias, target)
            self.codes[list_name] = lookup
            self.allowed[list_name] = ", ".join(
                c.code if c.label.casefold() == c.code.casefold() else f"{c.code} ({c.label})"
                for c in entries
            )

    def unknown(self, list_name: str) -> int | None:
        return self.codes.get(list_name, {}).get("unknown")


def _yes_no(text: str, default: bool) -> bool | None:
    key = text.casefold()
    if not key:
        return default
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def _header(line: int, cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    allowed = ", ".join(COLUMNS)
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        key = column_key(cell)
        if key not in COLUMNS:
            errors.append(RowError(line, cell, cell, _("Ukjent kolonne."), allowed))
        elif key in positions:
            errors.append(RowError(line, cell, cell, _("Kolonnen finnes to ganger."), allowed))
        else:
            positions[key] = index
    for required in REQUIRED:
        if required not in positions:
            errors.append(RowError(line, required, "", _("Kolonnen mangler."), allowed))
    return positions, errors


class _Parsed(NamedTuple):
    # In the order of _INSERT_COLUMNS, without the two timestamps added at write time.
    values: tuple[Any, ...]
    themes: tuple[int, ...]
    referred_to: tuple[int, ...]


class _Problem(NamedTuple):
    value: str
    message: str
    allowed: str


# What a cell means: (value, problems). Cached per column and raw text, so each distinct
# text is parsed once however many rows repeat it.
_Verdict = tuple[Any, tuple[_Problem, ...]]

# The columns whose values go into the inquiry row, in the order of _INSERT_COLUMNS.
_VALUE_COLUMNS = (
    "dato",
    "kanal",
    "relevant",
    "alder",
    "kjonn",
    "landsdel",
    "henvender",
    "landbakgrunn",
    "oppfolging",
    "avvergeplikt",
)


def _readers(lookups: _Lookups) -> dict[str, Callable[[str], _Verdict]]:
    """For each column, the function that reads one cell's raw text."""

    def date(raw: str) -> _Verdict:
        text = raw.strip()
        try:
            day = parse_date(text)
        except ValueError:
            return None, (_Problem(text, _("Ugyldig dato."), "2023-04-27, 27.04.2023"),)
        problem = date_problem(day)
        if problem is not None:
            span = f"{first_day():%d.%m.%Y}–{last_day():%d.%m.%Y}"
            return None, (_Problem(text, problem, span),)
        # A spreadsheet has the day only: noon Oslo time never slips into the day
        # before or after, whatever the daylight-saving rules do.
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=OSLO)
        return connection.ops.adapt_datetimefield_value(noon), ()

    def single(column: str, list_name: str) -> Callable[[str], _Verdict]:
        codes = lookups.codes.get(list_name, {})
        allowed = lookups.allowed.get(list_name, "")

        def read(raw: str) -> _Verdict:
            text = raw.strip()
            if not text:
                if column in REQUIRED or "unknown" not in codes:
                    return None, (_Problem("", _("Mangler verdi."), allowed),)
                return codes["unknown"], ()
            found = codes.get(text.casefold())
            if found is None:
                return None, (_Problem(text, _("Ukjent verdi."), allowed),)
            return found, ()

        return read

    def many(list_name: str) -> Callable[[str], _Verdict]:
        codes = lookups.codes.get(list_name, {})
        allowed = lookups.allowed.get(list_name, "")

        def read(raw: str) -> _Verdict:
            ids: list[int] = []
            problems: list[_Problem] = []
            for part in raw.split("|"):
                part = part.strip()
                if not part:
                    continue
                found = codes.get(part.casefold())
                if found is None:
                    problems.append(_Problem(part, _("Ukjent verdi."), allowed))
                elif found not in ids:
                    ids.append(found)
            return tuple(ids), tuple(problems)

        return read

    def yes_no(default: bool) -> Callable[[str], _Verdict]:
        def read(raw: str) -> _Verdict:
            text = raw.strip()
            flag = _yes_no(text, default)
            if flag is None:
                return None, (_Problem(text, _("Skriv ja eller nei."), "ja, nei"),)
            return flag, ()

        return read

    def country(raw: str) -> _Verdict:
        text = raw.strip()
        try:
            return normalise_country(text), ()
        except UnknownCountry:
            allowed = _("landets navn på norsk eller engelsk, eller ISO-kode (PK, PAK)")
            return None, (_Problem(text, _("Ukjent land."), allowed),)

    readers: dict[str, Callable[[str], _Verdict]] = {"dato": date, "landbakgrunn": country}
    for column, list_name in SINGLE.items():
        readers[column] = single(column, list_name)
    for column, list_name in MANY.items():
        readers[column] = many(list_name)
    for column, default_flag in YES_NO_COLUMNS.items():
        readers[column] = yes_no(default_flag)
    return readers


def _parse(
    rows: Iterable[tuple[int, list[str]]], lookups: _Lookups, actor: User | None
) -> tuple[list[_Parsed], list[RowError]]:
    errors: list[RowError] = []
    parsed: list[_Parsed] = []
    iterator = iter(rows)
    positions: dict[str, int] | None = None
    for line, cells in iterator:
        if not "".join(cells).strip():
            continue
        positions, header_errors = _header(line, cells)
        if header_errors:
            return [], header_errors
        break
    if positions is None:
        return [], [RowError(1, "", "", _("Filen er tom: den trenger en overskriftsrad."))]

    readers = _readers(lookups)
    width = max(positions.values()) + 1
    # A column the file lacks reads index -1: the empty sentinel appended to every row.
    plan: list[tuple[int, dict[str, _Verdict], Callable[[str], _Verdict], str]] = [
        (positions.get(name, -1), {}, readers[name], name)
        for name in (*_VALUE_COLUMNS, "tema", "henvist_til")
    ]
    tail = (actor.pk if actor is not None else None, "", "")
    for line, cells in iterator:
        if not "".join(cells).strip():
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells.append("")
        values: list[Any] = []
        bad: list[RowError] = []
        for index, cache, read, name in plan:
            raw = cells[index]
            verdict: _Verdict | None = cache.get(raw)
            if verdict is None:
                verdict = cache[raw] = read(raw)
            value, problems = verdict
            for problem in problems:
                bad.append(RowError(line, name, *problem))
            values.append(value)
        if bad:
            errors.extend(bad)
            continue
        *row, themes, referred_to = values
        parsed.append(_Parsed(values=(*row, *tail), themes=themes, referred_to=referred_to))
    return parsed, errors


_INSERT_COLUMNS = (
    "occurred_at",
    "channel",
    "relevant",
    "age_group",
    "gender",
    "region",
    "caller",
    "country_background",
    "follow_up",
    "duty_to_avert",
    "created_by",
    "summary",
    "deletion_reason",
    "created_at",
    "updated_at",
)


def _model_field(model_field: object) -> Field[Any, Any]:
    assert isinstance(model_field, Field)
    return model_field


def _column(model_field: object) -> str:
    column = _model_field(model_field).column
    assert column
    return column


def _max_params() -> int:
    """How many bound parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        raw = connection.connection
        if hasattr(raw, "getlimit"):
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999
    return 65535


def _write(parsed: list[_Parsed], progress: Any | None) -> int:
    """Store the checked rows, inside the caller's transaction, as fast as the backend allows.

    The ORM's bulk_create spends most of its time preparing each value of each object, and
    Django's cursor wrappers rewrite or log every statement; the importer has already
    checked and adapted every value, so it sends plain tuples straight to the driver on
    the same connection. PostgreSQL gets COPY; SQLite multi-row INSERTs.
    """
    connection.ensure_connection()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        return _write_postgresql(parsed, progress, now)
    return _write_inserts(parsed, progress, now)


_PROGRESS_STEP = 5000


def _write_postgresql(parsed: list[_Parsed], progress: Any | None, now: Any) -> int:
    """COPY the inquiries with ids drawn from their sequence beforehand, then the links.

    Drawing the ids first (one `nextval` per row in one statement) lets the theme and
    referral rows be copied too, without reading anything back.
    """
    meta = Inquiry._meta
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(c) for c in ["id", *(_column(meta.get_field(n)) for n in _INSERT_COLUMNS)]
    )
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(parsed)],
        )
        ids = [r[0] for r in cursor.fetchall()]
        with cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for n, (pk, row) in enumerate(zip(ids, parsed, strict=True), start=1):
                copy.write_row((pk, *row.values, now, now))
                if progress is not None and n % _PROGRESS_STEP == 0:
                    progress.update(_PROGRESS_STEP)
        for field_name in ("themes", "referred_to"):
            table = qn(getattr(Inquiry, field_name).through._meta.db_table)
            sql = f"COPY {table} ({qn('inquiry_id')}, {qn('code_id')}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for pk, row in zip(ids, parsed, strict=True):
                    for code_id in getattr(row, field_name):
                        copy.write_row((pk, code_id))
    if progress is not None:
        progress.update(len(parsed) % _PROGRESS_STEP)
    return len(parsed)


def _write_inserts(parsed: list[_Parsed], progress: Any | None, now: Any) -> int:
    """Multi-row INSERTs; the ids come back through RETURNING in insertion order (SQLite
    3.35+), as Django's own bulk_create relies on; theme and referral rows follow with
    executemany."""
    meta = Inquiry._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(_column(meta.get_field(name))) for name in _INSERT_COLUMNS)
    per_row = len(_INSERT_COLUMNS)
    rows_per_insert = max(1, min(2000, _max_params() // per_row))
    one = "(" + ", ".join(["?"] * per_row) + ")"
    links = []
    for field_name in ("themes", "referred_to"):
        through = getattr(Inquiry, field_name).through
        links.append(
            f"INSERT INTO {qn(through._meta.db_table)} ({qn('inquiry_id')}, {qn('code_id')}) "
            "VALUES (?, ?)"
        )
    created = 0
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(parsed), rows_per_insert):
            chunk = parsed[start : start + rows_per_insert]
            params: list[Any] = []
            for row in chunk:
                params.extend(row.values)
                params.append(now)
                params.append(now)
            sql = (
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "
                + ", ".join([one] * len(chunk))
                + f" RETURNING {qn('id')}"
            )
            cursor.execute(sql, params)
            ids = [r[0] for r in cursor.fetchall()]
            if len(ids) != len(chunk):
                raise RuntimeError("the database returned fewer ids than rows inserted")
            themes = [(pk, c) for row, pk in zip(chunk, ids, strict=True) for c in row.themes]
            referrals = [
                (pk, c) for row, pk in zip(chunk, ids, strict=True) for c in row.referred_to
            ]
            for sql_link, pairs in ((links[0], themes), (links[1], referrals)):
                if pairs:
                    cursor.executemany(sql_link, pairs)
            created += len(chunk)
            if progress is not None:
                progress.update(len(chunk))
    finally:
        cursor.close()
    return created


def inquiries_import(
    *, path: Path, actor: User | None, dry_run: bool = False, progress: bool = False
) -> ImportResult:
    """Read, check and (unless `dry_run` or anything is wrong) store every row of `path`."""
    result = ImportResult(dry_run=dry_run)
    lookups = _Lookups()
    try:
        rows: Iterable[tuple[int, list[str]]] = table_rows(path)
        if progress:
            from tqdm import tqdm

            rows = tqdm(rows, unit=" rader", desc=_("Leser"))
        parsed, errors = _parse(rows, lookups, actor)
    except UnreadableFile as unreadable:
        result.errors.append(RowError(0, "", "", str(unreadable)))
        return result
    except _Bad as bad:
        result.errors.append(bad.error)
        return result
    result.errors = errors
    result.rows = len(parsed)
    # In time order, so ids follow the calendar and the (occurred_at, id) index grows at
    # its end instead of splitting pages all over; the sort is stable within a day.
    parsed.sort(key=lambda row: row.values[0])
    if errors or dry_run or not parsed:
        return result

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(parsed), unit=" rader", desc=_("Lagrer"))
    try:
        with transaction.atomic():
            result.created = _write(parsed, bar)
            audit_record(
                actor=actor,
                action="inquiry.import",
                target_type="inquiry",
                reason=_("%(count)d henvendelser importert") % {"count": result.created},
            )
            # The rows went in without the ORM, so no post_save was sent for them.
            created = result.created
            transaction.on_commit(lambda: inquiries_imported.send(sender=Inquiry, count=created))
    finally:
        if bar is not None:
            bar.close()
    return result
