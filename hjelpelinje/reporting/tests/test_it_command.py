"""`hjelpelinje annual_report --year YYYY --out FILE [--min-count N]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from hjelpelinje.reporting import demo

pytestmark = pytest.mark.django_db


def test_writes_the_format_named_by_the_suffix(tmp_path, stats_2023) -> None:
    demo.load()
    out = tmp_path / "rapport.html"
    stdout = io.StringIO()
    call_command("annual_report", "--year", "2023", "--out", str(out), stdout=stdout)
    html = out.read_text()
    assert "I 2023 har tjenesten mottatt 158 relevante førstegangshenvendelser." in html
    # The manager's demo texts and the labels from the code lists are in.
    assert "mandag til fredag" in html
    assert "Negativ sosial kontroll" in html
    assert "rapport.html" in stdout.getvalue()


def test_min_count_from_the_option_and_the_setting(tmp_path, stats_2023, settings) -> None:
    out = tmp_path / "tall.xlsx"
    call_command("annual_report", "--year", "2023", "--out", str(out), "--min-count", "5")
    rows = {r[0].value: r[1].value for r in load_workbook(out)["Kjønn"].iter_rows(min_row=4)}
    assert rows["Annen kjønnsidentitet"] == "<5"
    settings.HJELPELINJE_REPORT_MIN_COUNT = 4
    call_command("annual_report", "--year", "2023", "--out", str(out))
    rows = {r[0].value: r[1].value for r in load_workbook(out)["Kjønn"].iter_rows(min_row=4)}
    assert rows["Annen kjønnsidentitet"] == "<4"
    call_command("annual_report", "--year", "2023", "--out", str(out), "--min-count", "0")
    rows = {r[0].value: r[1].value for r in load_workbook(out)["Kjønn"].iter_rows(min_row=4)}
    assert rows["Annen kjønnsidentitet"] == 3


def test_a_year_without_data_gives_a_report_that_says_so(tmp_path, stats_2023) -> None:
    out = tmp_path / "tom.html"
    call_command("annual_report", "--year", "2015", "--out", str(out))
    html = out.read_text()
    assert "I 2015 er det ikke registrert noen relevante førstegangshenvendelser." in html


@pytest.mark.parametrize("year", ["0", "1999", "9999", "2030"])
def test_a_year_outside_the_range_is_refused_in_words(tmp_path, stats_2023, year) -> None:
    with pytest.raises(CommandError, match="Året må være mellom 2000 og"):
        call_command("annual_report", "--year", year, "--out", str(tmp_path / "r.html"))
    with pytest.raises(CommandError, match="Året må være mellom 2000 og"):
        call_command("stats", "--year", year)


def test_unknown_suffix_is_refused(tmp_path, stats_2023) -> None:
    with pytest.raises(CommandError, match="Ukjent format"):
        call_command("annual_report", "--year", "2023", "--out", str(tmp_path / "r.txt"))
