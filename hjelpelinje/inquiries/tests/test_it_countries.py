from __future__ import annotations

import pytest

from hjelpelinje.inquiries.countries import UnknownCountry, country_names, normalise_country


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pk", "Pakistan"),
        ("PAK", "Pakistan"),
        ("Pakistan", "Pakistan"),
        ("  pakistan ", "Pakistan"),
        ("Syria", "Syria"),
        ("Syrian Arab Republic", "Syria"),
        ("SY", "Syria"),
        ("Irak", "Iraq"),
        ("Iraq", "Iraq"),
        ("Somalia", "Somalia"),
        ("Afghanistan", "Afghanistan"),
        ("Eritrea", "Eritrea"),
        ("Tyrkia", "Türkiye"),
        ("Turkey", "Türkiye"),
        ("Marokko", "Morocco"),
        ("Etiopia", "Ethiopia"),
        ("Kosovo", "Kosovo"),
        ("Iran", "Iran"),
        ("Islamic Republic of Iran", "Iran"),
        ("Norge", "Norway"),
        ("no", "Norway"),
    ],
)
def test_names_codes_and_norwegian_spellings_become_one_name(text: str, expected: str) -> None:
    assert normalise_country(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None, "ukjent"])
def test_empty_or_unknown_is_blank(text: str | None) -> None:
    assert normalise_country(text) == ""


@pytest.mark.parametrize("text", ["Narnia", "pkk", "Syriaa"])
def test_unrecognised_text_is_an_error(text: str) -> None:
    with pytest.raises(UnknownCountry):
        normalise_country(text)


def test_the_suggestion_list_holds_stored_names_only() -> None:
    names = country_names()
    assert "Syria" in names and "Kosovo" in names
    assert "Syrian Arab Republic" not in names
    assert names == sorted(names)
