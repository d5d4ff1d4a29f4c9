"""Import of a generated CSV of first-time inquiries (issue 2: target 20,000 rows/s)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from benchmarks.db import fresh_database, postgres_available
from benchmarks.registry import benchmark, report

ROWS = 100_000
# Codes and Norwegian labels mixed, in varying case, as spreadsheets have them.
CHANNELS = ["phone", "chat", "Telefon", "CHAT", "e-post", "oppmøte", "whatsapp"]
AGES = ["0-18", "18-25", "25-35", "35+", "", "ukjent"]
GENDERS = ["kvinne", "female", "Mann", "annen kjønnsidentitet", "ikke oppgitt", ""]
REGIONS = ["Østlandet", "vestlandet", "sorlandet", "Trøndelag", "nord_norge", "utlandet", ""]
COUNTRIES = ["Pakistan", "pk", "Syria", "Somalia", "so", "Irak", "Iraq", "Afghanistan", "", "", ""]
CALLERS = ["personen selv", "self", "venn", "familie", "fagperson", ""]
THEMES = [
    "tvangsekteskap",
    "social_control",
    "Æresrelatert vold",
    "fgm",
    "left_abroad",
    "psykisk vold",
]
AGENCIES = ["krisesenter", "politi", "Kompetanseteamet", "barnevern", "nok", "risk"]


def write_csv(path: Path, rows: int) -> None:
    # The importer's own column list, in its documented order.
    from hjelpelinje.inquiries.importer import COLUMNS

    rng = random.Random(100_000)
    start = dt.date(2023, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(365))
            themes = rng.sample(THEMES, rng.choice([1, 1, 2]))
            agencies = rng.sample(AGENCIES, rng.choice([0, 0, 1, 2]))
            writer.writerow(
                [
                    day.strftime("%d.%m.%Y") if i % 2 else day.isoformat(),
                    rng.choice(CHANNELS),
                    "nei" if rng.random() < 0.1 else rng.choice(["ja", ""]),
                    rng.choice(AGES),
                    rng.choice(GENDERS),
                    rng.choice(REGIONS),
                    rng.choice(COUNTRIES),
                    rng.choice(CALLERS),
                    "|".join(themes),
                    rng.choice(["ja", "nei", "nei"]),
                    "|".join(agencies),
                    "ja" if rng.random() < 0.02 else "nei",
                ]
            )


@benchmark("import", "import_inquiries of a generated 100,000-row CSV (rows per second)")
def run(scale: float) -> None:
    from hjelpelinje.inquiries.importer import inquiries_import

    why = postgres_available()
    if why:
        raise RuntimeError(f"PostgreSQL not available: {why}")
    rows = max(1, int(ROWS * scale))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inquiries.csv"
        start = time.perf_counter()
        write_csv(path, rows)
        report(
            "CSV generated",
            f"{rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in "
            f"{time.perf_counter() - start:.1f} s",
        )
        with fresh_database():
            from hjelpelinje.inquiries.models import Inquiry

            start = time.perf_counter()
            result = inquiries_import(path=path, actor=None)
            elapsed = time.perf_counter() - start
            errors = getattr(result, "errors", [])
            stored = Inquiry.objects.count()
            report("rows stored", f"{stored:,}")
            if errors:
                report("errors reported", f"{len(errors)} (first: {errors[0]})")
            report("import time", f"{elapsed:.2f}", "s")
            report("rate", f"{rows / elapsed:,.0f}", "rows/s (target >= 20,000)")
