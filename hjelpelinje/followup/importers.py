"""Importing follow-up users and their activities from CSV or XLSX.

All or nothing: every row is checked first, and if any row is wrong nothing is written and
every bad row is named (line, column, value, allowed values). The parsing conventions are
the inquiry import's: a UTF-8 byte-order mark is ignored, `;` or `,` is detected from the
header line, dates are `2023-04-27` or `27.04.2023`, codes may be given as the stable code
or the Norwegian or English label, case-insensitively.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.bounds import date_problem, first_day, last_day
from hjelpelinje.core.tabular import UnreadableFile, column_key, table_rows
from hjelpelinje.core.timeutil import parse_date
from hjelpelinje.followup.models import ConsentMethod, FollowUpUser, Source
from hjelpelinje.followup.selectors import TARGET_TYPE
from hjelpelinje.followup.services import activity_add, user_create, user_inquiry_add
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.selectors import code_lookup

Row = tuple[int, dict[str, str]]
INQUIRY_WORDS = {"henvendelse", "inquiry", "henvendelse fra bruker"}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    message: str
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"linje {self.line}, kolonne «{self.column}», verdi «{self.value}»: {self.message}"
        if self.allowed:
            text += " Tillatt: " + ", ".join(self.allowed)
        return text


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} feil")
        self.errors = errors


def _date(text: str) -> dt.date:
    """A date, also when a spreadsheet appended a midnight time (`2023-04-27 00:00:00`)."""
    try:
        return parse_date(text)
    except ValueError:
        head = text.strip().split(" ", 1)[0]
        if head != text.strip():
            return parse_date(head)
        raise


def _date_error(line: int, column: str, text: str) -> tuple[dt.date | None, RowError | None]:
    """The cell's date, or the error naming it: not a date, or outside the allowed years."""
    try:
        day = _date(text)
    except ValueError:
        return None, RowError(line, column, text, "ikke en dato.", ("2023-04-27", "27.04.2023"))
    problem = date_problem(day)
    if problem is not None:
        span = f"{first_day():%d.%m.%Y}–{last_day():%d.%m.%Y}"
        return None, RowError(line, column, text, problem, (span,))
    return day, None


def read_table(path: Path) -> tuple[list[str], list[Row]]:
    """The header and the rows (with their line number in the file) of a CSV or XLSX file."""
    try:
        rows = list(table_rows(path))
    except UnreadableFile as unreadable:
        raise ImportFailed([RowError(0, "", "", str(unreadable))]) from None
    if not rows:
        return [], []
    header = [column_key(h) for h in rows[0][1]]
    body: list[Row] = []
    for number, cells in rows[1:]:
        if not any(cells):
            continue
        padded = list(cells) + [""] * (len(header) - len(cells))
        body.append((number, {h: padded[i] for i, h in enumerate(header) if h}))
    return header, body


def _require_columns(header: list[str], required: tuple[str, ...]) -> list[RowError]:
    return [
        RowError(1, column, "", "kolonnen mangler.", tuple(required))
        for column in required
        if column not in header
    ]


def _allowed(lookup: dict[str, Code]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.code for c in lookup.values()))


SOURCE_LOOKUP = {
    "housing_programme": Source.HOUSING_PROGRAMME,
    "helpline": Source.HELPLINE,
    "other": Source.OTHER,
    "bo- og støttetilbudet": Source.HOUSING_PROGRAMME,
    "bo- og støttetilbud": Source.HOUSING_PROGRAMME,
    "botilbud": Source.HOUSING_PROGRAMME,
    "hjelpelinja": Source.HELPLINE,
    "hjelpelinjen": Source.HELPLINE,
    "annet": Source.OTHER,
}


@dataclass
class _UserRow:
    reference: str
    consent_on: dt.date
    source: str
    age_group: Code
    gender: Code
    region: Code
    protected_code: str


def import_users(path: Path) -> int:
    """Create one user (with consent) per row; returns how many."""
    header, rows = read_table(path)
    errors = _require_columns(header, ("kode", "samtykke_dato"))
    if errors:
        raise ImportFailed(errors)
    lookups = {
        "alder": code_lookup("age_group"),
        "kjonn": code_lookup("gender"),
        "landsdel": code_lookup("region"),
    }
    existing = {r.casefold() for r in FollowUpUser.objects.values_list("reference", flat=True)}
    seen: dict[str, int] = {}
    parsed: list[_UserRow] = []
    for line, row in rows:
        row_errors: list[RowError] = []
        reference = row.get("kode", "")
        if not reference:
            row_errors.append(RowError(line, "kode", "", "koden mangler."))
        elif reference.casefold() in existing:
            row_errors.append(RowError(line, "kode", reference, "koden finnes allerede."))
        elif reference.casefold() in seen:
            row_errors.append(
                RowError(
                    line,
                    "kode",
                    reference,
                    f"koden står to ganger (også på linje {seen[reference.casefold()]}).",
                )
            )
        else:
            seen[reference.casefold()] = line
        consent_on, date_error = _date_error(line, "samtykke_dato", row.get("samtykke_dato", ""))
        if date_error is not None:
            row_errors.append(date_error)
        source_text = row.get("kilde", "").casefold()
        source = SOURCE_LOOKUP.get(source_text, Source.OTHER if not source_text else None)
        if source is None:
            row_errors.append(
                RowError(
                    line,
                    "kilde",
                    row.get("kilde", ""),
                    "ukjent kilde.",
                    (
                        "housing_programme",
                        "helpline",
                        "other",
                        "bo- og støttetilbudet",
                        "hjelpelinja",
                        "annet",
                    ),
                )
            )
        codes: dict[str, Code] = {}
        for column, lookup in lookups.items():
            text = row.get(column, "")
            code = lookup.get(text.casefold()) if text else lookup.get("unknown")
            if code is None:
                row_errors.append(RowError(line, column, text, "ukjent verdi.", _allowed(lookup)))
            else:
                codes[column] = code
        protected = row.get("sperret_adresse", "")
        # "kode 6" and "Kode 7" are how the registry's codes are usually written.
        if protected.casefold().startswith("kode"):
            protected = protected[4:].strip()
        if protected not in ("", "6", "7"):
            row_errors.append(
                RowError(line, "sperret_adresse", protected, "ukjent sperrekode.", ("", "6", "7"))
            )
        if row_errors:
            errors += row_errors
            continue
        assert consent_on is not None and source is not None
        parsed.append(
            _UserRow(
                reference,
                consent_on,
                source,
                codes["alder"],
                codes["kjonn"],
                codes["landsdel"],
                protected,
            )
        )
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for p in parsed:
            user_create(
                actor=None,
                reference=p.reference,
                consent_given_on=p.consent_on,
                consent_method=ConsentMethod.UNKNOWN,
                age_group=p.age_group,
                gender=p.gender,
                region=p.region,
                source=p.source,
                protected_code=p.protected_code,
            )
    return len(parsed)


@dataclass
class _ActivityRow:
    user: FollowUpUser
    day: dt.date
    category: Code | None  # None: an inquiry from the user
    channel: Code | None
    agency: Code | None


def import_activities(path: Path) -> tuple[int, int]:
    """Add activities and inquiries from users; returns (activities, inquiries)."""
    header, rows = read_table(path)
    errors = _require_columns(header, ("kode", "dato", "kategori"))
    if errors:
        raise ImportFailed(errors)
    users = {
        u.reference.casefold(): u for u in FollowUpUser.objects.filter(withdrawn_at__isnull=True)
    }
    activities = code_lookup("activity")
    channels = code_lookup("channel")
    agencies = code_lookup("agency")
    category_allowed = (*_allowed(activities), "henvendelse")
    parsed: list[_ActivityRow] = []
    for line, row in rows:
        row_errors: list[RowError] = []
        reference = row.get("kode", "")
        user = users.get(reference.casefold())
        if user is None:
            row_errors.append(RowError(line, "kode", reference, "ingen bruker med denne koden."))
        day, date_error = _date_error(line, "dato", row.get("dato", ""))
        if date_error is not None:
            row_errors.append(date_error)
        category_text = row.get("kategori", "")
        is_inquiry = category_text.casefold() in INQUIRY_WORDS
        category = None if is_inquiry else activities.get(category_text.casefold())
        if not is_inquiry and category is None:
            row_errors.append(
                RowError(line, "kategori", category_text, "ukjent kategori.", category_allowed)
            )
        channel: Code | None = None
        channel_text = row.get("kanal", "")
        # The channel is only read for an inquiry; an activity has none.
        if is_inquiry and channel_text:
            channel = channels.get(channel_text.casefold())
            if channel is None:
                row_errors.append(
                    RowError(line, "kanal", channel_text, "ukjent kanal.", _allowed(channels))
                )
        agency: Code | None = None
        agency_text = row.get("instans", "")
        if agency_text and not is_inquiry:
            agency = agencies.get(agency_text.casefold())
            if agency is None:
                row_errors.append(
                    RowError(line, "instans", agency_text, "ukjent instans.", _allowed(agencies))
                )
        if row_errors:
            errors += row_errors
            continue
        assert user is not None and day is not None
        parsed.append(_ActivityRow(user, day, category, channel, agency))
    if errors:
        raise ImportFailed(errors)
    counts = [0, 0]
    touched: dict[int, set[str]] = defaultdict(set)
    with transaction.atomic():
        for p in parsed:
            if p.category is None:
                user_inquiry_add(
                    actor=None, user=p.user, occurred_on=p.day, channel=p.channel, audit=False
                )
                counts[1] += 1
                touched[p.user.pk].add("inquiry")
            else:
                activity_add(
                    actor=None,
                    user=p.user,
                    category=p.category,
                    done_on=p.day,
                    agency=p.agency,
                    audit=False,
                )
                counts[0] += 1
                touched[p.user.pk].add("activity")
        # One audit entry per user rather than per row: who imported what into whom.
        for pk, fields in sorted(touched.items()):
            audit_record(
                actor=None,
                action="followup.import",
                target_type=TARGET_TYPE,
                target_id=pk,
                fields=fields,
            )
    return counts[0], counts[1]
