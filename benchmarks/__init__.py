"""`make bench` / `python -m benchmarks [NAME ...]`: figures, never pass or fail.

Each benchmark is a function registered with `@benchmark("name", "what it measures")` in
a module listed in `MODULES`; add yours by writing a module and adding one line there.
Benchmarks run against a dedicated PostgreSQL database (`hj_bench` unless
`BENCH_DATABASE_URL` says otherwise) that `fresh_database()` creates, migrates and drops.
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
