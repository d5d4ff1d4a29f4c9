"""`hjelpelinje stats --year YYYY [--format json|table]`: the year's statistics.

Both formats print `year_statistics(year)`, the one result the dashboard and the annual
report read too. The table format adds percentages of the year's relevant inquiries,
rounded as the annual report rounds them, and prints any other block generically so a
block added to `EXTRA_BLOCKS` shows up without changes here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hjelpelinje.core.bounds import year_problem
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.reporting import statistics
from hjelpelinje.reporting.blocks.inquiries import LISTS, format_percent
from hjelpelinje.taxonomy.models import Code

# In the inquiries block: which maps are of codes from which list (to show their labels),
# and which figures are shares of the relevant inquiries (to show a percentage).
MAP_LISTS = {key: list_name for list_name, key in LISTS.items()}
NOT_A_SHARE = {"total", "not_relevant", "by_channel_and_age_group"}


class Command(BaseCommand):
    help = "Print the statistics of a year (first-time inquiries and the other blocks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Default: this year.")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        year = local_now().year if options["year"] is None else options["year"]
        problem = year_problem(year)
        if problem is not None:
            raise CommandError(problem)
        # Looked up at call time, as the dashboard and the report do, so a stand-in set by a
        # test is the one used, whenever this module happened to be imported.
        stats = statistics.year_statistics(year)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2))
            return
        for line in render_statistics(stats):
            self.stdout.write(line.rstrip())


def render_statistics(stats: Mapping[str, Any]) -> Iterator[str]:
    labels = {
        (c.list, c.code): c.label for c in Code.objects.filter(list__in=list(MAP_LISTS.values()))
    }
    yield f"Statistikk for {stats['year']}"
    for name, value in stats.items():
        if name == "year":
            continue
        yield ""
        if name == "previous_year":
            yield f"== previous_year ({value['year']}) =="
            yield from _inquiries(value["inquiries"], labels)
        elif name == "inquiries":
            yield "== inquiries =="
            yield from _inquiries(value, labels)
        else:
            yield f"== {name} =="
            yield from _generic(value, indent=0)


def _inquiries(block: Mapping[str, Any], labels: Mapping[tuple[str, str], str]) -> Iterator[str]:
    total = block["total"]
    for key, value in block.items():
        share = key not in NOT_A_SHARE
        if isinstance(value, int):
            if share:
                # A share below a table: set apart so it does not read as the table's row.
                yield ""
                yield f"{key}: {value}  {format_percent(value, total)}"
            else:
                yield f"{key}: {value}"
        elif key == "by_channel_and_age_group":
            yield ""
            yield f"{key}:"
            yield from _matrix(value, indent=2)
        elif key == "country_backgrounds":
            yield ""
            yield f"{key}:"
            rows = [[name, str(n), format_percent(n, total)] for name, n in value]
            yield from _table(rows or [["-", "", ""]], indent=2)
        elif isinstance(value, Mapping):
            yield ""
            yield f"{key}:"
            list_name = MAP_LISTS.get(key)
            rows = []
            for code, n in value.items():
                label = labels.get((list_name, code), "") if list_name else ""
                shown = f"{label} ({code})" if label and label != code else code
                rows.append([shown, str(n), format_percent(n, total)])
            yield from _table(rows, indent=2)
        else:
            yield f"{key}:"
            yield from _generic(value, indent=2)


def _table(rows: list[list[str]], *, indent: int) -> Iterator[str]:
    """Rows aligned in columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        yield " " * indent + "  ".join(cells)


def _matrix(value: Mapping[str, Mapping[str, Any]], *, indent: int) -> Iterator[str]:
    columns = list(next(iter(value.values())).keys()) if value else []
    rows = [["", *columns]]
    for name, inner in value.items():
        rows.append([str(name), *(_scalar(inner.get(c)) for c in columns)])
    yield from _table(rows, indent=indent)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _generic(value: Any, *, indent: int) -> Iterator[str]:
    """Any JSON value as readable text: maps and rows as tables, nesting indented."""
    pad = " " * indent
    if _is_scalar(value):
        yield f"{pad}{_scalar(value)}"
    elif isinstance(value, Mapping):
        if not value:
            yield f"{pad}-"
            return
        scalars = [[str(k), _scalar(v)] for k, v in value.items() if _is_scalar(v)]
        if scalars:
            yield from _table(scalars, indent=indent)
        inner_maps = [v for v in value.values() if isinstance(v, Mapping)]
        uniform = (
            len(inner_maps) == len(value)
            and all(v and all(_is_scalar(x) for x in v.values()) for v in inner_maps)
            and len({tuple(v) for v in inner_maps}) == 1
        )
        if uniform:
            yield from _matrix(value, indent=indent)
            return
        for key, inner in value.items():
            if not _is_scalar(inner):
                yield f"{pad}{key}:"
                yield from _generic(inner, indent=indent + 2)
    elif isinstance(value, list | tuple):
        if not value:
            yield f"{pad}-"
        elif all(isinstance(row, list | tuple) and all(map(_is_scalar, row)) for row in value):
            width = max(len(row) for row in value)
            rows = [[_scalar(c) for c in row] + [""] * (width - len(row)) for row in value]
            yield from _table(rows, indent=indent)
        else:
            for item in value:
                if _is_scalar(item):
                    yield f"{pad}- {_scalar(item)}"
                else:
                    yield f"{pad}-"
                    yield from _generic(item, indent=indent + 2)
    else:
        yield f"{pad}{value}"


def _scalar(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return str(value)
