"""The `inquiries` block of the statistics (first-time inquiries).

Everything is counted in the database, in two queries whatever the year's size: one pass
over the year's inquiries grouped by country background and relevance, with conditional
counts for every other single-valued field and the months; and one `GROUP BY` of the theme
and referral link rows. The same ORM and SQL run on SQLite.

Year and month bounds are Oslo midnights computed here and compared as instants, so an
inquiry at 00:30 on 1 January in Oslo (23:30 on 31 December in UTC) belongs to the new year,
and daylight saving time needs no special handling in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, Max, Min, Q, QuerySet

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


def _single_valued(
    year: int, lists: dict[str, list[tuple[int, str]]]
) -> tuple[dict[str, int], dict[str, int], int]:
    """Every figure of a single-valued field, in one pass over the year's live inquiries.

    Grouped by country background and relevance (a few hundred groups at most), with
    conditional counts (`COUNT(*) FILTER (WHERE ...)` on PostgreSQL, `CASE` elsewhere) for
    the other fields rather than grouping sets: a plain aggregate, which PostgreSQL can
    split across parallel workers. The groups are summed up here.

    Returns the relevant inquiries' counts (with the smallest and largest id, for
    `_links`), relevant inquiries per country background, and the not-relevant count.
    """
    aggregates: dict[str, Aggregate] = {
        "total": Count("pk"),
        "follow_up": Count("pk", filter=Q(follow_up=True)),
        "duty_to_avert": Count("pk", filter=Q(duty_to_avert=True)),
    }
    for cpk, _channel in lists["channel"]:
        for apk, _age in lists["age_group"]:
            aggregates[f"ca_{cpk}_{apk}"] = Count("pk", filter=Q(channel_id=cpk, age_group_id=apk))
    for field in ("gender", "region", "caller"):
        for pk, _code in lists[field]:
            aggregates[f"{field}_{pk}"] = Count("pk", filter=Q(**{f"{field}_id": pk}))
    starts = [*month_starts(year), year_bounds(year)[1]]
    for month in range(1, 13):
        window = Q(occurred_at__gte=starts[month - 1], occurred_at__lt=starts[month])
        aggregates[f"month_{month}"] = Count("pk", filter=window)
    rows = (
        _year_inquiries(year)
        .values("country_background", "relevant")
        .annotate(min_id=Min("pk"), max_id=Max("pk"), **aggregates)
        .order_by()
    )
    counts = dict.fromkeys(aggregates, 0)
    countries: dict[str, int] = defaultdict(int)
    not_relevant = 0
    ids: list[int] = []
    for row in rows:
        if not row["relevant"]:
            not_relevant += row["total"]
            continue
        for key in counts:
            counts[key] += row[key]
        ids += [row["min_id"], row["max_id"]]
        if row["country_background"]:
            countries[row["country_background"]] += row["total"]
    counts["min_id"], counts["max_id"] = (min(ids), max(ids)) if ids else (0, 0)
    return counts, countries, not_relevant


def _links(year: int, id_range: tuple[int, int]) -> dict[str, dict[int, int]]:
    """Themes and referrals: an inquiry counts once under each code it has.

    Joining a million link rows to a million counted inquiries means a large hash table.
    The join is turned around instead: every counted inquiry's id lies within the id range
    of the year's counted inquiries (from `_single_valued`), so the links in that range are counted,
    less those whose inquiry in the range is not counted (not relevant, deleted, or of
    another year). Those are few, so the hash table is small. One query serves both link
    tables.
    """
    table = Inquiry._meta.db_table
    themes = Inquiry.themes.through._meta.db_table
    referrals = Inquiry.referred_to.through._meta.db_table
    # Raw SQL gets the bounds as the backend stores datetimes (UTC text on SQLite).
    start, end = (connection.ops.adapt_datetimefield_value(b) for b in year_bounds(year))
    lo, hi = id_range
    sql = f"""
        SELECT l.kind, l.code_id, COUNT(*)
        FROM (
            SELECT 1 AS kind, inquiry_id, code_id FROM {themes}
            WHERE inquiry_id BETWEEN %s AND %s
            UNION ALL
            SELECT 2 AS kind, inquiry_id, code_id FROM {referrals}
            WHERE inquiry_id BETWEEN %s AND %s
        ) AS l
        WHERE NOT EXISTS (
            SELECT 1 FROM {table} AS x
            WHERE x.id = l.inquiry_id AND x.id BETWEEN %s AND %s
              AND NOT (x.deleted_at IS NULL AND x.relevant
                       AND x.occurred_at >= %s AND x.occurred_at < %s)
        )
        GROUP BY l.kind, l.code_id
    """
    counts: dict[str, dict[int, int]] = {"theme": {}, "agency": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, [lo, hi, lo, hi, lo, hi, start, end])
        for kind, code_id, n in cursor.fetchall():
            counts["theme" if kind == 1 else "agency"][code_id] = n
    return counts


def _country_key(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def inquiries_block(year: int) -> dict[str, Any]:
    """The year's first-time inquiries; see docs/statistics.md for every key."""
    lists = _code_lists()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # For these few large aggregates only: compiling them (JIT) costs more than it
            # saves, and the join of link rows to inquiries should hash in memory.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        counts, country_counts, not_relevant = _single_valued(year, lists)
        links = _links(year, (counts["min_id"], counts["max_id"])) if counts["total"] else {}

    def code_counts(list_name: str, prefix: str) -> dict[str, int]:
        return {code: counts[f"{prefix}_{pk}"] for pk, code in lists[list_name]}

    def link_counts(list_name: str) -> dict[str, int]:
        found = links.get(list_name, {})
        return {code: found.get(pk, 0) for pk, code in lists[list_name]}

    channel_age: dict[str, dict[str, int]] = {
        channel: {age: counts[f"ca_{cpk}_{apk}"] for apk, age in lists["age_group"]}
        for cpk, channel in lists["channel"]
    }
    blank_country = {"", "unknown", "ukjent"}
    countries = [
        [name, n]
        for name, n in sorted(country_counts.items(), key=_country_key)
        if name.strip().casefold() not in blank_country
    ]
    return {
        "total": counts["total"],
        "not_relevant": not_relevant,
        "by_channel": {channel: sum(ages.values()) for channel, ages in channel_age.items()},
        "by_age_group": {
            age: sum(channel_age[channel][age] for channel in channel_age)
            for _pk, age in lists["age_group"]
        },
        "by_gender": code_counts("gender", "gender"),
        "by_region": code_counts("region", "region"),
        "by_caller": code_counts("caller", "caller"),
        "by_theme": link_counts("theme"),
        "by_month": {f"{year}-{m:02d}": counts[f"month_{m}"] for m in range(1, 13)},
        "by_channel_and_age_group": channel_age,
        "country_backgrounds": countries,
        "follow_up": counts["follow_up"],
        "referrals": link_counts("agency"),
        "duty_to_avert": counts["duty_to_avert"],
    }
