"""Country background: free text in, one normalised English country name out.

Counsellors type what the caller said ("pk", "Pakistan", "Irak", "Tyrkia"), spreadsheets
hold whatever past years used. Statistics must count one name per country, so every input
goes through `normalise_country`, which accepts ISO 3166-1 alpha-2 and alpha-3 codes,
English names (short, common and official), Norwegian names from pycountry's `nb`
translations and a small table of everyday Norwegian spellings. The stored name is
pycountry's common name when it has one ("Syria", "Iran"), its short name otherwise.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from django.utils.translation import gettext_lazy as _


class UnknownCountry(ValueError):
    """The text names no country we know."""


# Kosovo has no ISO 3166-1 code in pycountry, yet callers often name it.
_EXTRA_COUNTRIES = ["Kosovo"]

# Everyday spellings that the ISO lists or their Norwegian translations miss; the
# value is an alpha-2 code (or an extra name above).
_ALIASES = {
    # Norwegian
    "irak": "IQ",
    "syria": "SY",
    "somalia": "SO",
    "afghanistan": "AF",
    "eritrea": "ER",
    "tyrkia": "TR",
    "marokko": "MA",
    "etiopia": "ET",
    "kosovo": "Kosovo",
    "iran": "IR",
    "russland": "RU",
    "sør-sudan": "SS",
    "sor-sudan": "SS",
    "sudan": "SD",
    "palestina": "PS",
    "bosnia": "BA",
    "bosnia-hercegovina": "BA",
    "den demokratiske republikken kongo": "CD",
    "elfenbenskysten": "CI",
    "storbritannia": "GB",
    "england": "GB",
    "usa": "US",
    "de forente stater": "US",
    "nederland": "NL",
    "tsjetsjenia": "RU",
    "vietnam": "VN",
    "sør-korea": "KR",
    "nord-korea": "KP",
    "tsjad": "TD",
    "jemen": "YE",
    "libanon": "LB",
    "jordan": "JO",
    "egypt": "EG",
    "algerie": "DZ",
    "tunisia": "TN",
    "libya": "LY",
    "gambia": "GM",
    "kenya": "KE",
    "uganda": "UG",
    "nigeria": "NG",
    "sri lanka": "LK",
    "india": "IN",
    "bangladesh": "BD",
    "filippinene": "PH",
    "thailand": "TH",
    "polen": "PL",
    "litauen": "LT",
    "sverige": "SE",
    "danmark": "DK",
    "norge": "NO",
    "tyskland": "DE",
    "frankrike": "FR",
    "spania": "ES",
    "hellas": "GR",
    "kina": "CN",
    "burma": "MM",
    # English everyday names the ISO short names spell differently
    "turkey": "TR",
    "russia": "RU",
    "palestine": "PS",
    "uk": "GB",
    "great britain": "GB",
    "united states": "US",
    "south korea": "KR",
    "north korea": "KP",
    "ivory coast": "CI",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "czech republic": "CZ",
}


def _key(text: str) -> str:
    """Casefolded, single-spaced, without trailing dots: how we compare names."""
    return " ".join(text.replace("\u00a0", " ").split()).strip(" .").casefold()


def _plain(text: str) -> str:
    """The same key without accents, so "Turkiye" finds "Türkiye"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _display(country: object) -> str:
    return str(getattr(country, "common_name", None) or country.name)  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Every accepted spelling (casefolded) -> the stored name. Built once per process."""
    try:
        norwegian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nb"])
        translate = norwegian.gettext
    except OSError:
        # A pycountry without the Norwegian catalogue still knows English names and codes.
        def translate(message: str) -> str:
            return message

    table: dict[str, str] = {}

    def add(spelling: str | None, name: str) -> None:
        if spelling:
            key = _key(spelling)
            table.setdefault(key, name)
            table.setdefault(_plain(key), name)

    by_alpha2: dict[str, str] = {}
    for country in pycountry.countries:
        name = _display(country)
        by_alpha2[country.alpha_2] = name
        # Names first, codes after: "no" is Norway's code, but names win where they clash.
        for spelling in (
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
        ):
            add(spelling, name)
            if spelling:
                add(translate(spelling), name)
    for extra in _EXTRA_COUNTRIES:
        add(extra, extra)
    for alias, target in _ALIASES.items():
        add(alias, by_alpha2.get(target, target))
    for country in pycountry.countries:
        name = by_alpha2[country.alpha_2]
        add(country.alpha_2, name)
        add(country.alpha_3, name)
    add("XK", "Kosovo")
    add("XKX", "Kosovo")
    return table


def normalise_country(text: str | None) -> str:
    """The stored country name for `text`; "" for empty input.

    Raises UnknownCountry when the text names no country we know, so a typo is caught
    where it is typed instead of becoming a country of its own in the statistics.
    """
    if text is None:
        return ""
    key = _key(str(text))
    if not key or key in {"-", "ukjent", "unknown", "ikke oppgitt"}:
        return ""
    table = _table()
    name = table.get(key) or table.get(_plain(key))
    if name is None:
        raise UnknownCountry(str(text).strip())
    return name


def country_names() -> list[str]:
    """Every name we store, sorted, for the form's suggestion list."""
    return sorted(set(_table().values()))


UNKNOWN_COUNTRY_HELP = _(
    "Skriv landets navn på norsk eller engelsk, eller ISO-koden (for eksempel «PK» for Pakistan)."
)
