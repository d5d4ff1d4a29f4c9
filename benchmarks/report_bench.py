"""The annual report and the dashboard for a year of 1,000,000 inquiries.

The report reads only the statistics dict, so its cost is the statistics (measured by the
stats bench on PostgreSQL) plus the rendering measured here, from a dict at the scale of a
million inquiries. Figures, not pass/fail: targets are a full PDF under 15 s and the
dashboard page under 1 s.

    python -c "import benchmarks.report_bench as b; b.run()"
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from benchmarks.registry import benchmark

SCALE = 1_000_000


def _scaled(block: dict[str, Any], total: int) -> dict[str, Any]:
    """The 2023 example's proportions at `total` inquiries, with many country backgrounds."""
    factor = total / block["total"]

    def scale(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return round(value * factor)
        if isinstance(value, dict):
            return {k: scale(v) for k, v in value.items()}
        return value

    out = {k: scale(v) for k, v in block.items() if k != "country_backgrounds"}
    out["total"] = total
    import pycountry

    names = sorted(c.name for c in pycountry.countries)
    out["country_backgrounds"] = [
        [name, max(1, total // (50 * (i + 1)))] for i, name in enumerate(names)
    ]
    return out


def million_stats() -> dict[str, Any]:
    from hjelpelinje.reporting.tests.example_stats import full_2023

    stats = full_2023()
    stats["inquiries"] = _scaled(stats["inquiries"], SCALE)
    stats["previous_year"]["inquiries"] = _scaled(stats["previous_year"]["inquiries"], SCALE // 3)
    follow_up = stats["follow_up"]
    follow_up["user_inquiries"] *= 100
    return stats


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.test_settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


CPU: dict[str, float] = {}


def _timed(fn: Any, name: str | None = None) -> tuple[float, Any]:
    """Wall-clock seconds; the CPU seconds go to CPU[name] (fairer on a shared machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    if name:
        CPU[name] = time.process_time() - cpu
    return time.perf_counter() - started, result


def _dashboard_request() -> Any:
    from django.contrib.auth.models import AnonymousUser  # noqa: F401 - keeps auth loaded
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from hjelpelinje.accounts.models import Role, User

    request = RequestFactory().get("/staff/reports/", {"year": "2023"})
    user = User(username="bench", role=Role.MANAGER)
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def run() -> dict[str, float]:
    _setup()
    from django.core.cache import cache

    from hjelpelinje.reporting import statistics, views
    from hjelpelinje.reporting.demo import texts_2023
    from hjelpelinje.reporting.renderers import render
    from hjelpelinje.reporting.report.assembly import build_report
    from hjelpelinje.reporting.tests.helpers import seed_labels

    stats = million_stats()
    labels = seed_labels()
    results: dict[str, float] = {}

    cache.clear()
    seconds, report = _timed(lambda: build_report(stats, texts_2023(), labels))
    results["report model (s)"] = seconds
    for fmt in ("pdf", "docx", "xlsx", "html"):
        cache.clear()
        seconds, data = _timed(lambda fmt=fmt: render(report, fmt), f"{fmt} cold")
        results[f"{fmt} cold, charts drawn (s)"] = seconds
        results[f"{fmt} size (kB)"] = len(data) / 1024
    seconds, _data = _timed(lambda: render(report, "pdf"), "pdf warm")
    results["pdf warm, charts cached (s)"] = seconds

    # The dashboard view end to end (statistics stand-in, labels, charts, template).
    original = statistics.year_statistics
    statistics.year_statistics = lambda year: stats  # type: ignore[assignment]
    try:
        from django.db import connection  # noqa: F401 - labels come from the code lists

        cache.clear()
        try:
            seconds, response = _timed(
                lambda: views.dashboard(_dashboard_request()), "dashboard first"
            )
            results["dashboard first load, page only (s)"] = seconds
            sources = re.findall(
                r'<img src="/staff/reports/chart/(\d+)/(\w+)/(\w+)\.svg"', response.content.decode()
            )
            seconds, _ = _timed(
                lambda: [
                    views.chart_svg(_dashboard_request(), int(y), d, k) for y, d, k in sources
                ],
                "dashboard charts",
            )
            results[f"dashboard first load, {len(sources)} charts drawn (s)"] = seconds
            runs = [_timed(lambda: views.dashboard(_dashboard_request()))[0] for _ in range(5)]
            results["dashboard cached, median of 5 (s)"] = sorted(runs)[2]
            results["dashboard size (kB)"] = len(response.content) / 1024
        except Exception as error:
            # A dashboard that cannot be measured fails the run (benchmarks/__main__.py).
            raise RuntimeError(f"dashboard not measured: {error}") from error
    finally:
        statistics.year_statistics = original  # type: ignore[assignment]

    load = os.getloadavg()[0]
    print(f"Annual report and dashboard for a year of {SCALE:,} inquiries (load {load:.1f})")
    for name, value in results.items():
        print(f"  {name:48s} {value:10.2f}")
    for name, value in CPU.items():
        print(f"  CPU {name:44s} {value:10.2f}")
    print("  (add the `stats` time from the stats bench for the end-to-end report time)")
    return results


@benchmark(
    "report", "report rendering (PDF, DOCX, HTML, XLSX) from statistics at 1,000,000 inquiries"
)
def _registered(scale: float) -> None:
    global SCALE
    from benchmarks.db import fresh_database

    SCALE = max(10_000, int(SCALE * scale))
    # The dashboard part needs the code lists of a migrated database.
    with fresh_database():
        run()


if __name__ == "__main__":
    run()
