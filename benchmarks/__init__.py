"""`make bench` / `python -m benchmarks [NAME ...]`: figures; a benchmark that cannot run
fails the run (exit status 1), and `tests/test_it_benchmarks.py` runs them all at
`--scale 0.01` on the suite's PostgreSQL run.

Each benchmark is a function registered with `@benchmark("name", "what it measures")` in
a module listed in `MODULES`; add yours by writing a module and adding one line there.
Benchmarks run against a dedicated PostgreSQL database (`hj_bench` unless
`BENCH_DATABASE_URL` says otherwise) that `fresh_database()` makes, migrated, and drops; the
chat's and the site's servers use `<name>_chat` and `<name>_site` beside it.
"""

from __future__ import annotations

from benchmarks.registry import BENCHMARKS, Benchmark, benchmark

# The modules holding benchmarks, in the order they run.
MODULES = [
    "benchmarks.inquiry_import",
    "benchmarks.inquiry_stats",
    "benchmarks.report_bench",
    "benchmarks.chat_bench",
    "benchmarks.site_bench",
]

__all__ = ["BENCHMARKS", "MODULES", "Benchmark", "benchmark"]
