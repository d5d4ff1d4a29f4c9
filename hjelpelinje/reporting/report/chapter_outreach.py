"""Chapter 4 of the annual report: outreach (campaigns and their effect, talks, media,
social media, networks and the website)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext_lazy

from hjelpelinje.reporting import norsk, website
from hjelpelinje.reporting.figures import (
    Cell,
    Figure,
    Labels,
    Pct,
    Protect,
    Table,
    as_int,
)
from hjelpelinje.reporting.report.document import (
    Block,
    Bullets,
    Chapter,
    Markdown,
    Note,
    Paragraph,
    Section,
    Stats,
    paragraphs,
)
from hjelpelinje.reporting.report.shared_figures import Effect, campaign_effect
from hjelpelinje.reporting.report.values import (
    as_date,
    campaign_dates,
    campaign_value,
    count_and_kinds,
    first_of,
)

_SEMINAR_TALK = gettext_lazy("foredrag på seminar")
_SCHOOL_VISIT = gettext_lazy("skolebesøk")
_ORGANISATION_VISIT = gettext_lazy("organisasjonsbesøk")
_CONSULTATION = gettext_lazy("innspillsmøte med offentlig instans")
TALK_KINDS = {
    "talk": _SEMINAR_TALK,
    "seminar": _SEMINAR_TALK,
    "seminar_talk": _SEMINAR_TALK,
    "course": gettext_lazy("kurs"),
    "school_visit": _SCHOOL_VISIT,
    "school": _SCHOOL_VISIT,
    "organisation_visit": _ORGANISATION_VISIT,
    "organization_visit": _ORGANISATION_VISIT,
    "visit": _ORGANISATION_VISIT,
    "workshop": gettext_lazy("workshop"),
    "consultation": _CONSULTATION,
    "consultation_meeting": _CONSULTATION,
}
# Singular and plural of each media kind, translated as one counted noun.
_INTERVIEW = npgettext_lazy("media kind", "intervju", "intervjuer")
_RADIO = npgettext_lazy("media kind", "radioinnslag", "radioinnslag")
_OP_ED = npgettext_lazy("media kind", "kronikk", "kronikker")
_COMMENT = npgettext_lazy("media kind", "kommentar", "kommentarer")
MEDIA_KINDS = {
    "interview": (_INTERVIEW, _INTERVIEW),
    "radio": (_RADIO, _RADIO),
    "op_ed": (_OP_ED, _OP_ED),
    "oped": (_OP_ED, _OP_ED),
    "comment": (_COMMENT, _COMMENT),
}
PLATFORMS = {
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "airport_screens": gettext_lazy("skjermer på flyplasser"),
    "transit_screens": gettext_lazy("skjermer på kollektivtransport og kjøpesentre"),
}


def _campaign_section(campaign: Stats, labels: Labels, p: Protect) -> Section:
    """One campaign as the seed report shows it: the story, the facts, whom each platform
    targeted and reached (age groups, gender split), the results and the effect."""
    name = str(campaign.get("name") or _("Kampanje"))
    out: list[Block] = []
    description = str(campaign.get("description") or "").strip()
    if description:
        # What the manager wrote about the campaign, as the seed report opens each one.
        out.append(Markdown(description))
    facts: list[str] = []
    start, end = campaign_dates(campaign)
    if start and end:
        weekends = bool(campaign.get("excludes_weekends") or campaign.get("exclude_weekends"))
        holidays = bool(campaign.get("excludes_holidays") or campaign.get("exclude_holidays"))
        values = {"period": norsk.period(start, end)}
        if weekends and holidays:
            facts.append(
                _("Kampanjen ble kjørt fra %(period)s, ekskludert helger og fridager.") % values
            )
        elif weekends:
            facts.append(_("Kampanjen ble kjørt fra %(period)s, ekskludert helger.") % values)
        elif holidays:
            facts.append(_("Kampanjen ble kjørt fra %(period)s, ekskludert fridager.") % values)
        else:
            facts.append(_("Kampanjen ble kjørt fra %(period)s.") % values)
    partner = str(campaign.get("partner") or "").strip()
    if partner:
        facts.append(_("Kampanjen ble laget i samarbeid med %(partner)s.") % {"partner": partner})
    platforms = campaign.get("platforms")
    if isinstance(platforms, list) and platforms:
        names = [
            _platform_name(str(pl if not isinstance(pl, dict) else pl.get("platform")))
            for pl in platforms
        ]
        facts.append(_("Kampanjen gikk på %(platforms)s.") % {"platforms": norsk.join_and(names)})
    funder = campaign.get("funder")
    if funder:
        facts.append(_("Kampanjen var finansiert av %(funder)s.") % {"funder": funder})
    facts += _extended_hours(campaign, labels)
    rows = [r for r in campaign.get("by_platform") or [] if isinstance(r, dict)]
    facts += _campaign_audience(rows, labels)
    results = []
    impressions = as_int(campaign_value(campaign, "impressions"))
    clicks = as_int(campaign_value(campaign, "clicks"))
    browsers = as_int(campaign_value(campaign, "unique_browsers"))
    plays = as_int(campaign_value(campaign, "screen_plays"))
    if impressions:
        results.append(_("%(n)s annonsevisninger") % {"n": norsk.num(impressions)})
    if browsers:
        results.append(_("%(n)s individuelle nettlesere nådd") % {"n": norsk.num(browsers)})
    if clicks:
        results.append(_("%(n)s klikk til nettsiden vår") % {"n": norsk.num(clicks)})
    if plays:
        results.append(_("%(n)s avspillinger på skjermer") % {"n": norsk.num(plays)})
    if results:
        facts.append(
            _("Kampanjen resulterte i %(results)s.") % {"results": norsk.join_and(results)}
        )
    if facts:
        out.append(Paragraph(" ".join(facts)))
    table = _campaign_table(name, rows, labels)
    if table is not None:
        out.append(table)
    if campaign.get("website_visits") is not None:
        # Counted by the website itself from the campaign's tag, beside the ad platform's
        # clicks above ("førte til at 36 066 seg inn på nettsiden vår", seed 5.2).
        out.append(
            Paragraph(website.campaign_visits_sentence(name, as_int(campaign["website_visits"])))
        )
    effect = campaign_effect(campaign)
    if effect is not None:
        out.append(Paragraph(_effect_sentence(effect, p)))
    return Section(title=name, blocks=out)


def _platform_name(code: str) -> str:
    return str(PLATFORMS.get(code, code))


def _clock(value: Any) -> str:
    """ "18:00" as the seed writes it after "kl.": "18", or "18.30"; "18:00" in English."""
    hour, _sep, minute = str(value).partition(":")
    if norsk.english():
        return f"{hour}:{minute[:2] or '00'}"
    return hour if minute in ("", "00") else f"{hour}.{minute[:2]}"


def _extended_hours(campaign: Stats, labels: Labels) -> list[str]:
    """ "Under kampanjen hadde vi åpent til kl. 18 på telefon og chat." (seed 3.3)"""
    by_closing: dict[str, list[str]] = {}
    for hours in campaign.get("extended_hours") or []:
        if isinstance(hours, dict) and hours.get("closes"):
            channel = norsk.lower_label(labels("channel", str(hours.get("channel"))))
            by_closing.setdefault(_clock(hours["closes"]), []).append(channel)
    return [
        _("Under kampanjen hadde vi utvidet åpningstid til kl. %(closes)s på %(channels)s.")
        % {"closes": closes, "channels": norsk.join_and(dict.fromkeys(channels))}
        for closes, channels in by_closing.items()
    ]


def _target(row: Stats, labels: Labels) -> str:
    """A platform's target group: the agency's own words ("13-17 år"), else the age groups."""
    text = str(row.get("target_ages") or "").strip()
    if text:
        return text
    groups = [labels("age_group", str(c)) for c in row.get("target_age_groups") or []]
    return norsk.join_and(groups)


def _gender_split(row: Stats) -> str:
    women, men, other = row.get("percent_women"), row.get("percent_men"), row.get("percent_other")
    if women is None and men is None:
        return ""
    parts = []
    if women is not None:
        parts.append(_("%(pct)s jenter") % {"pct": norsk.percent(as_int(women))})
    if men is not None:
        parts.append(_("%(pct)s gutter") % {"pct": norsk.percent(as_int(men))})
    if other:
        parts.append(_("%(pct)s annet eller ukjent") % {"pct": norsk.percent(as_int(other))})
    return norsk.join_and(parts)


def _campaign_audience(rows: list[Stats], labels: Labels) -> list[str]:
    """ "Målgruppen var 15-21 år på Snapchat og 13-24 år på TikTok." and the gender split."""
    out = []
    targets = [(_platform_name(str(r.get("platform"))), _target(r, labels)) for r in rows]
    targets = [(name, target) for name, target in targets if target]
    if targets:
        if len({target for _name, target in targets}) == 1:
            said = targets[0][1]
        else:
            said = norsk.join_and(
                _("%(target)s på %(platform)s") % {"target": target, "platform": name}
                for name, target in targets
            )
        out.append(_("Målgruppen var %(target)s.") % {"target": said})
    splits = [
        _("%(platform)s: %(split)s")
        % {"platform": _platform_name(str(r.get("platform"))), "split": s}
        for r in rows
        if (s := _gender_split(r))
    ]
    if splits:
        out.append(
            _("Kjønnsfordeling blant dem som ble nådd: %(splits)s.") % {"splits": "; ".join(splits)}
        )
    return out


def _campaign_table(name: str, rows: list[Stats], labels: Labels) -> Table | None:
    """The campaign's panel in the seed report: per platform, target group, gender, results."""
    if not rows:
        return None
    columns: list[tuple[str, Any]] = [
        (_("Plattform"), lambda r: norsk.capitalise(_platform_name(str(r.get("platform"))))),
        (_("Målgruppe"), lambda r: _target(r, labels)),
        (_("Jenter"), lambda r: _pct_or_blank(r.get("percent_women"))),
        (_("Gutter"), lambda r: _pct_or_blank(r.get("percent_men"))),
        (_("Annet/ukjent"), lambda r: _pct_or_blank(r.get("percent_other"))),
        (_("Annonsevisninger"), lambda r: r.get("impressions")),
        (_("Klikk"), lambda r: r.get("clicks")),
        (_("Unike nettlesere"), lambda r: r.get("unique_browsers")),
        (_("Avspillinger på skjerm"), lambda r: r.get("screen_plays")),
    ]
    # A column nobody filled in (no screens, no "other" gender) is left out, not shown empty.
    kept = columns[:2] + [
        (title, get) for title, get in columns[2:] if any(_given(get(r)) for r in rows)
    ]
    return Table(
        key="campaign_platforms",
        title=_("%(campaign)s: målgruppe og kjønnsfordeling per plattform") % {"campaign": name},
        columns=[title for title, _get in kept],
        rows=[[_cell(get(r)) for _title, get in kept] for r in rows],
        inline=True,
    )


def _pct_or_blank(value: Any) -> Cell:
    return Pct(as_int(value)) if value is not None else ""


def _given(value: Any) -> bool:
    return value not in (None, "", 0) and value != Pct(0)


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, int | float | str | Pct):
        return value
    return str(value)


def _effect_sentence(e: Effect, p: Protect) -> str:
    values = {"before": norsk.ratio(e.baseline_per_day), "during": norsk.ratio(e.campaign_per_day)}
    if e.campaign_per_day > e.baseline_per_day:
        sentence = _("Henvendelser per åpen dag steg fra %(before)s til %(during)s under kampanjen")
    elif e.campaign_per_day < e.baseline_per_day:
        sentence = _("Henvendelser per åpen dag sank fra %(before)s til %(during)s under kampanjen")
    else:
        sentence = _("Henvendelser per åpen dag var %(during)s både før og under kampanjen")
    sentence %= values
    if not (p.hidden(e.baseline_count) or p.hidden(e.campaign_count)):
        sentence += " " + _(
            "(%(before)s på %(before_days)s før, %(during)s på %(during_days)s under)"
        ) % {
            "before": p.count(e.baseline_count, "henvendelse"),
            "before_days": norsk.count(e.baseline_days, "åpen dag"),
            "during": p.n(e.campaign_count),
            "during_days": norsk.count(e.campaign_days, "åpen dag"),
        }
    notes = [sentence + "."]
    if not e.baseline_complete:
        notes.append(_("Det fantes færre åpne dager med data før kampanjen enn under den."))
    if e.overlapping:
        notes.append(
            _(
                "Kampanjen overlappet med %(campaigns)s, og virkningene kan "
                "ikke skilles fra hverandre."
            )
            % {"campaigns": norsk.join_and(e.overlapping)}
        )
    if e.in_progress:
        notes.append(_("Kampanjen pågikk fortsatt da tallene ble hentet."))
    notes.append(_("Tallene viser samtidighet, ikke at kampanjen alene var årsaken."))
    return " ".join(notes)


def _social_accounts(value: Any, year: int) -> list[str]:
    """Seed 5.1: "I 2023 har vi hatt fire kontoer på plattformene Facebook, Instagram, Snapchat
    og TikTok." and when the new ones were opened."""
    accounts = [a for a in value or [] if isinstance(a, dict) and a.get("active", True)]
    if not accounts:
        return []
    names = [str(PLATFORMS.get(str(a.get("platform")), a.get("platform"))) for a in accounts]
    n = len(accounts)
    out = [
        ngettext(
            "I %(year)s har vi hatt %(n)s konto i sosiale medier: %(platforms)s.",
            "I %(year)s har vi hatt %(n)s kontoer i sosiale medier: %(platforms)s.",
            n,
        )
        % {"year": year, "n": norsk.num(n), "platforms": norsk.join_and(names)}
    ]
    opened: dict[tuple[int, int], list[str]] = {}
    for account, name in zip(accounts, names, strict=True):
        day = as_date(account.get("opened"))
        if day is not None and day.year == year:
            opened.setdefault((day.year, day.month), []).append(name)
    for (y, month), new in sorted(opened.items()):
        out.append(
            ngettext(
                "Kontoen på %(platforms)s opprettet vi i %(month)s %(year)s.",
                "Kontoene på %(platforms)s opprettet vi i %(month)s %(year)s.",
                len(new),
            )
            % {"platforms": norsk.join_and(new), "month": norsk.month_name(month), "year": y}
        )
    return out


def _social_media(value: Any) -> list[str]:
    entries: list[tuple[str, Stats]] = []
    if isinstance(value, dict):
        entries = [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
    elif isinstance(value, list):
        entries = [(str(v.get("platform", "")), v) for v in value if isinstance(v, dict)]
    out = []
    for platform, snap in entries:
        name = str(PLATFORMS.get(platform.lower(), platform))
        parts = []
        followers = first_of(snap, "followers")
        likes = first_of(snap, "likes")
        views = first_of(snap, "top_video_views", "most_seen_video_views", "max_video_views")
        if followers is not None:
            parts.append(_("%(n)s følgere") % {"n": norsk.num(as_int(followers))})
        if likes is not None:
            parts.append(_("%(n)s «likerklikk»") % {"n": norsk.num(as_int(likes))})
        if not parts and views is None:
            continue
        sentence = _("%(platform)s-kontoen vår hadde ved siste telling %(counts)s.") % {
            "platform": name,
            "counts": norsk.join_and(parts),
        }
        if views is not None:
            sentence += " " + _("Den mest sette videoen er sett %(times)s.") % {
                "times": norsk.count(as_int(views), "gang")
            }
        out.append(sentence)
    return out


def _funders(campaigns: list[Stats]) -> list[str]:
    """ "Kampanjene Etterlatt i utlandet og Dobbeltliv er finansiert av IMDi." """
    by_funder: dict[str, list[str]] = {}
    for campaign in campaigns:
        funder = str(campaign.get("funder") or "").strip()
        if funder:
            by_funder.setdefault(funder, []).append(str(campaign.get("name") or ""))
    out = []
    for funder, names in by_funder.items():
        values = {"names": norsk.join_and(names), "funder": funder}
        if len(names) == 1:
            out.append(_("Kampanjen %(names)s er finansiert av %(funder)s.") % values)
        else:
            out.append(_("Kampanjene %(names)s er finansiert av %(funder)s.") % values)
    return out


def _media_kind(code: str, n: int) -> str:
    kind = MEDIA_KINDS.get(code)
    if kind is None:
        return code.replace("_", " ")
    return str(kind[0 if n == 1 else 1] % n)


def _media_blocks(value: Any, year: int) -> list[Block]:
    """The count by kind, the outlets named, and the list of appearances (seed 5.3)."""
    media_n, media_kinds = count_and_kinds(value)
    if not media_n:
        return [Paragraph(_("Det er ikke registrert medieoppslag i %(year)s.") % {"year": year})]
    sentence = _("I %(year)s har vi hatt %(media)s") % {
        "year": year,
        "media": norsk.count(media_n, "medieoppslag"),
    }
    kinds = [f"{n} {_media_kind(k, n)}" for k, n in media_kinds.items() if n]
    if kinds:
        sentence += f": {norsk.join_and(kinds)}"
    sentence += "."
    items = [m for m in (value or {}).get("items") or [] if isinstance(m, dict)]
    outlets = list(dict.fromkeys(str(m.get("outlet") or "").strip() for m in items))
    outlets = [o for o in outlets if o]
    if outlets:
        sentence += " " + _("Vi var i %(outlets)s.") % {"outlets": norsk.join_and(outlets)}
    blocks: list[Block] = [Paragraph(sentence)]
    if items:
        with_campaign = any(m.get("campaign") for m in items)
        columns = [_("Dato"), _("Medium"), _("Type"), _("Tittel")]
        if with_campaign:
            columns.append(_("Kampanje"))
        rows: list[list[Cell]] = []
        for m in items:
            day = as_date(m.get("date"))
            row: list[Cell] = [
                norsk.date(day) if day else "",
                str(m.get("outlet") or ""),
                norsk.capitalise(_media_kind(str(m.get("kind") or ""), 1)),
                str(m.get("title") or ""),
            ]
            if with_campaign:
                row.append(str(m.get("campaign") or ""))
            rows.append(row)
        blocks.append(
            Table(
                key="media",
                title=_("Medieoppslag i %(year)s") % {"year": year},
                columns=columns,
                rows=rows,
                inline=True,
            )
        )
    return blocks


def _highlights(value: Any, year: int) -> list[Block]:
    """The talks the manager marked for the report, as the seed's list of the year's events."""
    talks = value.get("highlights") if isinstance(value, dict) else None
    items = []
    for talk in talks or []:
        if not isinstance(talk, dict):
            continue
        day = as_date(talk.get("date"))
        title = str(talk.get("title") or "").strip() or norsk.capitalise(
            str(TALK_KINDS.get(str(talk.get("kind")), talk.get("kind") or ""))
        )
        where = [str(talk.get(k) or "").strip() for k in ("organiser", "place")]
        head = title + (f" ({', '.join(w for w in where if w)})" if any(where) else "")
        if day is not None:
            head = f"{norsk.date(day)}: {head}"
        description = str(talk.get("description") or "").strip()
        items.append(f"{head}. {description}" if description else head)
    if not items:
        return []
    return [
        Paragraph(
            _("Av det som er gjennomført i %(year)s, vil vi nevne følgende:") % {"year": year}
        ),
        Bullets(items),
    ]


def _networks_sentence(value: Any) -> str:
    """ "Vi er også en del av 7 nettverk på fagfeltet: Østlandsnettverket, ... og X." """
    names: list[str] = []
    if isinstance(value, list):
        n = len(value)
        names = [str(v) for v in value if isinstance(v, str)]
    else:
        n = count_and_kinds(value)[0]
        if isinstance(value, dict):
            names = [str(v) for v in value.get("names") or []]
    if not n:
        return ""
    counted = norsk.count(n, "nettverk")
    if names:
        return _("Vi er også en del av %(networks)s på fagfeltet: %(names)s.") % {
            "networks": counted,
            "names": norsk.join_and(names),
        }
    return _("Vi er også en del av %(networks)s på fagfeltet.") % {"networks": counted}


def outreach_chapter(
    number: int,
    stats: Stats,
    figures: dict[str, Figure],
    p: Protect,
    labels: Labels | None = None,
) -> Chapter:
    labels = labels or Labels()
    year = stats["year"]
    chapter = Chapter(number=number, title=_("Kunnskapsformidling"))
    outreach = stats.get("outreach")
    if not isinstance(outreach, dict):
        chapter.blocks.append(
            Note(
                _("Utadrettet arbeid (kampanjer, foredrag, media) er ikke registrert for %(year)s.")
                % {"year": year}
            )
        )
        return chapter
    social = _social_accounts(outreach.get("social_accounts"), year)
    social += _social_media(outreach.get("social_media"))
    site = website.website_of(stats)
    # The seed says what posting does to the website where it speaks of social media.
    social += website.post_day_sentences(site) if site is not None else []
    chapter.sections.append(
        Section(
            _("Sosiale medier"),
            [Paragraph(s) for s in social]
            or [
                Note(
                    _("Det er ikke registrert tall for sosiale medier i %(year)s.") % {"year": year}
                )
            ],
        )
    )
    campaigns = [c for c in outreach.get("campaigns") or [] if isinstance(c, dict)]
    campaign_blocks: list[Block] = []
    if campaigns:
        campaign_blocks.append(
            Paragraph(
                _(
                    "I %(year)s har vi hatt %(campaigns)s. "
                    "Resultatene av kampanjene er beskrevet under."
                )
                % {"year": year, "campaigns": norsk.count(len(campaigns), "kampanje")}
            )
        )
        campaign_blocks += paragraphs(_funders(campaigns))
    else:
        campaign_blocks.append(
            Note(_("Det er ikke registrert kampanjer i %(year)s.") % {"year": year})
        )
    # Each campaign is a subsection of "Kampanjer" (4.2.1, 4.2.2...), as in the seed report.
    kampanjer = Section(_("Kampanjer"), campaign_blocks)
    kampanjer.subsections = [_campaign_section(c, labels, p) for c in campaigns]
    if "campaign_effect" in figures:
        kampanjer.subsections.append(
            Section(
                _("Kampanjenes effekt på henvendelser"),
                [
                    Paragraph(
                        _(
                            "Effekten er målt som relevante førstegangshenvendelser per åpen dag i "
                            "kampanjeperioden, mot like mange åpne dager rett før kampanjen "
                            "(helger, helligdager og stengte dager telles ikke)."
                        )
                    ),
                    figures["campaign_effect"],
                ],
            )
        )
    chapter.sections.append(kampanjer)
    chapter.sections.append(Section(_("Media"), _media_blocks(outreach.get("media"), year)))
    talks_n, talk_kinds = count_and_kinds(outreach.get("talks"))
    participants = as_int(outreach.get("participants"))
    talks: list[Block] = []
    if talks_n:
        values = {"year": year, "activities": norsk.count(talks_n, "aktivitet")}
        kinds = [str(TALK_KINDS.get(k, k.replace("_", " "))) for k, n in talk_kinds.items() if n]
        if kinds:
            values["kinds"] = norsk.join_and(dict.fromkeys(kinds))
            sentence = _(
                "Tjenesten har i %(year)s hatt %(activities)s knyttet til informasjonsarbeid "
                "som %(kinds)s."
            )
        else:
            sentence = _(
                "Tjenesten har i %(year)s hatt %(activities)s knyttet til informasjonsarbeid."
            )
        sentence %= values
        if participants:
            sentence += " " + _("Til sammen var det %(participants)s.") % {
                "participants": norsk.count(participants, "deltaker")
            }
        talks.append(Paragraph(sentence))
        if talk_kinds:
            talks.append(
                Table(
                    key="talks",
                    title=_("Foredrag og kompetanseheving etter type"),
                    columns=[_("Type"), _("Antall")],
                    rows=[
                        [norsk.capitalise(str(TALK_KINDS.get(k, k.replace("_", " ")))), n]
                        for k, n in talk_kinds.items()
                    ],
                )
            )
    else:
        talks.append(
            Paragraph(_("Det er ikke registrert foredrag eller kurs i %(year)s.") % {"year": year})
        )
    networks = _networks_sentence(outreach.get("networks"))
    if networks:
        talks.append(Paragraph(networks))
    talks += _highlights(outreach.get("talks"), year)
    chapter.sections.append(Section(_("Foredrag og kompetanseheving"), talks))
    # Last, so the seed's numbering of the sections before it (4.2 Kampanjer) stays.
    if site is not None:
        site_blocks: list[Block] = [Paragraph(" ".join(website.totals_sentences(site, year)))]
        if "website_months" in figures:
            site_blocks.append(figures["website_months"])
        site_blocks += website.tables(stats)
        chapter.sections.append(Section(_("Nettsiden"), site_blocks))
    return chapter
