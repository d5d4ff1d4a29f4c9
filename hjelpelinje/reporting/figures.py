"""The building blocks of the report and the dashboard: tables, charts and small-number protection.

Everything here is plain data made from the statistics dict, so every output format (PDF,
DOCX, HTML, XLSX, CSV) and the dashboard draw the same numbers from the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from hjelpelinje.reporting import norsk


@dataclass(frozen=True)
class Pct:
    """A whole percentage in a table cell; XLSX writes it as a number with a % format."""

    value: int

    def __str__(self) -> str:
        return norsk.percent(self.value)


Cell = int | float | str | Pct | None


@dataclass
class Protect:
    """Small-number protection: counts below `min_count` are shown as "<N".

    A percentage of a hidden count (or of a hidden total) would reveal it, so it is left
    out. Off (0) by default so the published figures reproduce exactly.
    """

    min_count: int = 0

    @property
    def active(self) -> bool:
        return self.min_count > 1

    def hidden(self, n: int) -> bool:
        return self.active and n < self.min_count

    def n(self, n: int) -> str:
        return f"<{self.min_count}" if self.hidden(n) else norsk.num(n)

    def count(self, n: int, key: str) -> str:
        if self.hidden(n):
            return f"<{self.min_count} {norsk.noun(key, self.min_count)}"
        return norsk.count(n, key)

    def pct(self, part: int, whole: int) -> str | None:
        if self.hidden(part) or self.hidden(whole):
            return None
        value = norsk.percent_value(part, whole)
        return None if value is None else norsk.percent(value)

    def cell(self, n: int) -> Cell:
        return f"<{self.min_count}" if self.hidden(n) else n

    def pct_cell(self, part: int, whole: int) -> Cell:
        if self.hidden(part) or self.hidden(whole):
            return ""
        value = norsk.percent_value(part, whole)
        return "" if value is None else Pct(value)

    def chart_value(self, n: int) -> int:
        # A hidden count is not drawn: a bar's height would give it away.
        return 0 if self.hidden(n) else n


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    # A small table that is part of the text (a campaign's platforms, the media list): print
    # formats show it where it stands instead of moving it to the appendix.
    inline: bool = False

    def numeric(self, index: int) -> bool:
        """Whether a column holds figures (right-aligned) rather than words (a target group,
        an outlet). The first column names the rows; a hidden small count ("<5") is a figure."""
        if index == 0:
            return False
        values = [row[index] for row in self.rows if index < len(row)]
        return all(
            v is None or v == "" or isinstance(v, int | float | Pct) or str(v).startswith("<")
            for v in values
        )


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" (vertical, grouped when several series) or "hbar"
    categories: list[str]
    series: list[tuple[str, list[float]]]
    # Shaded periods on the category axis: (first index, last index, label), e.g. campaigns.
    spans: list[tuple[float, float, str]] = field(default_factory=list)
    ylabel: str = ""


@dataclass
class Figure:
    """A chart with the table of its numbers: the table is what a screen reader reads."""

    key: str
    title: str
    chart: Chart
    table: Table
    caption: str = ""

    def empty(self) -> bool:
        return not any(v for _, values in self.chart.series for v in values)


LIST_TITLES = {
    "channel": _("Kanal"),
    "age_group": _("Aldersgruppe"),
    "gender": _("Kjønn"),
    "region": _("Landsdel"),
    "caller": _("Henvender"),
    "theme": _("Tema"),
    "agency": _("Instans"),
    "activity": _("Kategori"),
}


class Labels:
    """Labels by list and code; the one lookup the report makes besides the stats.

    `from_database` takes the labels of the active language (the English label where one is
    given), so the dashboard and the report speak the reader's language.
    """

    def __init__(self, by_list: dict[str, dict[str, str]] | None = None) -> None:
        self.by_list = by_list or {}

    def __call__(self, list_name: str, code: str) -> str:
        label = self.by_list.get(list_name, {}).get(code)
        if label:
            return label
        return code.replace("_", " ").capitalize() if code not in {"0-18", "18-25"} else code

    def title(self, list_name: str) -> str:
        return str(LIST_TITLES.get(list_name, list_name))

    @classmethod
    def from_database(cls) -> Labels:
        from hjelpelinje.taxonomy.models import Code

        by_list: dict[str, dict[str, str]] = {}
        for entry in Code.objects.only("list", "code", "label", "label_en"):
            by_list.setdefault(entry.list, {})[entry.code] = entry.display_label
        return cls(by_list)


def as_int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def ordered_counts(mapping: Any) -> dict[str, int]:
    if not isinstance(mapping, dict):
        return {}
    return {str(k): as_int(v) for k, v in mapping.items()}
