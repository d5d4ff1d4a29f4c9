"""Number words for the annual report and the dashboard: counts, shares, ratios, plurals, dates.

The report is read by funders who check the figures against last year's, so every number is
written the way the helpline's own report writes it: "158", "2 737 153", "16%". The module
is named for the language the report was first written in; every function here follows the
active Django language, so the English report reads "2,737,153" and "0.50". These helpers are
the one place numbers and dates are formatted: the charts, the tables and the sentences all
call them, so a share or a ratio never looks one way in a chart and another in its table.

The formats, per language:
- counts: bokmål groups from five digits with a space ("3772", "36 066"), English groups
  with a comma ("3,772");
- shares: whole percent, rounded half up ("16%");
- ratios (inquiries per open day): two decimals, decimal comma in bokmål ("0,50"), point in
  English ("0.50"), because the rates are small and one decimal would hide the change;
- dates: "27.04.2023" in bokmål, "27 April 2023" in English.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.dates import MONTHS as DJANGO_MONTHS
from django.utils.dates import MONTHS_3
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.translation import get_language, npgettext_lazy, pgettext
from django.utils.translation import gettext as _

# Norwegian weekday names, only to read statistics keyed by them (never shown from here).
WEEKDAYS_NB = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


# Nouns the figure sentences count: the translated singular and plural, indefinite form. The
# context keeps them apart from the same words used alone (a model's name, "bruker").
NOUNS: dict[str, Any] = {
    "henvendelse": npgettext_lazy("counted in the report", "henvendelse", "henvendelser"),
    "førstegangshenvendelse": npgettext_lazy(
        "counted in the report", "førstegangshenvendelse", "førstegangshenvendelser"
    ),
    "relevant førstegangshenvendelse": npgettext_lazy(
        "counted in the report",
        "relevant førstegangshenvendelse",
        "relevante førstegangshenvendelser",
    ),
    "bruker": npgettext_lazy("counted in the report", "bruker", "brukere"),
    "gang": npgettext_lazy("counted in the report", "gang", "ganger"),
    "sak": npgettext_lazy("counted in the report", "sak", "saker"),
    "oppfølgingssak": npgettext_lazy("counted in the report", "oppfølgingssak", "oppfølgingssaker"),
    "person": npgettext_lazy("counted in the report", "person", "personer"),
    "møte": npgettext_lazy("counted in the report", "møte", "møter"),
    "fysisk møte": npgettext_lazy("counted in the report", "fysisk møte", "fysiske møter"),
    "posthenvendelse": npgettext_lazy(
        "counted in the report", "posthenvendelse", "posthenvendelser"
    ),
    "aktivitet": npgettext_lazy("counted in the report", "aktivitet", "aktiviteter"),
    "deltaker": npgettext_lazy("counted in the report", "deltaker", "deltakere"),
    "nettverk": npgettext_lazy("counted in the report", "nettverk", "nettverk"),
    "medieoppslag": npgettext_lazy("counted in the report", "medieoppslag", "medieoppslag"),
    "kampanje": npgettext_lazy("counted in the report", "kampanje", "kampanjer"),
    "samtale": npgettext_lazy("counted in the report", "chatsamtale", "chatsamtaler"),
    "besøk": npgettext_lazy("counted in the report", "besøk", "besøk"),
    "overføring": npgettext_lazy("counted in the report", "overføring", "overføringer"),
    "åpen dag": npgettext_lazy("counted in the report", "åpen dag", "åpne dager"),
    "minutt": npgettext_lazy("counted in the report", "minutt", "minutter"),
    "sekund": npgettext_lazy("counted in the report", "sekund", "sekunder"),
}


def english() -> bool:
    return (get_language() or "nb").startswith("en")


def num(value: int | float) -> str:
    """A count as the report writes it: "3772", "36 066", "2 737 153" ("36,066" in English).

    Four-digit numbers stay ungrouped in bokmål, as in the seed report; from five digits on,
    groups of three are separated by a space. A float is a ratio and gets `ratio`'s format.
    """
    if isinstance(value, float):
        return ratio(value)
    n = int(value)
    if english():
        return f"{n:,}"
    if abs(n) < 10000:
        return str(n)
    return f"{n:,}".replace(",", " ")


def decimal(value: float, places: int = 2) -> str:
    """ "0,50" in bokmål, "0.50" in English."""
    text = f"{value:.{places}f}"
    return text if english() else text.replace(".", ",")


def ratio(value: float) -> str:
    """A ratio such as inquiries per open day, always with two decimals."""
    return decimal(value, 2)


def percent_value(part: int, whole: int) -> int | None:
    """Whole percent rounded half up (16.5 → 17), as a spreadsheet would; None for 0 of 0."""
    if whole <= 0:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: int) -> str:
    """A whole percentage: "16%" in both languages, as the seed report writes it."""
    return f"{value}%"


def pct(part: int, whole: int) -> str:
    value = percent_value(part, whole)
    return "–" if value is None else percent(value)


def date(day: dt.date) -> str:
    """ "27.04.2023" in bokmål, "27 April 2023" in English."""
    if english():
        return f"{day.day} {DJANGO_MONTHS[day.month]} {day.year}"
    return day.strftime("%d.%m.%Y")


def noun(key: str, n: int) -> str:
    return str(NOUNS[key] % n)


def count(n: int, key: str) -> str:
    """ "1 henvendelse", "2 henvendelser", "0 henvendelser"."""
    return f"{num(n)} {noun(key, n)}"


def join_and(items: Iterable[str]) -> str:
    """ "a", "a og b", "a, b og c" ("a, b and c")."""
    parts = [i for i in items if i]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return _("%(items)s og %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def month_name(month: int) -> str:
    """1 → "januar" ("January"): Django's own month names, lower-case in bokmål."""
    return str(DJANGO_MONTHS[month])


def month_abbr(month: int) -> str:
    """1 → "jan" ("Jan"), for a chart axis."""
    return capitalise(str(MONTHS_3[month])) if english() else str(MONTHS_3[month])


def weekday_name(index: int) -> str:
    """0 → "mandag" ("Monday"), Monday first as in Norway."""
    return str(DJANGO_WEEKDAYS[index])


def month_label(key: str) -> str:
    """ "2023-04" → "april"."""
    return month_name(int(key[5:7]))


def _day_month(day: dt.date) -> str:
    if english():
        return f"{day.day} {month_name(day.month)}"
    return f"{day.day}. {month_name(day.month)}"


def period(start: dt.date, end: dt.date) -> str:
    """ "9. til 30. juni", "24. april til 5. mai", "20. desember 2023 til 5. januar 2024"."""
    if start.year != end.year:
        first, last = f"{_day_month(start)} {start.year}", f"{_day_month(end)} {end.year}"
    elif start.month == end.month:
        first = f"{start.day}" if english() else f"{start.day}."
        last = _day_month(end)
    else:
        first, last = _day_month(start), _day_month(end)
    return pgettext("a period of days", "%(first)s til %(last)s") % {"first": first, "last": last}


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


# The register stores pycountry's formal English names; an English reader says "Syria".
_COUNTRY_SHORT_EN = {
    "Syrian Arab Republic": "Syria",
    "Iran, Islamic Republic of": "Iran",
    "Russian Federation": "Russia",
    "Türkiye": "Turkey",
    "Viet Nam": "Vietnam",
    "Korea, Republic of": "South Korea",
    "Palestine, State of": "Palestine",
    "Congo, The Democratic Republic of the": "Congo",
    "Tanzania, United Republic of": "Tanzania",
}


def country_name(name: str) -> str:
    """The everyday name, in the active language, of a country the register stores in English."""
    global _countries
    if english():
        return _COUNTRY_SHORT_EN.get(name, name)
    if name in _COUNTRY_SHORT:
        return _COUNTRY_SHORT[name]
    if _countries is None:
        import pycountry

        try:
            _countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nb"])
        except OSError:
            _countries = gettext.NullTranslations()
    return _countries.gettext(name)
