"""Norwegian number words for the annual report: counts, percentages, plurals, lists, months.

The report is read by funders who check the figures against last year's, so every number is
written the way the helpline's own report writes it: "158", "2 737 153", "16%".
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]

# Nouns the figure sentences count: singular and plural, indefinite form.
NOUNS: dict[str, tuple[str, str]] = {
    "henvendelse": ("henvendelse", "henvendelser"),
    "førstegangshenvendelse": ("førstegangshenvendelse", "førstegangshenvendelser"),
    "relevant førstegangshenvendelse": (
        "relevant førstegangshenvendelse",
        "relevante førstegangshenvendelser",
    ),
    "bruker": ("bruker", "brukere"),
    "gang": ("gang", "ganger"),
    "sak": ("sak", "saker"),
    "oppfølgingssak": ("oppfølgingssak", "oppfølgingssaker"),
    "person": ("person", "personer"),
    "møte": ("møte", "møter"),
    "fysisk møte": ("fysisk møte", "fysiske møter"),
    "posthenvendelse": ("posthenvendelse", "posthenvendelser"),
    "aktivitet": ("aktivitet", "aktiviteter"),
    "deltaker": ("deltaker", "deltakere"),
    "nettverk": ("nettverk", "nettverk"),
    "medieoppslag": ("medieoppslag", "medieoppslag"),
    "kampanje": ("kampanje", "kampanjer"),
    "samtale": ("chatsamtale", "chatsamtaler"),
    "besøk": ("besøk", "besøk"),
    "overføring": ("overføring", "overføringer"),
    "åpen dag": ("åpen dag", "åpne dager"),
    "minutt": ("minutt", "minutter"),
    "sekund": ("sekund", "sekunder"),
}


def num(value: int | float) -> str:
    """A count as the report writes it: "3772", "36 066", "2 737 153".

    Four-digit numbers stay ungrouped, as in the seed report; from five digits on, groups of
    three are separated by a space.
    """
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    n = int(value)
    if abs(n) < 10000:
        return str(n)
    return f"{n:,}".replace(",", " ")


def decimal(value: float, places: int = 2) -> str:
    """ "0,50": a rate with a decimal comma."""
    return f"{value:.{places}f}".replace(".", ",")


def percent_value(part: int, whole: int) -> int | None:
    """Whole percent rounded half up (16.5 → 17), as a spreadsheet would; None for 0 of 0."""
    if whole <= 0:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pct(part: int, whole: int) -> str:
    value = percent_value(part, whole)
    return "–" if value is None else f"{value}%"


def noun(key: str, n: int) -> str:
    singular, plural = NOUNS[key]
    return singular if n == 1 else plural


def count(n: int, key: str) -> str:
    """ "1 henvendelse", "2 henvendelser", "0 henvendelser"."""
    return f"{num(n)} {noun(key, n)}"


def join_and(items: Iterable[str]) -> str:
    """ "a", "a og b", "a, b og c"."""
    parts = [i for i in items if i]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def month_label(key: str) -> str:
    """ "2023-04" → "april"."""
    return MONTHS[int(key[5:7]) - 1]


def period(start: dt.date, end: dt.date) -> str:
    """ "9. til 30. juni", "24. april til 5. mai", "20. desember 2023 til 5. januar 2024"."""
    if start.year != end.year:
        return (
            f"{start.day}. {MONTHS[start.month - 1]} {start.year} til "
            f"{end.day}. {MONTHS[end.month - 1]} {end.year}"
        )
    if start.month == end.month:
        return f"{start.day}. til {end.day}. {MONTHS[end.month - 1]}"
    return f"{start.day}. {MONTHS[start.month - 1]} til {end.day}. {MONTHS[end.month - 1]}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_label(label: str) -> str:
    """Labels start with a capital in lists; inside a sentence most do not.

    Proper names (Østlandet, Nav, Kompetanseteamet, WhatsApp, RISK) keep their capital.
    """
    keep = re.compile(r"^(Nav|NAV|Kompetanseteamet|WhatsApp|RISK|NOK|Skeiv|Kors|[A-ZÆØÅ]{2,})")
    if keep.match(label):
        return label
    return label[:1].lower() + label[1:]


# pycountry's Norwegian names are the formal ones; the report uses the everyday ones.
_COUNTRY_SHORT = {
    "Syrian Arab Republic": "Syria",
    "Iran, Islamic Republic of": "Iran",
    "Russian Federation": "Russland",
    "Türkiye": "Tyrkia",
    "Turkey": "Tyrkia",
    "Viet Nam": "Vietnam",
    "Korea, Republic of": "Sør-Korea",
    "Palestine, State of": "Palestina",
    "Congo, The Democratic Republic of the": "Kongo",
    "Tanzania, United Republic of": "Tanzania",
}
_countries: gettext.NullTranslations | None = None


def country_name(english: str) -> str:
    """The Norwegian everyday name of a country the register stores in English."""
    global _countries
    if english in _COUNTRY_SHORT:
        return _COUNTRY_SHORT[english]
    if _countries is None:
        import pycountry

        try:
            _countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nb"])
        except OSError:
            _countries = gettext.NullTranslations()
    return _countries.gettext(english)
