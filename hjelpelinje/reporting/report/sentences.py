"""The figure sentences of the annual report, written from the statistics dict.

Each function takes parts of `year_statistics(year)` and returns finished sentences, in the
style of the helpline's own report ("I 2023 har tjenesten mottatt 158 relevante
førstegangshenvendelser. Til sammenligning mottok vi 60 i 2022."). Every number goes through
`Protect`, so small-number protection reaches the prose as well as the tables.

Every sentence is one translatable string with named placeholders, so the English report is
written sentence by sentence rather than pieced together from Norwegian word order.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from hjelpelinje.reporting import norsk
from hjelpelinje.reporting.figures import Labels, Protect, as_int, ordered_counts

Stats = dict[str, Any]


def _channel_phrase(code: str, labels: Labels) -> str:
    """How a channel is said after a count: "74 på chat", "7 ved fysisk oppmøte"."""
    if code == "walk_in":
        return _("ved fysisk oppmøte")
    label = norsk.lower_label(labels("channel", code))
    return pgettext("after a count: 74 on chat", "på %(channel)s") % {"channel": label}


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
        out.append(
            _("I %(year)s er det ikke registrert noen relevante førstegangshenvendelser.")
            % {"year": year}
        )
    else:
        out.append(
            _("I %(year)s har tjenesten mottatt %(count)s.")
            % {"year": year, "count": p.count(total, "relevant førstegangshenvendelse")}
        )
    if prev is None:
        out.append(
            _("Det er ikke registrert henvendelser for %(year)s å sammenligne med.")
            % {"year": year - 1}
        )
    else:
        prev_total = as_int(prev.get("total"))
        out.append(
            _("Til sammenligning mottok vi %(n)s i %(year)s.")
            % {"n": p.n(prev_total), "year": year - 1}
        )
        if total and not (p.hidden(total) or p.hidden(prev_total)) and total != prev_total:
            change = norsk.percent(norsk.percent_value(abs(total - prev_total), prev_total) or 0)
            if total > prev_total:
                out.append(_("Det er en økning på %(change)s.") % {"change": change})
            else:
                out.append(_("Det er en nedgang på %(change)s.") % {"change": change})
    not_relevant = as_int(inq.get("not_relevant"))
    if not_relevant:
        values = {"count": p.count(not_relevant, "henvendelse")}
        if not_relevant == 1 and not p.hidden(1):
            out.append(
                _(
                    "I tillegg mottok vi %(count)s som ikke var relevant for vårt tilbud. "
                    "Den ble henvist videre."
                )
                % values
            )
        else:
            out.append(
                _(
                    "I tillegg mottok vi %(count)s som ikke var relevante for vårt tilbud. "
                    "Disse ble henvist videre."
                )
                % values
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
            out.append(_("Den ene førstegangshenvendelsen kom %(how)s.") % {"how": phrase})
        else:
            out.append(
                _("Alle %(n)s førstegangshenvendelsene kom %(how)s.")
                % {"n": p.n(total), "how": phrase}
            )
        return out
    top = used[:2]
    out.append(
        _("Av %(count)s mottok vi %(parts)s.")
        % {
            "count": p.count(total, "førstegangshenvendelse"),
            "parts": norsk.join_and(f"{p.n(n)} {_channel_phrase(code, labels)}" for code, n in top),
        }
    )
    rest = used[2:]
    if rest:
        rest_total = sum(n for _code, n in rest)
        if rest_total == 1:
            out.append(
                _("Den siste henvendelsen kom %(how)s.")
                % {"how": _channel_phrase(rest[0][0], labels)}
            )
        else:
            parts = norsk.join_and(
                f"{_channel_phrase(code, labels)} ({p.n(n)})" for code, n in rest
            )
            out.append(_("De resterende henvendelsene kom %(parts)s.") % {"parts": parts})
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
        values = {"ages": norsk.join_and(age_labels), "how": _channel_phrase(channel, labels)}
        if len(age_labels) == 1:
            clauses.append(_("aldersgruppen %(ages)s kontaktet oss mest %(how)s") % values)
        else:
            clauses.append(_("aldersgruppene %(ages)s kontaktet oss mest %(how)s") % values)
    return [norsk.capitalise(_(", mens ").join(clauses)) + "."]


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
    if len(known) > 1:
        out.append(
            _("Flest henvendelser gjaldt aldersgruppen %(first)s, fulgt av %(second)s.")
            % {"first": with_share(*first), "second": with_share(*known[1])}
        )
    else:
        out.append(
            _("Flest henvendelser gjaldt aldersgruppen %(first)s.") % {"first": with_share(*first)}
        )
    prev = previous_inquiries(stats)
    youngest = next(iter(ages), None)
    if prev is not None and youngest is not None:
        before = as_int(ordered_counts(prev.get("by_age_group")).get(youngest))
        now = ages[youngest]
        year = stats["year"]
        values = {
            "label": labels("age_group", youngest),
            "before": p.n(before),
            "now": p.n(now),
            "last_year": year - 1,
            "year": year,
        }
        if p.hidden(before) or p.hidden(now):
            pass
        elif now > before:
            out.append(
                _(
                    "Antall henvendelser fra den yngste aldersgruppen (%(label)s) økte fra "
                    "%(before)s i %(last_year)s til %(now)s i %(year)s."
                )
                % values
            )
        elif now < before:
            out.append(
                _(
                    "Antall henvendelser fra den yngste aldersgruppen (%(label)s) gikk ned fra "
                    "%(before)s i %(last_year)s til %(now)s i %(year)s."
                )
                % values
            )
        else:
            out.append(
                _(
                    "Antall henvendelser fra den yngste aldersgruppen (%(label)s) var det samme "
                    "som i %(last_year)s: %(now)s."
                )
                % values
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
        if share >= 75:
            sentence = _("De aller fleste førstegangshenvendelsene gjelder kvinner (%(women)s)")
        else:
            sentence = _("De fleste førstegangshenvendelsene gjelder kvinner (%(women)s)")
        sentence %= {"women": women_pct}
        if men_pct:
            sentence += _(" – %(men)s av sakene handler om menn") % {"men": men_pct}
        out.append(sentence + ".")
    else:
        parts = []
        if women_pct:
            parts.append(_("%(women)s av sakene handler om kvinner") % {"women": women_pct})
        if men_pct:
            parts.append(_("%(men)s om menn") % {"men": men_pct})
        if parts:
            out.append(norsk.capitalise(norsk.join_and(parts)) + ".")
    other, unknown = by.get("other", 0), by.get("unknown", 0)
    other_pct, unknown_pct = p.pct(other, total), p.pct(unknown, total)
    if other and other_pct:
        out.append(
            _("%(share)s av henvendelsene gjaldt personer med annen kjønnsidentitet.")
            % {"share": other_pct}
        )
    if unknown and unknown_pct:
        out.append(_("%(share)s oppga ikke kjønn.") % {"share": unknown_pct})
    return out


def follow_up_cases(stats: Stats, labels: Labels, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    year = stats["year"]
    total = as_int(inq.get("total"))
    if not total:
        return []
    cases = as_int(inq.get("follow_up"))
    out = []
    lead = _("Av de %(n)s henvendelsene vi fikk i %(year)s") % {"n": p.n(total), "year": year}
    if total == 1 and not p.hidden(1):
        lead = _("Av den ene henvendelsen vi fikk i %(year)s") % {"year": year}
    share = p.pct(cases, total)
    if cases == 0:
        out.append(_("%(lead)s, ble ingen til oppfølgingssaker.") % {"lead": lead})
    elif cases == 1 and not p.hidden(1):
        out.append(_("%(lead)s, ble 1 til en oppfølgingssak.") % {"lead": lead})
    else:
        tail = f" ({share})" if share else ""
        out.append(
            _("%(lead)s, ble %(n)s av disse til oppfølgingssaker%(tail)s.")
            % {"lead": lead, "n": p.n(cases), "tail": tail}
        )
    prev = previous_inquiries(stats)
    if prev is not None:
        prev_cases = as_int(prev.get("follow_up"))
        prev_total = as_int(prev.get("total"))
        out.append(
            _("I %(year)s ble %(cases)s av %(total)s henvendelser til oppfølgingssaker.")
            % {"year": year - 1, "cases": p.n(prev_cases), "total": p.n(prev_total)}
        )
    referrals = sorted(
        ((a, n) for a, n in ordered_counts(inq.get("referrals")).items() if n),
        key=lambda x: -x[1],
    )
    if referrals:
        named = norsk.join_and(
            f"{norsk.lower_label(labels('agency', a))} ({p.n(n)})" for a, n in referrals[:4]
        )
        out.append(_("Vi henviste oftest til %(agencies)s.") % {"agencies": named})
    else:
        out.append(
            _("Ingen henvendelser ble registrert som henvist videre i %(year)s.") % {"year": year}
        )
    duty = as_int(inq.get("duty_to_avert"))
    if duty:
        out.append(_("Avvergeplikten ble utløst i %(cases)s.") % {"cases": p.count(duty, "sak")})
    else:
        out.append(_("Avvergeplikten ble ikke utløst i %(year)s.") % {"year": year})
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
        values = {"share": share, "region": labels("region", code)}
        if first_of and not parts:
            parts.append(_("%(share)s av henvendelsene fra %(region)s") % values)
        else:
            parts.append(_("%(share)s fra %(region)s") % values)
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
        out.append(_("I %(year)s var %(regions)s.") % {"year": year, "regions": listed})
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
            out.append(
                pgettext("regions last year", "Til sammenligning var %(regions)s i %(year)s.")
                % {"regions": prev_listed, "year": year - 1}
            )
    unknown_pct = p.pct(by.get("unknown", 0), total) if by.get("unknown") else None
    abroad_pct = p.pct(by.get("abroad", 0), total) if by.get("abroad") else None
    values = {"unknown": unknown_pct, "abroad": abroad_pct}
    if unknown_pct and abroad_pct:
        out.append(
            _(
                "I tillegg var %(unknown)s av henvendelsene fra ukjent landsdel, "
                "og %(abroad)s gjaldt personer i utlandet."
            )
            % values
        )
    elif unknown_pct:
        out.append(_("I tillegg var %(unknown)s av henvendelsene fra ukjent landsdel.") % values)
    elif abroad_pct:
        out.append(_("I tillegg gjaldt %(abroad)s av henvendelsene personer i utlandet.") % values)
    if p.active:
        out.append(
            _("Andeler bygget på færre enn %(n)s henvendelser er ikke vist.") % {"n": p.min_count}
        )
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
        if rows:
            return []
        return [_("Ingen oppga landbakgrunn i %(year)s.") % {"year": stats["year"]}]
    names = norsk.join_and(norsk.country_name(name) for name, _n in shown[:5])
    return [
        _(
            "Det er ikke obligatorisk å oppgi landbakgrunn, men vi registrerer dette når det "
            "oppgis. Av de som har oppgitt bakgrunn, har flest røtter fra %(countries)s."
        )
        % {"countries": names}
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
    values = {
        "theme": norsk.lower_label(labels("theme", first)),
        "inner": inner,
        "others": norsk.join_and(
            f"{norsk.lower_label(labels('theme', t))} ({p.n(c)})" for t, c in ranked[1:3]
        ),
    }
    if len(ranked) > 1:
        sentence = (
            _(
                "Det vanligste temaet i henvendelsene var %(theme)s (%(inner)s), "
                "fulgt av %(others)s."
            )
            % values
        )
    else:
        sentence = _("Det vanligste temaet i henvendelsene var %(theme)s (%(inner)s).") % values
    return [sentence + " " + _("En henvendelse kan handle om flere temaer.")]


# Who called, as said after "fra": the labels are singular, the sentence speaks of many.
_CALLER_PHRASE = {
    "self": pgettext_lazy("inquiries came from", "personen selv"),
    "friend": pgettext_lazy("inquiries came from", "venner"),
    "family": pgettext_lazy("inquiries came from", "familie"),
    "professional": pgettext_lazy("inquiries came from", "fagpersoner"),
    "other": pgettext_lazy("inquiries came from", "andre"),
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
            parts.append(_("%(share)s fra %(who)s") % {"share": share, "who": who})
    if not parts:
        return []
    return [_("Av henvendelsene kom %(parts)s.") % {"parts": norsk.join_and(parts)}]


def months(stats: Stats, p: Protect) -> list[str]:
    inq = stats.get("inquiries") or {}
    by = ordered_counts(inq.get("by_month"))
    if not by or not any(by.values()):
        return []
    best = max(by, key=lambda m: by[m])
    out = [
        _("Flest henvendelser kom i %(month)s (%(n)s).")
        % {"month": norsk.month_label(best), "n": p.n(by[best])}
    ]
    campaigns = (stats.get("outreach") or {}).get("campaigns") or []
    if campaigns:
        out.append(
            _(
                "Grafen under viser henvendelser per måned, med kampanjeperiodene markert. "
                "Økningen i henvendelser samsvarer med kampanjene."
            )
        )
    else:
        out.append(_("Grafen under viser henvendelser per måned."))
    return out


# Follow-up activities: one sentence per category, in the seed report's words.
_ACTIVITY_SENTENCES = {
    "nav": gettext_lazy(
        "Vi har hatt kontakt med Nav %(times)s på vegne av brukerne våre i %(year)s."
    ),
    "kompetanseteamet": gettext_lazy("Vi hadde kontakt med Kompetanseteamet %(times)s."),
    "practical_help": gettext_lazy(
        "Praktisk hjelp handler først og fremst om konkret bistand til utfylling av søknader. "
        "Dette gjorde vi %(times)s i %(year)s."
    ),
    "police": gettext_lazy("Vi hadde kontakt med politiet %(times)s."),
    "child_welfare": gettext_lazy("Vi hadde kontakt med barnevernstjenesten %(times)s."),
    "external_meeting": gettext_lazy(
        "Sammen med brukere deltok vi på %(meetings)s med ulike offentlige instanser."
    ),
    "external_contact": gettext_lazy(
        "I %(year)s hadde vi %(transfers)s/kontakt med andre instanser."
    ),
    "housing_programme": gettext_lazy("Vi hadde kontakt med bo- og støttetilbudet %(times)s."),
    "in_person": gettext_lazy("Det ble gjennomført %(in_person)s med brukere."),
    "mail": gettext_lazy("Vi hadde %(mail)s i %(year)s."),
}


def activity_sentence(code: str, n: int, year: int, labels: Labels, p: Protect) -> str:
    template = _ACTIVITY_SENTENCES.get(code)
    if n == 0:
        label = norsk.lower_label(labels("activity", code))
        return _("Det er ikke registrert noen aktiviteter i kategorien «%(label)s» i %(year)s.") % {
            "label": label,
            "year": year,
        }
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
        return _("%(label)s: %(count)s i %(year)s.") % {
            "label": label,
            "count": p.count(n, "aktivitet"),
            "year": year,
        }
    return str(template) % values


def follow_up_intro(block: Stats, year: int, p: Protect) -> list[str]:
    users = as_int(block.get("users"))
    inquiries = as_int(block.get("user_inquiries"))
    out = [
        _(
            "Dette året har tjenesten hatt %(count)s fra brukerne våre, "
            "det vil si fra de vi har en avtale om å følge opp."
        )
        % {"count": p.count(inquiries, "henvendelse")},
        _(
            "Som bruker gir de samtykke til at vi kan oppbevare informasjon om dem og følge dem "
            "opp over tid, og samtykket kan trekkes når som helst."
        ),
        _("Tjenesten hadde i %(year)s %(users)s.")
        % {"year": year, "users": p.count(users, "bruker")},
    ]
    new = as_int(block.get("new_users"))
    if users:
        out.append(_("Av disse kom %(n)s til i løpet av året.") % {"n": p.n(new)})
    housing = as_int(block.get("from_housing_programme"))
    if housing:
        out.append(
            _("%(persons)s er overført fra bo- og støttetilbudet.")
            % {"persons": norsk.capitalise(p.count(housing, "person"))}
        )
    protected = as_int(block.get("protected_address_users"))
    if protected:
        out.append(
            _("%(users)s har sperret adresse (kode 6 eller 7).")
            % {"users": norsk.capitalise(p.count(protected, "bruker"))}
        )
    return out


def chat_summary(block: Stats, year: int, p: Protect) -> list[str]:
    sessions = as_int(block.get("sessions"))
    if not sessions:
        return [_("Det er ikke registrert chatsamtaler i %(year)s.") % {"year": year}]
    answered, abandoned = as_int(block.get("answered")), as_int(block.get("abandoned"))
    out = [
        _("I %(year)s ble det startet %(count)s.")
        % {"year": year, "count": p.count(sessions, "samtale")}
    ]
    share = p.pct(answered, sessions)
    tail = f" ({share})" if share else ""
    out.append(
        _(
            "%(answered)s ble besvart av en rådgiver%(tail)s, mens %(abandoned)s forlot køen "
            "før en rådgiver svarte."
        )
        % {"answered": p.n(answered), "tail": tail, "abandoned": p.n(abandoned)}
    )
    median, p90 = block.get("median_wait_seconds"), block.get("p90_wait_seconds")
    if median is not None:
        values = {"median": duration(as_int(median)), "p90": duration(as_int(p90 or 0))}
        if p90 is not None:
            out.append(
                _("Halvparten fikk svar innen %(median)s, og ni av ti innen %(p90)s.") % values
            )
        else:
            out.append(_("Halvparten fikk svar innen %(median)s.") % values)
    length = block.get("median_duration_seconds")
    if length is not None:
        out.append(
            _("En typisk samtale varte %(duration)s.") % {"duration": duration(as_int(length))}
        )
    closed = as_int(block.get("closed_visits"))
    if closed:
        out.append(
            _(
                "I tillegg var det %(visits)s på chatten mens den var stengt. "
                "Det viser etterspørsel utenfor åpningstiden."
            )
            % {"visits": p.count(closed, "besøk")}
        )
    return out


def duration(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    if minutes and secs:
        return norsk.join_and([norsk.count(minutes, "minutt"), norsk.count(secs, "sekund")])
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
