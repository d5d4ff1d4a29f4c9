"""Run every benchmark, or the ones named: `python -m benchmarks [--scale S] [NAME ...]`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the documented data size"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)

    from benchmarks.db import bench_url

    # The bench database, and settings without DEBUG (which would keep every query in
    # memory) and with fixed keys for the synthetic data.
    os.environ["DATABASE_URL"] = bench_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.test_settings")
    import django

    django.setup()

    from benchmarks import BENCHMARKS, MODULES

    for module in MODULES:
        importlib.import_module(module)
    if args.list:
        for bench in BENCHMARKS:
            print(f"{bench.name:<20} {bench.description}")
        return 0
    known = {b.name for b in BENCHMARKS}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    chosen = [b for b in BENCHMARKS if not args.names or b.name in args.names]
    failed: list[str] = []
    for bench in chosen:
        print(f"== {bench.name}: {bench.description}", flush=True)
        start = time.perf_counter()
        try:
            bench.run(args.scale)
        except Exception as exc:
            # A benchmark that could not measure says so, and the run fails: a figure
            # missing for a moved address or a broken setup is not a figure.
            failed.append(bench.name)
            print(f"  failed: {type(exc).__name__}: {exc}", flush=True)
            traceback.print_exc()
        print(f"  (took {time.perf_counter() - start:.1f} s in all)\n", flush=True)
    if failed:
        print(f"FAILED: {', '.join(failed)} ({len(failed)} of {len(chosen)})", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
