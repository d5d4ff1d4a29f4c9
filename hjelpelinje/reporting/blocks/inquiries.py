"""The `inquiries` block of the statistics (first-time inquiries).

Everything is counted in the database. On PostgreSQL one scan of the year's inquiries
answers every single-column breakdown at once (`GROUP BY GROUPING SETS`), and one more
query counts themes and referrals through their link tables. SQLite has no grouping sets,
so there the same figures come from one fine-grained `GROUP BY` (at most a few thousand
groups, never rows) summed up here, plus one `GROUP BY` for country backgrounds.

Year and month bounds are Oslo midnights computed here and compared as instants, so an
inquiry at 00:30 on 1 January in Oslo (23:30 on 31 December in UTC) belongs to the new year,
and daylight saving time needs no special handling in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from hjelpelinje.core.timeutil import oslo_midnight, year_bounds
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code

# The code lists the block reports on, and the key each one's map has in the JSON.
LISTS = {
    "channel": "by_channel",
    "age_group": "by_age_group",
    "gender": "by_gender",
    "region": "by_region",
    "caller": "by_caller",
    "theme": "by_theme",
    "agency": "referrals",
}
# The foreign keys of an inquiry broken down one at a time, with the list each points into.
SINGLE = [("gender", "gender"), ("region", "region"), ("caller", "caller")]


def round_percent(part: int, whole: int) -> int:
    """A share in whole percent as the annual report rounds it: halves up, 0 of nothing."""
    if not whole:
        return 0
    return int((Decimal(part * 100) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def format_percent(part: int, whole: int) -> str:
    """Norwegian style, with a space before the sign: "56 %"."""
    return f"{round_percent(part, whole)} %"


def month_starts(year: int) -> list[dt.datetime]:
    """The first instant of each month of the year in Oslo time (12 values)."""
    return [oslo_midnight(dt.date(year, month, 1)) for month in range(1, 13)]


def _code_lists() -> dict[str, list[tuple[int, str]]]:
    """(id, code) of every entry, active or not, per list, in list order."""
    lists: dict[str, list[tuple[int, str]]] = {name: [] for name in LISTS}
    rows = Code.objects.filter(list__in=LISTS).order_by("list", "position", "id")
    for pk, list_name, code in rows.values_list("id", "list", "code"):
        lists[list_name].append((pk, code))
    return lists


def _year_inquiries(year: int) -> QuerySet[Inquiry]:
    start, end = year_bounds(year)
    return Inquiry.objects.live().filter(occurred_at__gte=start, occurred_at__lt=end)


class _Tally:
    """Counts per grouping, filled from whichever backend's query ran."""

    def __init__(self) -> None:
        self.total = 0
        self.not_relevant = 0
        self.follow_up = 0
        self.duty_to_avert = 0
        self.by: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
        self.channel_age: dict[tuple[int, int], int] = defaultdict(int)
        self.countries: dict[str, int] = defaultdict(int)


def _tally_postgresql(year: int, tally: _Tally) -> None:
    table = Inquiry._meta.db_table
    start, end = year_bounds(year)
    # GROUPING(...) gives a bit per column, 1 when the column is rolled up in that row:
    # bit 6 is channel ... bit 0 is country background. The empty set () is the totals row.
    sql = f"""
        WITH y AS (
            SELECT channel_id, age_group_id, gender_id, region_id, caller_id,
                   country_background, relevant, follow_up, duty_to_avert,
                   width_bucket(occurred_at, %s::timestamptz[]) AS month
            FROM {table}
            WHERE deleted_at IS NULL AND occurred_at >= %s AND occurred_at < %s
        )
        SELECT GROUPING(channel_id, age_group_id, gender_id, region_id, caller_id, month,
                        country_background),
               channel_id, age_group_id, gender_id, region_id, caller_id, month,
               country_background,
               COUNT(*) FILTER (WHERE relevant),
               COUNT(*) FILTER (WHERE NOT relevant),
               COUNT(*) FILTER (WHERE relevant AND follow_up),
               COUNT(*) FILTER (WHERE relevant AND duty_to_avert)
        FROM y
        GROUP BY GROUPING SETS ((channel_id, age_group_id), (gender_id), (region_id),
                               (caller_id), (month), (country_background), ())
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [month_starts(year), start, end])
        rows = cursor.fetchall()
    for grouping, channel, age, gender, region, caller, month, country, n, nr, fu, dta in rows:
        if grouping == 0b1111111:
            tally.total, tally.not_relevant, tally.follow_up, tally.duty_to_avert = n, nr, fu, dta
        elif grouping == 0b0011111:
            tally.channel_age[(channel, age)] += n
        elif grouping == 0b1101111:
            tally.by["gender"][gender] += n
        elif grouping == 0b1110111:
            tally.by["region"][region] += n
        elif grouping == 0b1111011:
            tally.by["caller"][caller] += n
        elif grouping == 0b1111101:
            tally.by["month"][month] += n
        elif grouping == 0b1111110 and country and n:
            tally.countries[country] += n


def _tally_portable(year: int, tally: _Tally) -> None:
    """The same figures without grouping sets: one fine GROUP BY, summed up here."""
    starts = month_starts(year)
    month = Case(
        *(When(occurred_at__lt=starts[i + 1], then=Value(i + 1)) for i in range(11)),
        default=Value(12),
        output_field=IntegerField(),
    )
    rows = (
        _year_inquiries(year)
        .annotate(month=month)
        .values("channel_id", "age_group_id", "gender_id", "region_id", "caller_id", "month")
        .annotate(
            n=Count("pk", filter=Q(relevant=True)),
            nr=Count("pk", filter=Q(relevant=False)),
            fu=Count("pk", filter=Q(relevant=True, follow_up=True)),
            dta=Count("pk", filter=Q(relevant=True, duty_to_avert=True)),
        )
        .order_by()
    )
    for row in rows:
        n = row["n"]
        tally.total += n
        tally.not_relevant += row["nr"]
        tally.follow_up += row["fu"]
        tally.duty_to_avert += row["dta"]
        tally.channel_age[(row["channel_id"], row["age_group_id"])] += n
        tally.by["gender"][row["gender_id"]] += n
        tally.by["region"][row["region_id"]] += n
        tally.by["caller"][row["caller_id"]] += n
        tally.by["month"][row["month"]] += n
    countries = (
        _year_inquiries(year)
        .filter(relevant=True)
        .exclude(country_background="")
        .values("country_background")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in countries:
        tally.countries[row["country_background"]] += row["n"]


def _tally_links(year: int, tally: _Tally) -> None:
    """Themes and referrals: an inquiry counts once under each code it has."""
    for name, field in (("theme", "themes"), ("agency", "referred_to")):
        through = getattr(Inquiry, field).through
        rows = (
            through.objects.filter(inquiry__in=_year_inquiries(year).filter(relevant=True))
            .values("code_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            tally.by[name][row["code_id"]] += row["n"]


def _country_key(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def inquiries_block(year: int) -> dict[str, Any]:
    """The year's first-time inquiries; see docs/statistics.md for every key."""
    tally = _Tally()
    if connection.vendor == "postgresql":
        _tally_postgresql(year, tally)
    else:
        _tally_portable(year, tally)
    _tally_links(year, tally)
    lists = _code_lists()

    def code_counts(list_name: str, counts: dict[Any, int]) -> dict[str, int]:
        return {code: counts.get(pk, 0) for pk, code in lists[list_name]}

    channel_age: dict[str, dict[str, int]] = {
        channel: {age: tally.channel_age.get((cpk, apk), 0) for apk, age in lists["age_group"]}
        for cpk, channel in lists["channel"]
    }
    by_channel = {channel: sum(ages.values()) for channel, ages in channel_age.items()}
    by_age_group = {
        age: sum(channel_age[channel][age] for channel in channel_age)
        for _pk, age in lists["age_group"]
    }
    blank_country = {"", "unknown", "ukjent"}
    countries = [
        [name, n]
        for name, n in sorted(tally.countries.items(), key=_country_key)
        if n and name.strip().casefold() not in blank_country
    ]
    return {
        "total": tally.total,
        "not_relevant": tally.not_relevant,
        "by_channel": by_channel,
        "by_age_group": by_age_group,
        "by_gender": code_counts("gender", tally.by["gender"]),
        "by_region": code_counts("region", tally.by["region"]),
        "by_caller": code_counts("caller", tally.by["caller"]),
        "by_theme": code_counts("theme", tally.by["theme"]),
        "by_month": {f"{year}-{m:02d}": tally.by["month"].get(m, 0) for m in range(1, 13)},
        "by_channel_and_age_group": channel_age,
        "country_backgrounds": countries,
        "follow_up": tally.follow_up,
        "referrals": code_counts("agency", tally.by["agency"]),
        "duty_to_avert": tally.duty_to_avert,
    }
