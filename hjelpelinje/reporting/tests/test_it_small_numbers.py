"""Small-number protection: counts below N are shown as "<N", and their shares left out."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from hjelpelinje.reporting.figures import Pct, Protect
from hjelpelinje.reporting.renderers import render
from hjelpelinje.reporting.report import sentences
from hjelpelinje.reporting.report.assembly import build_report
from hjelpelinje.reporting.tests.example_stats import full_2023
from hjelpelinje.reporting.tests.helpers import seed_labels

LABELS = seed_labels()


def test_off_by_default_so_the_published_figures_reproduce() -> None:
    report = build_report(full_2023(), {}, LABELS)
    gender = next(t for t in report.tables() if t.key == "gender")
    other = next(r for r in gender.rows if r[0] == "Annen kjønnsidentitet")
    assert other[1] == 3 and other[2] == Pct(2)


def test_counts_below_the_limit_are_hidden_with_their_shares() -> None:
    report = build_report(full_2023(), {}, LABELS, min_count=5)
    gender = next(t for t in report.tables() if t.key == "gender")
    rows = {r[0]: r for r in gender.rows}
    assert rows["Annen kjønnsidentitet"][1:3] == ["<5", ""]
    assert rows["Ikke oppgitt"][1:3] == ["<5", ""]
    assert rows["Mann"][1:3] == [25, Pct(16)]
    assert "Tall under 5" in gender.note
    # A hidden count is not drawn either: a bar's height would reveal it.
    figure = next(f for f in report.figures() if f.key == "gender")
    values = dict(figure.chart.series)["2023"]
    assert values[figure.chart.categories.index("Annen kjønnsidentitet")] == 0


def test_sentences_leave_out_what_would_reveal_a_small_count() -> None:
    p = Protect(5)
    stats = full_2023()
    gender = " ".join(sentences.gender(stats, p))
    assert "annen kjønnsidentitet" not in gender and "oppga ikke kjønn" not in gender
    assert "16% av sakene handler om menn" in gender
    regions = " ".join(sentences.regions(stats, LABELS, p))
    # 2022: Trøndelag and Nord-Norge had 1 inquiry each; their shares are not printed.
    assert "fra Trøndelag" in regions.split("Til sammenligning")[0]
    assert "Trøndelag" not in regions.split("Til sammenligning")[1].split(" i 2022")[0]
    assert "Andeler bygget på færre enn 5 henvendelser er ikke vist." in regions
    duty = sentences.follow_up_cases(stats, LABELS, p)[-1]
    assert duty == "Avvergeplikten ble utløst i <5 saker."
    countries = " ".join(sentences.countries(stats, p))
    assert "Eritrea" not in countries and "Pakistan" in countries


def test_a_tiny_year_shows_no_exact_total() -> None:
    stats = full_2023()
    stats["inquiries"]["total"] = 3
    assert sentences.inquiries_intro(stats, Protect(5))[0] == (
        "I 2023 har tjenesten mottatt <5 relevante førstegangshenvendelser."
    )


def test_xlsx_writes_hidden_counts_as_text_and_the_rest_as_numbers() -> None:
    report = build_report(full_2023(), {}, LABELS, min_count=5)
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    sheet = book["Kjønn"]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=4)}
    assert rows["Annen kjønnsidentitet"][1] == "<5"
    assert rows["Annen kjønnsidentitet"][2] in ("", None)
    assert rows["Kvinne"][1] == 128
    assert "5" in str(book["Om rapporten"]["B5"].value)


def test_countries_below_the_limit_are_grouped_not_named() -> None:
    report = build_report(full_2023(), {}, LABELS, min_count=5)
    table = next(t for t in report.tables() if t.key == "countries")
    names = [r[0] for r in table.rows]
    assert "Eritrea" not in names and "Marokko" not in names
    assert names[-1] == "Andre land"
