"""The figure sentences of the annual report, written in Norwegian from the statistics dict.

Each function takes parts of `year_statistics(year)` and returns finished sentences, in the
style of the helpline's own report ("I 2023 har tjenesten mottatt 158 relevante
førstegangshenvendelser. Til sammenligning mottok vi 60 i 2022."). Every number goes through
`Protect`, so small-number protection reaches the prose as well as the tables.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hjelpelinje.reporting import norsk
from hjelpelinje.reporting.figures import Labels, Protect, as_int, ordered_counts

Stats = dict[str, Any]

# How each channel is said after a count: "74 på chat", "7 ved oppmøte".
_CHANNEL_PREPOSITION = {"walk_in": "ved", "whatsapp": "på", "email": "på", "phone": "på"}


def _channel_phrase(code: str, labels: Labels) -> str:
    label = norsk.lower_label(labels("channel", code))
    if code == "walk_in":
        return "ved fysisk oppmøte"
    return f"{_CHANNEL_PREPOSITION.get(code, 'på')} {label}"


def previous_inquiries(stats: Stats) -> Stats | None:
    """Last year's inquiries block, or None when there is nothing recorded for it."""
    previous = stats.get("previous_year") or {}
    block = previous.get("inquiries") if isinstance(previous, dict) else None
    if not isinstance(block, dict) or as_int(block.get("total")) == 0:
        return None
    return block


def inquiries_intro(stats: Stats, p: Protect) -> list[str]:
    year = stats["year"]
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    prev = previous_inquiries(stats)
    out: list[str] = []
    if total == 0:
        out.append(f"I {year} er det ikke registrert noen relevante førstegangshenvendelser.")
    else:
        out.append(
            f"I {year} har tjenesten mottatt {p.count(total, 'relevant førstegangshenvendelse')}."
        )
    if prev is None:
        out.append(f"Det er ikke registrert henvendelser for {year - 1} å sammenligne med.")
    else:
        prev_total = as_int(prev.get("total"))
        out.append(f"Til sammenligning mottok vi {p.n(prev_total)} i {year - 1}.")
        if total and not (p.hidden(total) or p.hidden(prev_total)) and total != prev_total:
            change = norsk.percent_value(abs(total - prev_total), prev_total)
            word = "økning" if total > prev_total else "nedgang"
            out.append(f"Det er en {word} på {change}%.")
    not_relevant = as_int(inq.get("not_relevant"))
    if not_relevant:
        adjective = "relevant" if not_relevant == 1 and not p.hidden(1) else "relevante"
        verb = "Den" if not_relevant == 1 and not p.hidden(1) else "Disse"
        out.append(
            f"I tillegg mottok vi {p.count(not_relevant, 'henvendelse')} som ikke var "
            f"{adjective} for vårt tilbud. {verb} ble henvist videre."
        )
    return out


def contact_points(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    channels = ordered_counts(inq.get("by_channel"))
    used = sorted(((code, n) for code, n in channels.items() if n > 0), key=lambda item: -item[1])
    if total == 0 or not used:
        return []
    out: list[str] = []
    if len(used) == 1:
        phrase = _channel_phrase(used[0][0], labels)
        if total == 1:
            out.append(f"Den ene førstegangshenvendelsen kom {phrase}.")
        else:
            out.append(f"Alle {p.n(total)} førstegangshenvendelsene kom {phrase}.")
        return out
    top = used[:2]
    out.append(
        f"Av {p.count(total, 'førstegangshenvendelse')} mottok vi "
        + norsk.join_and(f"{p.n(n)} {_channel_phrase(code, labels)}" for code, n in top)
        + "."
    )
    rest = used[2:]
    if rest:
        rest_total = sum(n for _, n in rest)
        parts = norsk.join_and(f"{_channel_phrase(code, labels)} ({p.n(n)})" for code, n in rest)
        if rest_total == 1:
            out.append(f"Den siste henvendelsen kom {parts.rsplit(' (', 1)[0]}.")
        else:
            out.append(f"De resterende henvendelsene kom {parts}.")
    return out


def channel_by_age(stats: Stats, labels: Labels) -> list[str]:
    """Which channel each age group uses most: "Aldersgruppen 0-18 kontaktet oss mest på chat"."""
    inq = stats.get("inquiries") or {}
    table = inq.get("by_channel_and_age_group") or {}
    if not isinstance(table, dict):
        return []
    ages = list(ordered_counts(inq.get("by_age_group"))) or sorted(
        {a for row in table.values() for a in row}
    )
    groups: dict[str, list[str]] = {}
    for age in ages:
        if age == "unknown":
            continue
        counts = {ch: as_int((table.get(ch) or {}).get(age)) for ch in table}
        if not counts or max(counts.values()) == 0:
            continue
        best = max(counts, key=lambda ch: counts[ch])
        groups.setdefault(best, []).append(labels("age_group", age))
    if not groups:
        return []
    clauses = []
    for channel, age_labels in groups.items():
        noun = "aldersgruppen" if len(age_labels) == 1 else "aldersgruppene"
        clauses.append(
            f"{noun} {norsk.join_and(age_labels)} kontaktet oss mest "
            f"{_channel_phrase(channel, labels)}"
        )
    return [norsk.capitalise(", mens ".join(clauses)) + "."]


def age_groups(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    ages = ordered_counts(inq.get("by_age_group"))
    known = sorted(((a, n) for a, n in ages.items() if a != "unknown" and n), key=lambda x: -x[1])
    if not total or not known:
        return []

    def with_share(age: str, n: int) -> str:
        share = p.pct(n, total)
        inner = f"{p.n(n)}, {share}" if share else p.n(n)
        return f"{labels('age_group', age)} ({inner})"

    out = []
    first = known[0]
    sentence = f"Flest henvendelser gjaldt aldersgruppen {with_share(*first)}"
    if len(known) > 1:
        sentence += f", fulgt av {with_share(*known[1])}"
    out.append(sentence + ".")
    prev = previous_inquiries(stats)
    youngest = next(iter(ages), None)
    if prev is not None and youngest is not None:
        before = as_int(ordered_counts(prev.get("by_age_group")).get(youngest))
        now = ages[youngest]
        label = labels("age_group", youngest)
        year = stats["year"]
        if p.hidden(before) or p.hidden(now):
            pass
        elif now > before:
            out.append(
                f"Antall henvendelser fra den yngste aldersgruppen ({label}) økte fra "
                f"{p.n(before)} i {year - 1} til {p.n(now)} i {year}."
            )
        elif now < before:
            out.append(
                f"Antall henvendelser fra den yngste aldersgruppen ({label}) gikk ned fra "
                f"{p.n(before)} i {year - 1} til {p.n(now)} i {year}."
            )
        else:
            out.append(
                f"Antall henvendelser fra den yngste aldersgruppen ({label}) var det samme "
                f"som i {year - 1}: {p.n(now)}."
            )
    return out


def gender(stats: Stats, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    by = ordered_counts(inq.get("by_gender"))
    if not total:
        return []
    out = []
    women, men = by.get("female", 0), by.get("male", 0)
    women_pct, men_pct = p.pct(women, total), p.pct(men, total)
    share = norsk.percent_value(women, total) or 0
    if women_pct and share >= 50 and women > men:
        lead = "De aller fleste" if share >= 75 else "De fleste"
        sentence = f"{lead} førstegangshenvendelsene gjelder kvinner ({women_pct})"
        if men_pct:
            sentence += f" – {men_pct} av sakene handler om menn"
        out.append(sentence + ".")
    else:
        parts = []
        if women_pct:
            parts.append(f"{women_pct} av sakene handler om kvinner")
        if men_pct:
            parts.append(f"{men_pct} om menn")
        if parts:
            out.append(norsk.capitalise(norsk.join_and(parts)) + ".")
    other, unknown = by.get("other", 0), by.get("unknown", 0)
    other_pct, unknown_pct = p.pct(other, total), p.pct(unknown, total)
    if other and other_pct:
        out.append(f"{other_pct} av henvendelsene gjaldt personer med annen kjønnsidentitet.")
    if unknown and unknown_pct:
        out.append(f"{unknown_pct} oppga ikke kjønn.")
    return out


def follow_up_cases(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    year = stats["year"]
    total = as_int(inq.get("total"))
    if not total:
        return []
    cases = as_int(inq.get("follow_up"))
    out = []
    lead = f"Av de {p.n(total)} henvendelsene vi fikk i {year}"
    if total == 1 and not p.hidden(1):
        lead = f"Av den ene henvendelsen vi fikk i {year}"
    share = p.pct(cases, total)
    if cases == 0:
        out.append(f"{lead}, ble ingen til oppfølgingssaker.")
    elif cases == 1 and not p.hidden(1):
        out.append(f"{lead}, ble 1 til en oppfølgingssak.")
    else:
        tail = f" ({share})" if share else ""
        out.append(f"{lead}, ble {p.n(cases)} av disse til oppfølgingssaker{tail}.")
    prev = previous_inquiries(stats)
    if prev is not None:
        prev_cases = as_int(prev.get("follow_up"))
        prev_total = as_int(prev.get("total"))
        out.append(
            f"I {year - 1} ble {p.n(prev_cases)} av {p.n(prev_total)} henvendelser "
            f"til oppfølgingssaker."
        )
    referrals = sorted(
        ((a, n) for a, n in ordered_counts(inq.get("referrals")).items() if n),
        key=lambda x: -x[1],
    )
    if referrals:
        named = norsk.join_and(
            f"{norsk.lower_label(labels('agency', a))} ({p.n(n)})" for a, n in referrals[:4]
        )
        out.append(f"Vi henviste oftest til {named}.")
    else:
        out.append(f"Ingen henvendelser ble registrert som henvist videre i {year}.")
    duty = as_int(inq.get("duty_to_avert"))
    if duty:
        out.append(f"Avvergeplikten ble utløst i {p.count(duty, 'sak')}.")
    else:
        out.append(f"Avvergeplikten ble ikke utløst i {year}.")
    return out


_MAINLAND = ("ostlandet", "vestlandet", "sorlandet", "trondelag", "nord_norge")


def _region_list(
    by: dict[str, int], total: int, labels: Labels, p: Protect, *, first_of: bool
) -> str:
    parts: list[str] = []
    codes = [c for c in by if c not in {"abroad", "unknown"}] or list(_MAINLAND)
    for code in codes:
        share = p.pct(by.get(code, 0), total)
        if share is None:
            continue
        of = " av henvendelsene" if first_of and not parts else ""
        parts.append(f"{share}{of} fra {labels('region', code)}")
    return norsk.join_and(parts)


def regions(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    year = stats["year"]
    total = as_int(inq.get("total"))
    if not total:
        return []
    by = ordered_counts(inq.get("by_region"))
    out = []
    listed = _region_list(by, total, labels, p, first_of=True)
    if listed:
        out.append(f"I {year} var {listed}.")
    prev = previous_inquiries(stats)
    if prev is not None:
        prev_listed = _region_list(
            ordered_counts(prev.get("by_region")),
            as_int(prev.get("total")),
            labels,
            p,
            first_of=False,
        )
        if prev_listed:
            out.append(f"Til sammenligning var {prev_listed} i {year - 1}.")
    unknown_pct = p.pct(by.get("unknown", 0), total) if by.get("unknown") else None
    abroad_pct = p.pct(by.get("abroad", 0), total) if by.get("abroad") else None
    if unknown_pct and abroad_pct:
        out.append(
            f"I tillegg var {unknown_pct} av henvendelsene fra ukjent landsdel, "
            f"og {abroad_pct} gjaldt personer i utlandet."
        )
    elif unknown_pct:
        out.append(f"I tillegg var {unknown_pct} av henvendelsene fra ukjent landsdel.")
    elif abroad_pct:
        out.append(f"I tillegg gjaldt {abroad_pct} av henvendelsene personer i utlandet.")
    if p.active:
        out.append(f"Andeler bygget på færre enn {p.min_count} henvendelser er ikke vist.")
    return out


def countries(stats: Stats, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    rows = [
        (str(row[0]), as_int(row[1]))
        for row in inq.get("country_backgrounds") or []
        if isinstance(row, list | tuple) and len(row) == 2
    ]
    shown = [(name, n) for name, n in rows if n and not p.hidden(n)]
    if not shown:
        return [f"Ingen oppga landbakgrunn i {stats['year']}."] if not rows else []
    names = norsk.join_and(norsk.country_name(name) for name, _ in shown[:5])
    return [
        "Det er ikke obligatorisk å oppgi landbakgrunn, men vi registrerer dette når det "
        f"oppgis. Av de som har oppgitt bakgrunn, har flest røtter fra {names}."
    ]


def themes(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    ranked = sorted(
        ((t, n) for t, n in ordered_counts(inq.get("by_theme")).items() if n),
        key=lambda x: -x[1],
    )
    if not total or not ranked:
        return []
    first, n = ranked[0]
    share = p.pct(n, total)
    inner = f"{p.n(n)}, {share}" if share else p.n(n)
    sentence = (
        f"Det vanligste temaet i henvendelsene var "
        f"{norsk.lower_label(labels('theme', first))} ({inner})"
    )
    if len(ranked) > 1:
        sentence += ", fulgt av " + norsk.join_and(
            f"{norsk.lower_label(labels('theme', t))} ({p.n(c)})" for t, c in ranked[1:3]
        )
    return [sentence + ". En henvendelse kan handle om flere temaer."]


# Who called, as said after "fra": the labels are singular, the sentence speaks of many.
_CALLER_PHRASE = {
    "self": "personen selv",
    "friend": "venner",
    "family": "familie",
    "professional": "fagpersoner",
    "other": "andre",
}


def callers(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    total = as_int(inq.get("total"))
    ranked = sorted(
        ((c, n) for c, n in ordered_counts(inq.get("by_caller")).items() if n and c != "unknown"),
        key=lambda x: -x[1],
    )
    parts: list[str] = []
    for code, n in ranked:
        share = p.pct(n, total)
        if share:
            who = _CALLER_PHRASE.get(code) or norsk.lower_label(labels("caller", code))
            parts.append(f"{share} fra {who}")
    if not parts:
        return []
    return [f"Av henvendelsene kom {norsk.join_and(parts)}."]


def months(stats: Stats, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    by = ordered_counts(inq.get("by_month"))
    if not by or not any(by.values()):
        return []
    best = max(by, key=lambda m: by[m])
    out = [f"Flest henvendelser kom i {norsk.month_label(best)} ({p.n(by[best])})."]
    campaigns = (stats.get("outreach") or {}).get("campaigns") or []
    if campaigns:
        out.append(
            "Grafen under viser henvendelser per måned, med kampanjeperiodene markert. "
            "Økningen i henvendelser samsvarer med kampanjene."
        )
    else:
        out.append("Grafen under viser henvendelser per måned.")
    return out


# Follow-up activities: one sentence per category, in the seed report's words.
_ACTIVITY_SENTENCES = {
    "nav": "Vi har hatt kontakt med Nav {times} på vegne av brukerne våre i {year}.",
    "kompetanseteamet": "Vi hadde kontakt med Kompetanseteamet {times}.",
    "practical_help": (
        "Praktisk hjelp handler først og fremst om konkret bistand til utfylling av søknader. "
        "Dette gjorde vi {times} i {year}."
    ),
    "police": "Vi hadde kontakt med politiet {times}.",
    "child_welfare": "Vi hadde kontakt med barnevernstjenesten {times}.",
    "external_meeting": (
        "Sammen med brukere deltok vi på {meetings} med ulike offentlige instanser."
    ),
    "external_contact": "I {year} hadde vi {transfers}/kontakt med andre instanser.",
    "housing_programme": "Vi hadde kontakt med bo- og støttetilbudet {times}.",
    "in_person": "Det ble gjennomført {in_person} med brukere.",
    "mail": "Vi hadde {mail} i {year}.",
}


def activity_sentence(code: str, n: int, year: int, labels: Labels, p: Protect) -> str:
    template = _ACTIVITY_SENTENCES.get(code)
    if n == 0:
        label = norsk.lower_label(labels("activity", code))
        return f"Det er ikke registrert noen aktiviteter i kategorien «{label}» i {year}."
    values = {
        "times": p.count(n, "gang"),
        "year": year,
        "meetings": p.count(n, "møte"),
        "transfers": p.count(n, "overføring"),
        "in_person": p.count(n, "fysisk møte"),
        "mail": p.count(n, "posthenvendelse"),
    }
    if template is None:
        label = labels("activity", code)
        return f"{label}: {p.count(n, 'aktivitet')} i {year}."
    return template.format(**values)


def follow_up_intro(block: Stats, year: int, p: Protect) -> list[str]:
    users = as_int(block.get("users"))
    inquiries = as_int(block.get("user_inquiries"))
    out = [
        f"Dette året har tjenesten hatt {p.count(inquiries, 'henvendelse')} fra brukerne våre, "
        "det vil si fra de vi har en avtale om å følge opp.",
        "Som bruker gir de samtykke til at vi kan oppbevare informasjon om dem og følge dem "
        "opp over tid, og samtykket kan trekkes når som helst.",
        f"Tjenesten hadde i {year} {p.count(users, 'bruker')}.",
    ]
    new = as_int(block.get("new_users"))
    if users:
        out.append(f"Av disse kom {p.n(new)} til i løpet av året.")
    housing = as_int(block.get("from_housing_programme"))
    if housing:
        out.append(
            f"{norsk.capitalise(p.count(housing, 'person'))} er overført fra bo- og støttetilbudet."
        )
    protected = as_int(block.get("protected_address_users"))
    if protected:
        out.append(
            f"{norsk.capitalise(p.count(protected, 'bruker'))} har sperret adresse (kode 6 eller "
            "7)."
        )
    return out


def chat_summary(block: Stats, year: int, p: Protect) -> list[str]:
    sessions = as_int(block.get("sessions"))
    if not sessions:
        return [f"Det er ikke registrert chatsamtaler i {year}."]
    answered, abandoned = as_int(block.get("answered")), as_int(block.get("abandoned"))
    out = [f"I {year} ble det startet {p.count(sessions, 'samtale')}."]
    share = p.pct(answered, sessions)
    tail = f" ({share})" if share else ""
    out.append(
        f"{p.n(answered)} ble besvart av en rådgiver{tail}, mens {p.n(abandoned)} forlot køen "
        "før en rådgiver svarte."
    )
    median, p90 = block.get("median_wait_seconds"), block.get("p90_wait_seconds")
    if median is not None:
        sentence = f"Halvparten fikk svar innen {duration(as_int(median))}"
        if p90 is not None:
            sentence += f", og ni av ti innen {duration(as_int(p90))}"
        out.append(sentence + ".")
    length = block.get("median_duration_seconds")
    if length is not None:
        out.append(f"En typisk samtale varte {duration(as_int(length))}.")
    closed = as_int(block.get("closed_visits"))
    if closed:
        out.append(
            f"I tillegg var det {p.count(closed, 'besøk')} på chatten mens den var stengt. "
            "Det viser etterspørsel utenfor åpningstiden."
        )
    return out


def duration(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    if minutes and secs:
        return f"{norsk.count(minutes, 'minutt')} og {norsk.count(secs, 'sekund')}"
    if minutes:
        return norsk.count(minutes, "minutt")
    return norsk.count(secs, "sekund")


def housing_programme(block: Stats, contacts: int, year: int, p: Protect) -> str:
    """The housing programme's section, in the seed's words: "Vi følger opp 18 personer som er
    overført fra bo- og støttetilbudet, og hadde kontakt med botilbudet flere ganger i
    forbindelse med dette." The persons are the year's users whose source is the programme;
    the contacts are the activities of the "housing_programme" category."""
    persons = as_int(block.get("from_housing_programme"))
    values = {
        "persons": p.count(persons, "person"),
        "times": p.count(contacts, "gang"),
        "year": year,
    }
    if persons and contacts:
        return (
            _(
                "Vi følger opp %(persons)s som er overført fra bo- og støttetilbudet, og hadde "
                "kontakt med botilbudet %(times)s i forbindelse med dette."
            )
            % values
        )
    if persons:
        return _("Vi følger opp %(persons)s som er overført fra bo- og støttetilbudet.") % values
    if contacts:
        return (
            _(
                "Ingen av brukerne i %(year)s er overført fra bo- og støttetilbudet. Vi hadde "
                "kontakt med botilbudet %(times)s."
            )
            % values
        )
    return (
        _(
            "Ingen av brukerne i %(year)s er overført fra bo- og støttetilbudet, og det er ikke "
            "registrert kontakt med botilbudet."
        )
        % values
    )
