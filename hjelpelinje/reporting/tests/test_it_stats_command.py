"""`hjelpelinje stats`: the JSON as documented and the table a manager reads."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.reporting import statistics
from hjelpelinje.reporting.blocks.inquiries import round_percent
from hjelpelinje.reporting.tests.test_it_stats_block import KEYS as BLOCK_KEYS
from hjelpelinje.taxonomy.models import Code

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def add(region: str, *, year: int = 2023, country: str = "", follow_up: bool = False) -> None:
    def code(list_name: str, value: str) -> Code:
        return Code.objects.get(list=list_name, code=value)

    Inquiry.objects.create(
        occurred_at=dt.datetime(year, 9, 5, 10, tzinfo=OSLO),
        channel=code("channel", "phone"),
        age_group=code("age_group", "18-25"),
        gender=code("gender", "female"),
        region=code("region", region),
        caller=code("caller", "self"),
        country_background=country,
        follow_up=follow_up,
    )


@pytest.fixture
def nine() -> None:
    # 5 of 9 in Østlandet is 55.6 % (56 %), 4 of 9 in Vestlandet 44.4 % (44 %).
    for i in range(5):
        add("ostlandet", country="Somalia", follow_up=i == 0)
    for _ in range(4):
        add("vestlandet", country="Eritrea")
    add("trondelag", year=2022)


def test_json_is_the_documented_shape(nine: None) -> None:
    text = run("--year", "2023", "--format", "json")
    data = json.loads(text)
    # The blocks of other apps (follow_up, chat, outreach) follow these three.
    assert list(data)[:3] == ["year", "inquiries", "previous_year"]
    assert data["year"] == 2023
    assert list(data["inquiries"]) == BLOCK_KEYS
    assert data["previous_year"]["year"] == 2022
    assert list(data["previous_year"]["inquiries"]) == BLOCK_KEYS
    assert data["inquiries"]["total"] == 9
    assert data["inquiries"]["by_region"]["ostlandet"] == 5
    assert data["inquiries"]["country_backgrounds"] == [["Somalia", 5], ["Eritrea", 4]]
    assert data["previous_year"]["inquiries"]["by_region"]["trondelag"] == 1
    # Indented, and non-ASCII text is written as is.
    assert text.startswith('{\n  "year": 2023')


def test_json_keeps_norwegian_letters(nine: None) -> None:
    add("ostlandet", country="Curaçao")
    text = run("--year", "2023")
    assert '"Curaçao"' in text


def test_empty_year_is_all_zeros() -> None:
    data = json.loads(run("--year", "2015"))
    block = data["inquiries"]

    def numbers(value: Any) -> Iterator[int]:
        if isinstance(value, dict):
            for inner in value.values():
                yield from numbers(inner)
        elif isinstance(value, int):
            yield value

    assert list(block) == BLOCK_KEYS
    assert set(numbers(block)) == {0}
    assert len(list(numbers(block["by_channel_and_age_group"]))) == 25
    assert block["country_backgrounds"] == []


def test_table_shows_counts_and_rounded_percentages(nine: None) -> None:
    text = run("--year", "2023", "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Statistikk for 2023"
    ost = next(line for line in lines if "(ostlandet)" in line)
    assert ost.split()[-3:] == ["5", f"{round_percent(5, 9)}", "%"]
    assert ost.endswith("56 %")
    vest = next(line for line in lines if "(vestlandet)" in line)
    assert vest.endswith("4  44 %")
    assert "follow_up: 1  11 %" in lines
    assert any(line.startswith("  Somalia") and line.endswith("5  56 %") for line in lines)
    assert "== previous_year (2022) ==" in lines
    # The channel by age table has a header row of age groups.
    header = lines[lines.index("by_channel_and_age_group:") + 1]
    assert header.split() == ["0-18", "18-25", "25-35", "35+", "unknown"]


def test_table_prints_a_later_block_without_changes(
    nine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def chat_block(year: int) -> dict[str, Any]:
        return {
            "conversations": 41,
            "by_weekday": {"monday": 9, "tuesday": 7},
            "by_hour": {"phone": {"09": 1, "10": 2}, "chat": {"09": 3, "10": 4}},
            "longest": [["2023-05-02", 77], ["2023-06-12", 60]],
            "nested": {"waiting": {"median_seconds": 40, "p90": {"seconds": 95}}},
        }

    monkeypatch.setattr(statistics, "EXTRA_BLOCKS", [("chat", chat_block)])
    lines = run("--year", "2023", "--format", "table").splitlines()
    start = lines.index("== chat ==")
    chat = lines[start:]
    assert any(line.split() == ["conversations", "41"] for line in chat)
    assert any(line.split() == ["monday", "9"] for line in chat)
    assert any(line.split() == ["phone", "1", "2"] for line in chat)
    assert any(line.split() == ["2023-05-02", "77"] for line in chat)
    assert any(line.split() == ["seconds", "95"] for line in chat)
    # Nested values are indented under their key.
    assert any(line.startswith("    ") and "median_seconds" in line for line in chat)
    data = json.loads(run("--year", "2023"))
    assert list(data) == ["year", "inquiries", "previous_year", "chat"]
    assert data["chat"]["by_hour"]["chat"]["10"] == 4


def test_rejects_a_nonsense_year() -> None:
    with pytest.raises(CommandError):
        run("--year", "12")
