"""The website part of the outreach block in words and figures, as the seed report says it.

"Besøkstall på nettsiden tredobles samme dag vi legger ut på TikTok" is written here from the
post-day ratio, with the figure and its uncertainty; the verb comes from the ratio and the
interval, so the text never claims more than the data holds. The dashboard and every format
of the annual report read these functions, which read only the statistics dict.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hjelpelinje.reporting import norsk
from hjelpelinje.reporting.figures import Cell, Chart, Figure, Table, as_int

Stats = dict[str, Any]

# Stable platform codes of the post log (outreach.PostPlatform), named as people say them.
POST_PLATFORMS = {
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "other": gettext_lazy("andre plattformer"),
}

# The multiples that have a verb of their own, each with a band of ±10 % around it: a
# ratio of 3,1 "tredobles"; one of 2,5 is neither a doubling nor a tripling and is given as
# a percentage instead.
MULTIPLES = ((2.0, "double"), (3.0, "triple"), (4.0, "quadruple"))
BAND = 0.10


def website_of(stats: Stats) -> Stats | None:
    outreach = stats.get("outreach")
    if not isinstance(outreach, dict):
        return None
    website = outreach.get("website")
    return website if isinstance(website, dict) else None


def platform_name(code: str) -> str:
    return str(POST_PLATFORMS.get(code, code))


def post_day_verb(ratio: float, low: float | None, high: float | None) -> str:
    """What the ratio lets the text say: a multiple, a rise or fall, or no sure difference.

    An interval that holds 1 means post days may not differ at all, whatever the ratio.
    """
    if low is not None and high is not None and low <= 1.0 <= high:
        return "uncertain"
    for multiple, verb in MULTIPLES:
        if abs(ratio - multiple) <= multiple * BAND:
            return verb
    return "increase" if ratio > 1 else "decrease"


def _days(n: int) -> str:
    return ngettext("%(n)s postdag", "%(n)s postdager", n) % {"n": norsk.num(n)}


def post_day_sentence(code: str, row: Stats) -> str:
    """One platform's post days in a sentence, with the figure, the interval and n."""
    platform = platform_name(code)
    reason = row.get("reason")
    post_days = as_int(row.get("post_days"))
    other_days = as_int(row.get("other_days"))
    ratio = row.get("ratio")
    if reason == "too_few_post_days" or (reason is None and ratio is None and post_days < 3):
        return _(
            "For %(platform)s er det for få dager med innlegg til å si noe om besøkstallene "
            "(%(days)s; minst 3 trengs)."
        ) % {"platform": platform, "days": _days(post_days)}
    if reason == "too_few_other_days":
        return _(
            "For %(platform)s er det for få åpne dager uten innlegg å sammenligne med "
            "(%(n)s; minst 10 trengs)."
        ) % {"platform": platform, "n": norsk.num(other_days)}
    if ratio is None:
        return _(
            "For %(platform)s kan besøk på postdager ikke sammenlignes med andre dager, fordi "
            "nettsiden ikke har telt besøk nok til det."
        ) % {"platform": platform}
    ratio = float(ratio)
    low, high = row.get("ci_low"), row.get("ci_high")
    low = None if low is None else float(low)
    high = None if high is None else float(high)
    details = {
        "ratio": norsk.decimal(ratio, 1),
        "low": norsk.decimal(low, 1) if low is not None else "–",
        "high": norsk.decimal(high, 1) if high is not None else "–",
        "days": _days(post_days),
    }
    detail = _("%(ratio)s ganger så mange besøk, 95 %% KI %(low)s–%(high)s; %(days)s") % details
    values = {"platform": platform, "details": detail}
    verb = post_day_verb(ratio, low, high)
    if verb == "double":
        text = _(
            "Besøkstall på nettsiden dobles samme dag som det legges ut et innlegg på "
            "%(platform)s (%(details)s)."
        )
    elif verb == "triple":
        text = _(
            "Besøkstall på nettsiden tredobles samme dag som det legges ut et innlegg på "
            "%(platform)s (%(details)s)."
        )
    elif verb == "quadruple":
        text = _(
            "Besøkstall på nettsiden firedobles samme dag som det legges ut et innlegg på "
            "%(platform)s (%(details)s)."
        )
    elif verb == "increase":
        values["percent"] = norsk.percent(round((ratio - 1) * 100))
        text = _(
            "Besøkstall på nettsiden øker med %(percent)s samme dag som det legges ut et "
            "innlegg på %(platform)s (%(details)s)."
        )
    elif verb == "decrease":
        values["percent"] = norsk.percent(round((1 - ratio) * 100))
        text = _(
            "Besøkstall på nettsiden er %(percent)s lavere samme dag som det legges ut et "
            "innlegg på %(platform)s (%(details)s)."
        )
    else:
        text = _(
            "Vi ser ingen sikker forskjell i besøkstall på nettsiden på dager det legges ut et "
            "innlegg på %(platform)s (%(details)s)."
        )
    return text % values


def post_day_sentences(website: Stats) -> list[str]:
    rows = website.get("post_days")
    if not isinstance(rows, dict):
        return []
    return [post_day_sentence(str(c), row) for c, row in rows.items() if isinstance(row, dict)]


def campaign_visits_sentence(name: str, visits: int) -> str:
    return ngettext(
        "Kampanjen «%(name)s» ga %(n)s besøk på nettsiden.",
        "Kampanjen «%(name)s» ga %(n)s besøk på nettsiden.",
        visits,
    ) % {"name": name, "n": norsk.num(visits)}


def campaign_sentences(stats: Stats) -> list[str]:
    """One sentence per campaign with a tag: the visits that landed with it."""
    outreach = stats.get("outreach") or {}
    out = []
    for campaign in outreach.get("campaigns") or []:
        if not isinstance(campaign, dict) or campaign.get("website_visits") is None:
            continue
        out.append(
            campaign_visits_sentence(
                str(campaign.get("name") or ""), as_int(campaign.get("website_visits"))
            )
        )
    return out


def host_label(host: str) -> str:
    return host or _("uten henvisning")


def totals_sentences(website: Stats, year: int) -> list[str]:
    """The year's visits and page views, and where the visits came from."""
    visits = as_int(website.get("visits"))
    if not visits:
        return [_("Nettsiden har ikke telt besøk i %(year)s.") % {"year": year}]
    out = [
        _("I %(year)s hadde nettsiden %(visits)s besøk og %(views)s sidevisninger.")
        % {
            "year": year,
            "visits": norsk.num(visits),
            "views": norsk.num(as_int(website.get("page_views"))),
        }
    ]
    referrers = [r for r in website.get("top_referrers") or [] if isinstance(r, dict)]
    named = [r for r in referrers if r.get("host")][:3]
    direct = next((as_int(r.get("visits")) for r in referrers if not r.get("host")), 0)
    if named:
        out.append(
            _("Flest besøk kom fra %(hosts)s.")
            % {
                "hosts": norsk.join_and(
                    f"{r['host']} ({norsk.num(as_int(r.get('visits')))})" for r in named
                )
            }
        )
    if direct:
        out.append(
            _(
                "%(n)s besøk kom uten henvisning: skrevet inn, fra et bokmerke eller fra en app "
                "som ikke sier hvor besøket kom fra."
            )
            % {"n": norsk.num(direct)}
        )
    return out


def website_sentences(stats: Stats, *, with_campaigns: bool = True) -> list[str]:
    """Everything the dashboard says about the website, in the seed's style."""
    website = website_of(stats)
    if website is None:
        return []
    out = totals_sentences(website, stats["year"])
    out += post_day_sentences(website)
    if with_campaigns:
        out += campaign_sentences(stats)
    return out


def months_figure(stats: Stats) -> Figure | None:
    """Visits and page views per month: a chart with its table."""
    website = website_of(stats)
    if website is None or not as_int(website.get("page_views")):
        return None
    year = stats["year"]
    by_month = website.get("by_month") or {}
    keys = [f"{year}-{m:02d}" for m in range(1, 13)]
    visits = [as_int((by_month.get(k) or {}).get("visits")) for k in keys]
    views = [as_int((by_month.get(k) or {}).get("page_views")) for k in keys]
    title = _("Besøk på nettsiden per måned")
    rows: list[list[Cell]] = [
        [norsk.capitalise(norsk.month_label(k)), v, pv]
        for k, v, pv in zip(keys, visits, views, strict=True)
    ]
    return Figure(
        key="website_months",
        title=title,
        chart=Chart(
            key="website_months",
            title=title,
            kind="bar",
            categories=[norsk.month_abbr(m) for m in range(1, 13)],
            series=[(_("Besøk"), [float(v) for v in visits])],
        ),
        table=Table(
            key="website_months",
            title=title,
            columns=[_("Måned"), _("Besøk"), _("Sidevisninger")],
            rows=rows,
        ),
    )


def _number(value: Any) -> Cell:
    return "" if value is None else float(value)


def tables(stats: Stats) -> list[Table]:
    """The top pages, the referring hosts, the campaign tags and the post days as tables."""
    website = website_of(stats)
    if website is None:
        return []
    year = stats["year"]
    out: list[Table] = []
    pages = [p for p in website.get("top_pages") or [] if isinstance(p, dict)]
    if pages:
        out.append(
            Table(
                key="website_pages",
                title=_("Mest leste sider på nettsiden i %(year)s") % {"year": year},
                columns=[_("Side"), _("Sidevisninger"), _("Besøk")],
                rows=[
                    [str(p.get("path") or ""), as_int(p.get("views")), as_int(p.get("visits"))]
                    for p in pages
                ],
            )
        )
    referrers = [r for r in website.get("top_referrers") or [] if isinstance(r, dict)]
    if referrers:
        out.append(
            Table(
                key="website_referrers",
                title=_("Hvor besøkene kom fra i %(year)s") % {"year": year},
                columns=[_("Kom fra"), _("Besøk")],
                rows=[
                    [host_label(str(r.get("host") or "")), as_int(r.get("visits"))]
                    for r in referrers
                ],
            )
        )
    tags = [t for t in website.get("by_campaign_tag") or [] if isinstance(t, dict)]
    if tags:
        out.append(
            Table(
                key="website_campaigns",
                title=_("Besøk etter kampanjemerke i %(year)s") % {"year": year},
                columns=[_("Kampanjemerke"), _("Kampanje"), _("Besøk")],
                rows=[
                    [str(t.get("tag") or ""), str(t.get("campaign") or ""), as_int(t.get("visits"))]
                    for t in tags
                ],
            )
        )
    post_days = website.get("post_days")
    if isinstance(post_days, dict) and post_days:
        rows: list[list[Cell]] = []
        for code, row in post_days.items():
            if not isinstance(row, dict):
                continue
            # Figures stay numbers, so a spreadsheet can compute with them.
            rows.append(
                [platform_name(str(code))]
                + [as_int(row.get(k)) for k in ("post_days", "other_days")]
                + [_number(row.get(k)) for k in ("mean_post", "mean_other")]
                + [_number(row.get(k)) for k in ("ratio", "ci_low", "ci_high")]
            )
        out.append(
            Table(
                key="website_post_days",
                title=_("Besøk på postdager mot andre åpne dager i %(year)s") % {"year": year},
                columns=[
                    _("Plattform"),
                    _("Postdager"),
                    _("Andre åpne dager"),
                    _("Besøk per postdag"),
                    _("Besøk per annen dag"),
                    _("Forhold"),
                    _("95 % KI fra"),
                    _("95 % KI til"),
                ],
                rows=rows,
                note=_(
                    "Andre åpne dager er dager tjenesten var åpen uten noe innlegg. KI er et "
                    "95 % konfidensintervall for forholdet."
                ),
                inline=True,
            )
        )
    return out
