"""`hjelpelinje annual_report --year 2023 --out rapport.pdf [--min-count 5] [--language en]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from hjelpelinje.core.bounds import year_problem
from hjelpelinje.reporting import selectors
from hjelpelinje.reporting.renderers import FORMATS, render


class Command(BaseCommand):
    help = (
        "Lag årsrapporten for et år som PDF, DOCX, HTML, XLSX eller CSV (format fra filendelsen)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="rapport.pdf, .docx, .html, .xlsx, .csv")
        parser.add_argument(
            "--min-count",
            type=int,
            default=None,
            help="show counts below N as <N (default: HJELPELINJE_REPORT_MIN_COUNT, 0 = off)",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the report's language: headings, sentences, code labels, numbers and dates",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                f"Ukjent format «{out.suffix}». Bruk en av: " + ", ".join(f".{f}" for f in FORMATS)
            )
        min_count = options["min_count"]
        if min_count is None:
            min_count = settings.HJELPELINJE_REPORT_MIN_COUNT
        if min_count < 0:
            raise CommandError("--min-count kan ikke være negativ.")
        problem = year_problem(options["year"])
        if problem is not None:
            raise CommandError(problem)
        # The whole report is built and drawn in one language, labels and numbers included.
        with translation.override(options["language"]):
            report = selectors.annual_report(options["year"], min_count=min_count)
            data = render(report, fmt)
        out.write_bytes(data)
        self.stdout.write(f"Skrev {out} ({len(data) // 1024} kB).")
