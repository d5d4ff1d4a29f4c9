# ruff: noqa: E501
"""Demo outreach for 2023, after the helpline's annual report.

Campaign periods, extended opening hours and totals, the 26 talks, the 7 networks, the media appearances and the
TikTok figures are the report's; how totals split between platforms, participant counts,
the talks the report does not name, and the other accounts' figures are made up, and say
so. No private person is named.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hjelpelinje.accounts.models import User
from hjelpelinje.hours.models import ExceptionKind, HoursException
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    MediaKind,
    Network,
    NetworkRole,
    Platform,
    PostPlatform,
    SocialAccount,
    SocialPlatform,
    SocialPost,
    SocialSnapshot,
    Talk,
    TalkKind,
)
from hjelpelinje.taxonomy.selectors import code_map

D = dt.date
SPLIT_NOTE = "Fordelingen mellom plattformene er laget for demoen; summen er rapportens."

# fmt: off
# name, start, end, weekends out, holidays out, funder, partner, description, platforms:
# (platform, target ages text, age-group codes, % women, % men, impressions, clicks,
#  unique browsers, screen plays, notes); hours: the longer opening hours that went with it
# (channel, opens, closes), on weekdays.
CAMPAIGNS: list[dict[str, Any]] = [
    {
        "name": "Chat-kampanje",
        "start": D(2023, 4, 24),
        "end": D(2023, 5, 5),
        "excludes_weekends": True,
        "excludes_holidays": True,
        "funder": "",
        "partner": "Papaya",
        "description": "Minikampanje for chat-tilbudet med korte videoklipp i stories. "
        "Størst engasjement i aldersgruppen 13-17 år.",
        "utm_tag": "chatkampanje",
        "hours": [("phone", "09:00", "18:00"), ("chat", "09:00", "18:00")],
        "platforms": [
            (Platform.TIKTOK, "13-17 år og 18-23 år", ["0-18", "18-25"], 55, 45, 1_094_861, 3_142, None, None, SPLIT_NOTE),
            (Platform.SNAPCHAT, "13-17 år og 18-23 år", ["0-18", "18-25"], 70, 30, 985_375, 2_986, None, None, SPLIT_NOTE),
            (Platform.INSTAGRAM, "13-17 år og 18-23 år", ["0-18", "18-25"], 55, 45, 383_201, 1_021, None, None, "Instagram-stories. " + SPLIT_NOTE),
            (Platform.FACEBOOK, "13-17 år og 18-23 år", ["0-18", "18-25"], 55, 45, 273_716, 707, None, None, "Facebook-stories. " + SPLIT_NOTE),
        ],
    },
    {
        "name": "Etterlatt i utlandet",
        "start": D(2023, 6, 9),
        "end": D(2023, 6, 30),
        "excludes_weekends": True,
        "excludes_holidays": False,
        "funder": "IMDi",
        "partner": "",
        "description": "Årlig kampanje før sommerferien: barn og unge som er redde for å bli "
        "etterlatt i utlandet, oppfordres til å søke hjelp.",
        "utm_tag": "etterlatt",
        "hours": [("phone", "09:00", "20:00"), ("chat", "09:00", "20:00")],
        "platforms": [
            (Platform.SNAPCHAT, "14-18 år, sekundært 19-25 år", ["0-18", "18-25"], 65, 35, 2_608_354, 19_837, 225_140, None, SPLIT_NOTE),
            (Platform.TIKTOK, "14-18 år, sekundært 19-25 år", ["0-18", "18-25"], 50, 50, 2_134_107, 16_229, 184_205, None, SPLIT_NOTE),
            (Platform.AIRPORT_SCREENS, "", [], None, None, None, None, None, 438_983, "Informasjonsvideoer på landets fem største flyplasser."),
        ],
    },
    {
        "name": "Dobbeltliv",
        "start": D(2023, 10, 16),
        "end": D(2023, 11, 3),
        "excludes_weekends": True,
        "excludes_holidays": False,
        "funder": "IMDi",
        "partner": "",
        "utm_tag": "dobbeltliv",
        "description": "Om krysspresset mellom familiens forventninger og livet på skolen og "
        "med venner, og hvor man kan få hjelp. Større engasjement blant gutter enn før.",
        "platforms": [
            (Platform.SNAPCHAT, "15-21 år", ["0-18", "18-25"], 60, 40, 2_452_308, 12_875, None, None, SPLIT_NOTE),
            (Platform.TIKTOK, "13-24 år", ["0-18", "18-25"], 40, 60, 2_263_668, 11_885, None, None, SPLIT_NOTE),
            (Platform.TRANSIT_SCREENS, "", [], None, None, None, None, None, None, "Skjermer på t-bane, togstasjoner og kjøpesentre i Oslo, Bergen, Trondheim og Stavanger. Tall ikke oppgitt."),
        ],
    },
]

# date, kind, title, audience, organiser, place, participants (None: not counted)
TALKS: list[tuple[D, str, str, str, str, str, int | None]] = [
    (D(2023, 1, 19), TalkKind.SCHOOL_VISIT, "Negativ sosial kontroll", "Elever på videregående", "Skolen", "Drammen", 60),
    (D(2023, 1, 26), TalkKind.COURSE, "Tvangsekteskap og avvergeplikt", "Ansatte i barnevernet", "Bydel", "Oslo", 25),
    (D(2023, 2, 8), TalkKind.SEMINAR, "Erfaringer fra hjelpetelefonen", "Ansatte i hjelpeapparatet", "Statsforvalteren", "Hamar", 80),
    (D(2023, 2, 16), TalkKind.WORKSHOP, "Samtaler med unge om kontroll", "Helsesykepleiere", "Kommunen", "Lillestrøm", 18),
    (D(2023, 3, 2), TalkKind.SCHOOL_VISIT, "Hvor får jeg hjelp?", "Elever på ungdomsskolen", "Skolen", "Oslo", 90),
    (D(2023, 3, 9), TalkKind.ORGANISATION_VISIT, "Presentasjon av tjenesten", "Frivillige", "Frivillig organisasjon", "Oslo", 15),
    (D(2023, 3, 22), TalkKind.COURSE, "Æresrelatert vold", "Ansatte i NAV", "NAV-kontor", "Bergen", 30),
    (D(2023, 3, 29), TalkKind.SEMINAR, "Lukkede religiøse miljøer", "Fagpersoner", "Fagnettverk", "Oslo", 45),
    (D(2023, 4, 13), TalkKind.CONSULTATION, "Innspillsmøte med lovutvalget", "Lovutvalget om negativ sosial kontroll og æresrelatert vold", "Lovutvalget", "Oslo", 14),
    (D(2023, 4, 20), TalkKind.SCHOOL_VISIT, "Negativ sosial kontroll", "Elever på videregående", "Skolen", "Asker", 55),
    (D(2023, 5, 10), TalkKind.COURSE, "Kjønnslemlestelse: å spørre og å handle", "Helsepersonell", "Helseforetak", "Oslo", 40),
    (D(2023, 5, 24), TalkKind.WORKSHOP, "Chat som kanal", "Ansatte i andre hjelpetelefoner", "Røde Kors", "Oslo", 12),
    (D(2023, 6, 7), TalkKind.SEMINAR, "Etterlatt i utlandet", "Rådgivere i skolen", "Fylkeskommunen", "Oslo", 70),
    (D(2023, 6, 14), TalkKind.SCHOOL_VISIT, "Før sommerferien", "Elever på ungdomsskolen", "Skolen", "Bærum", 75),
    (D(2023, 8, 24), TalkKind.ORGANISATION_VISIT, "Presentasjon av tjenesten", "Ansatte", "Krisesenter", "Moss", 20),
    (D(2023, 8, 31), TalkKind.COURSE, "Negativ sosial kontroll i praksis", "Ansatte i introduksjonsprogrammet", "Kommunen", "Fredrikstad", 28),
    (D(2023, 9, 13), TalkKind.SEMINAR, "Negativ sosial kontroll i religiøse trossamfunn (medarrangør)", "Fagpersoner og frivillige", "Østlandsnettverket", "Oslo", 120),
    (D(2023, 9, 21), TalkKind.SEMINAR, "Ekteskap og tvangsekteskap blant voksne i risikoutsatte livssituasjoner", "Ansatte i hjelpeapparatet og kommunen", "RVTS", "Oslo", 95),
    (D(2023, 9, 28), TalkKind.SCHOOL_VISIT, "Hvor får jeg hjelp?", "Elever på videregående", "Skolen", "Sandvika", 65),
    (D(2023, 10, 5), TalkKind.ORGANISATION_VISIT, "Studietur: transnasjonale saker", "Integreringsrådgiver og organisasjoner", "Den norske ambassaden", "Ankara", None),
    (D(2023, 10, 19), TalkKind.SEMINAR, "Nordisk praktikernettverk", "Praktikere fra Finland, Norge og Danmark", "IMDi", "København", 35),
    (D(2023, 10, 26), TalkKind.WORKSHOP, "Dobbeltliv", "Ungdomsarbeidere", "Fritidsklubb", "Oslo", 16),
    (D(2023, 11, 9), TalkKind.COURSE, "Avvergeplikten", "Ansatte i politiet", "Politidistrikt", "Oslo", 35),
    (D(2023, 11, 16), TalkKind.SCHOOL_VISIT, "Dobbeltliv", "Elever på videregående", "Skolen", "Lørenskog", 80),
    (D(2023, 11, 23), TalkKind.SEMINAR, "Unge på sosiale medier", "Fagpersoner", "Fagkonferanse", "Trondheim", 150),
    (D(2023, 12, 7), TalkKind.SEMINAR, "Årets erfaringer fra telefonen og chatten", "Fagpersoner", "Fagnettverk", "Oslo", None),
]

# The talks the report names in its list, with what it says about them.
HIGHLIGHTS: dict[D, str] = {
    D(2023, 4, 13): "Lovutvalget som utreder de juridiske problemstillingene i saker om negativ sosial kontroll, æresrelatert vold, tvangsekteskap, kjønnslemlestelse og psykisk vold, inviterte oss til et eget innspillsmøte. Vi presenterte våre skriftlige høringsinnspill og svarte på spørsmål fra medlemmene.",
    D(2023, 9, 13): "Tjenesten var medarrangør av et heldagsseminar om negativ sosial kontroll i religiøse trossamfunn, i regi av Østlandsnettverket.",
    D(2023, 9, 21): "Vi delte våre erfaringer på RVTS' seminar. Seminaret var rettet mot ansatte i hjelpeapparatet og kommunen.",
    D(2023, 10, 5): "Studietur sammen med Mentorfamilie, for kunnskap om transnasjonale saker og om Tyrkia som tredjeland, og for å møte organisasjoner som arbeider med samme tematikk.",
    D(2023, 10, 19): "Vi representerte frivilligheten sammen med praktikere fra Finland, Norge og Danmark. Nettverket koordineres av IMDi.",
}

# name, role, since, active, until, notes
NETWORKS: list[tuple[str, str, D | None, bool, D | None, str]] = [
    ("Østlandsnettverket", NetworkRole.MEMBER, D(2019, 1, 1), True, None, "Medarrangør av heldagsseminar i september 2023."),
    ("Referansegruppen for Handlingsplanen", NetworkRole.MEMBER, D(2021, 1, 1), True, None, ""),
    ("Nordisk praktikernettverk", NetworkRole.MEMBER, D(2022, 1, 1), True, None, "Representerer frivilligheten. Koordineres av IMDi."),
    ("Bokollektivet-nettverket", NetworkRole.MEMBER, D(2020, 1, 1), True, None, ""),
    ("Children not Brides", NetworkRole.MEMBER, D(2021, 1, 1), True, None, ""),
    ("MentorHub", NetworkRole.CO_ORGANISER, D(2022, 1, 1), True, None, "Rollen er laget for demoen."),
    ("Endringsagentene", NetworkRole.MEMBER, D(2022, 1, 1), True, None, ""),
    ("Regionalt nettverk mot tvangsekteskap", NetworkRole.MEMBER, D(2016, 1, 1), False, D(2022, 12, 31), "Laget for demoen: avsluttet før 2023, telles ikke det året."),
]

# date, outlet, kind, title, link, campaign name
MEDIA: list[tuple[D, str, str, str, str, str]] = [
    (D(2023, 1, 18), "Utrop", MediaKind.INTERVIEW, "Intervju om TikTok-kontoen", "https://www.utrop.no/nyheter/nytt/335803/", ""),
    (D(2023, 3, 15), "NRK Nyheter", MediaKind.RADIO, "Radioreportasje ved lanseringen av Kompetanseteamets rapport", "", ""),
    (D(2023, 6, 15), "Dagsavisen", MediaKind.OP_ED, "Bak enhver tom skolepult til høsten står et kollektivt svik", "https://www.dagsavisen.no/debatt/2023/06/15/bak-ehver-tom-skolepult-til-hosten-star-et-kollektivt-svik/", "Etterlatt i utlandet"),
    (D(2023, 9, 12), "Aftenposten", MediaKind.COMMENT, "Negativ sosial kontroll og æresvold er ikke noe kun «de andre» gjør", "https://www.aftenposten.no/meninger/debatt/i/0QAG6B/negativ-sosial-kontroll-og-aeresvold-er-ikke-noe-kun-de-andre-gjoer", ""),
]

# platform, handle, url, opened, snapshots: (date, followers, likes, top video views, note)
ACCOUNTS: list[tuple[str, str, str, D | None, list[tuple[D, int | None, int | None, int | None, str]]]] = [
    (SocialPlatform.TIKTOK, "@rodekorstelefonen", "https://www.tiktok.com/@rodekorstelefonen", D(2023, 2, 1), [
        (D(2023, 6, 30), 140, 1_980, 310_000, "Halvårstall laget for demoen."),
        (D(2023, 12, 31), 265, 3_772, 500_000, "Årsrapporten: mest sette video er sett over 500 000 ganger."),
    ]),
    (SocialPlatform.SNAPCHAT, "rodekorstelefon", "", D(2023, 2, 1), [
        (D(2023, 12, 31), 410, None, 95_000, "Tall laget for demoen."),
    ]),
    (SocialPlatform.INSTAGRAM, "@rodekorstelefonen", "https://www.instagram.com/rodekorstelefonen/", None, [
        (D(2022, 12, 31), 1_020, None, None, "Tall laget for demoen."),
        (D(2023, 12, 31), 1_180, None, 12_400, "Tall laget for demoen."),
    ]),
    (SocialPlatform.FACEBOOK, "Røde Kors-telefonen", "https://www.facebook.com/rodekorstelefonen/", None, [
        (D(2022, 12, 31), 2_240, 2_050, None, "Tall laget for demoen."),
        (D(2023, 12, 31), 2_310, 2_120, 8_700, "Tall laget for demoen."),
    ]),
]

# fmt: on

# Titles of the demo's posts: short videos in the helpline's own voice (made up for the demo).
POST_TITLES = [
    "Hva er negativ sosial kontroll?",
    "Du kan chatte med oss anonymt",
    "Redd for å bli giftet bort?",
    "Hvem kan du snakke med?",
    "Slik fungerer chatten",
    "Fem ting du har rett til",
    "Skal du på sommerferie til foreldrenes hjemland?",
    "Dobbeltliv: hjemme og på skolen",
    "Vi ringer ikke foreldrene dine",
    "Spørsmål og svar med en rådgiver",
]
# How often each platform posted in the demo year, about: (platform, first day, days apart).
# TikTok from February, when the account was opened, as in the report.
POST_RHYTHM = [
    (PostPlatform.TIKTOK, D(2023, 2, 6), 7),
    (PostPlatform.SNAPCHAT, D(2023, 1, 11), 12),
    (PostPlatform.INSTAGRAM, D(2023, 1, 25), 40),
    (PostPlatform.FACEBOOK, D(2023, 3, 15), 75),
    (PostPlatform.YOUTUBE, D(2023, 5, 3), 120),
]


def demo_posts() -> list[tuple[str, dt.date, str]]:
    """The demo year's posts: mostly TikTok and Snapchat, on weekdays outside July (the
    team's holiday). Drawn with a fixed seed, so every demo has the same posts."""
    rng = random.Random(2023)
    posts: list[tuple[str, dt.date, str]] = []
    for platform, first, apart in POST_RHYTHM:
        day = first
        while day.year == 2023:
            posted = day + dt.timedelta(days=rng.randint(-1, 1))
            while posted.weekday() >= 5:
                posted += dt.timedelta(days=1)
            if posted.month != 7 and posted.year == 2023:
                posts.append((platform.value, posted, rng.choice(POST_TITLES)))
            day += dt.timedelta(days=apart)
    return sorted(posts, key=lambda p: (p[1], p[0]))


def load(*, stdout: Any) -> None:
    if Campaign.objects.exists():
        stdout.write("Outreach: demo data already there.")
        return
    manager = User.objects.filter(username="leder").first()
    age_groups = code_map("age_group")

    for spec in CAMPAIGNS:
        platforms, hours = spec.pop("platforms"), spec.pop("hours", [])
        campaign = Campaign.objects.create(created_by=manager, **spec)
        spec["platforms"], spec["hours"] = platforms, hours
        # The report's longer hours during the campaign (until 18:00, until 20:00 on
        # weekdays), unless the hours demo or a manager has put them in already.
        for channel, opens, closes in hours:
            if not HoursException.objects.filter(
                channel=channel,
                kind=ExceptionKind.OPEN,
                start_date__lte=campaign.end,
                end_date__gte=campaign.start,
            ).exists():
                exception = HoursException(
                    channel=channel,
                    kind=ExceptionKind.OPEN,
                    start_date=campaign.start,
                    end_date=campaign.end,
                    opens=dt.time.fromisoformat(opens),
                    closes=dt.time.fromisoformat(closes),
                    weekdays_only=True,
                    note=f"Utvidet åpningstid under {campaign.name}",
                )
                exception.full_clean()
                exception.save()
        # Link any extended opening hours that the hours demo put in the same period.
        campaign.hours_exceptions.set(
            HoursException.objects.filter(
                kind=ExceptionKind.OPEN, start_date__lte=campaign.end, end_date__gte=campaign.start
            )
        )
        for platform, ages, groups, women, men, imps, clicks, browsers, plays, notes in platforms:
            row = CampaignPlatform(
                campaign=campaign,
                platform=platform,
                target_ages=ages,
                percent_women=women,
                percent_men=men,
                percent_other=0 if women is not None else None,
                impressions=imps,
                clicks=clicks,
                unique_browsers=browsers,
                screen_plays=plays,
                notes=notes,
            )
            row.full_clean()
            row.save()
            row.target_age_groups.set([age_groups[g] for g in groups])

    by_name = {c.name: c for c in Campaign.objects.all()}
    for date, kind, title, audience, organiser, place, participants in TALKS:
        Talk.objects.create(
            date=date,
            kind=kind,
            title=title,
            audience=audience,
            organiser=organiser,
            place=place,
            participants=participants,
            description=HIGHLIGHTS.get(date, ""),
            in_report=date in HIGHLIGHTS,
            created_by=manager,
        )
    for name, role, since, active, until, notes in NETWORKS:
        Network.objects.create(
            name=name, role=role, since=since, active=active, until=until, notes=notes
        )
    for date, outlet, kind, title, link, campaign_name in MEDIA:
        MediaAppearance.objects.create(
            date=date,
            outlet=outlet,
            kind=kind,
            title=title,
            link=link,
            campaign=by_name.get(campaign_name),
            created_by=manager,
        )
    for platform, handle, url, opened, snapshots in ACCOUNTS:
        account = SocialAccount.objects.create(
            platform=platform, handle=handle, url=url, opened=opened
        )
        for date, followers, likes, views, note in snapshots:
            SocialSnapshot.objects.create(
                account=account,
                date=date,
                followers=followers,
                likes=likes,
                top_video_views=views,
                notes=note,
            )
    posts = demo_posts()
    for platform, date, title in posts:
        post = SocialPost(platform=platform, date=date, title=title, created_by=manager)
        post.full_clean()
        post.save()
    stdout.write(
        f"Outreach: {len(CAMPAIGNS)} campaigns, {len(TALKS)} talks, "
        f"{len(NETWORKS)} networks, {len(MEDIA)} media appearances, "
        f"{len(ACCOUNTS)} social media accounts, {len(posts)} social media posts."
    )
