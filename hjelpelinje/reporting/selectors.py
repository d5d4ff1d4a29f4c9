"""Reading what the report and the dashboard need: the statistics result and the manager's texts.

The report never queries inquiries, users or campaigns itself; it reads
`statistics.year_statistics(year)` (looked up on the module at call time, so tests and
benchmarks can stand in for it) and the code labels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from hjelpelinje.reporting import statistics
from hjelpelinje.reporting.cache import cached_year_statistics
from hjelpelinje.reporting.figures import Labels
from hjelpelinje.reporting.models import ManagerText
from hjelpelinje.reporting.report.assembly import TEXT_FIELDS, build_report
from hjelpelinje.reporting.report.document import Report


def manager_texts(year: int) -> dict[str, str]:
    row = ManagerText.objects.filter(year=year).first()
    return row.as_dict() if row else dict.fromkeys(TEXT_FIELDS, "")


def year_stats(year: int) -> dict[str, Any]:
    return statistics.year_statistics(year)


def dashboard_stats(year: int, *, refresh: bool = False) -> tuple[dict[str, Any], dt.datetime]:
    """The dashboard's figures from the shared cache, and when they were computed."""
    return cached_year_statistics(year, refresh=refresh)


def stats_hash(stats: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(stats, sort_keys=True, default=str).encode()).hexdigest()


def annual_report(year: int, *, min_count: int = 0) -> Report:
    return build_report(
        year_stats(year), manager_texts(year), Labels.from_database(), min_count=min_count
    )
