"""The statistics dashboard, the annual report's download page and the manager's texts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hjelpelinje.accounts.permissions import require
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.bounds import year_problem
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.inquiries.selectors import inquiry_latest_year
from hjelpelinje.reporting import markup, norsk, renderers, selectors, services, website
from hjelpelinje.reporting.cache import cache_get, cache_set
from hjelpelinje.reporting.charts import cached_svg, cached_svg_or_none
from hjelpelinje.reporting.figures import Labels, Protect, as_int
from hjelpelinje.reporting.forms import DownloadForm, ManagerTextForm, YearForm, valid_year
from hjelpelinje.reporting.models import ManagerText
from hjelpelinje.reporting.renderers.html import table_html
from hjelpelinje.reporting.report.assembly import TEXT_FIELDS
from hjelpelinje.reporting.report.sentences import previous_inquiries
from hjelpelinje.reporting.report.shared_figures import build_figures

DASHBOARD_ORDER = [
    "channel_age",
    "age",
    "gender",
    "region",
    "months",
    "themes",
    "callers",
    "referrals",
    "countries",
    "activities",
    "chat_weekday",
    "chat_hour",
    "campaign_effect",
    "website_months",
]


def _chosen_year(request: HttpRequest, default: int) -> tuple[YearForm, int]:
    form = YearForm(request.GET or {"year": default})
    year = form.cleaned_data["year"] if form.is_valid() else default
    return form, year


def _key_figures(stats: dict[str, Any]) -> list[dict[str, Any]]:
    inq = stats.get("inquiries") or {}
    prev = previous_inquiries(stats) or {}
    rows = [
        (_("Relevante førstegangshenvendelser"), inq.get("total"), prev.get("total")),
        (_("Ikke relevante"), inq.get("not_relevant"), prev.get("not_relevant")),
        (_("Ble oppfølgingssaker"), inq.get("follow_up"), prev.get("follow_up")),
        (_("Avvergeplikt utløst"), inq.get("duty_to_avert"), prev.get("duty_to_avert")),
    ]
    follow_up = stats.get("follow_up")
    if isinstance(follow_up, dict):
        rows += [
            (_("Brukere i oppfølging"), follow_up.get("users"), None),
            (_("Henvendelser fra brukere"), follow_up.get("user_inquiries"), None),
        ]
    chat = stats.get("chat")
    if isinstance(chat, dict):
        rows.append((_("Chatsamtaler"), chat.get("sessions"), None))
    return [
        {
            "label": label,
            # Written as the report writes numbers, in the reader's language ("36 066").
            "value": norsk.num(as_int(now)),
            "previous": None if before is None else norsk.num(as_int(before)),
        }
        for label, now, before in rows
    ]


@require("statistics.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    # Opened without a year: the current one, or the latest with data when this year has
    # none yet (early January, or a fresh installation with past years imported).
    this_year = local_now().year
    form, year = _chosen_year(request, inquiry_latest_year(up_to=this_year) or this_year)
    stats, computed_at = selectors.dashboard_stats(year, refresh="refresh" in request.GET)
    figures = build_figures(stats, Labels.from_database(), Protect(0))
    digest = selectors.stats_hash(stats)[:16]
    panels = []
    for key in DASHBOARD_ORDER:
        if key not in figures:
            continue
        figure = figures[key]
        # A chart drawn before is inlined; a new one is drawn when the browser asks for it,
        # so the page itself never waits for matplotlib.
        svg = cached_svg_or_none(figure.chart)
        if svg is None and not cache_set(_chart_key(year, digest, key), figure.chart, 24 * 3600):
            # Without the cache the browser could not fetch the chart: draw it here.
            svg = cached_svg(figure.chart)
        panels.append(
            {
                "figure": figure,
                "svg": mark_safe(svg) if svg else None,  # noqa: S308 - drawn by matplotlib; labels escaped
                "src": reverse("reporting:chart", args=[year, digest, key]),
                "table": mark_safe(table_html(figure.table, caption=False)),  # noqa: S308 - escaped in table_html
            }
        )
    missing = [
        label
        for block, label in (
            ("follow_up", _("oppfølging av brukere")),
            ("chat", _("chat")),
            ("outreach", _("utadrettet arbeid")),
        )
        if not isinstance(stats.get(block), dict)
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "year": year,
            "previous_year": year - 1,
            "has_previous": bool(previous_inquiries(stats)),
            "key_figures": _key_figures(stats),
            "panels": panels,
            "missing": missing,
            "has_data": as_int((stats.get("inquiries") or {}).get("total")) > 0,
            "computed_at": computed_at,
            "website_sentences": website.website_sentences(stats),
            "website_tables": [
                mark_safe(table_html(t))  # noqa: S308 - escaped in table_html
                for t in website.tables(stats)
            ],
        },
    )


def _chart_key(year: int, digest: str, key: str) -> str:
    # Per language: the chart's titles, labels and number format are drawn in the reader's.
    return f"reporting:chart:{get_language()}:{year}:{digest}:{key}"


@require("statistics.view")
def chart_svg(request: HttpRequest, year: int, digest: str, key: str) -> HttpResponse:
    """One dashboard chart, drawn from the figures the dashboard computed for that result."""
    # A forged address (a year of a thousand digits) is not found, before it becomes a
    # cache key that some cache backends refuse.
    if year_problem(year) or len(digest) > 80 or len(key) > 80:
        raise Http404
    chart = cache_get(_chart_key(year, digest, key))
    if chart is None:
        raise Http404
    response = HttpResponse(cached_svg(chart), content_type="image/svg+xml")
    # The URL names the statistics result it was drawn from, so it never changes.
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require("reports.manage")
def annual_report(request: HttpRequest) -> HttpResponse:
    # The report is usually written early in the new year, about the year just ended; when
    # that year has no inquiries (a fresh installation with past years imported), the
    # latest year that has them, as the statistics page chooses.
    last_year = local_now().year - 1
    _form, year = _chosen_year(request, inquiry_latest_year(up_to=last_year) or last_year)
    return _annual_page(request, DownloadForm(initial={"year": year}), year)


def _annual_page(
    request: HttpRequest, form: DownloadForm, year: int, status: int = 200
) -> HttpResponse:
    texts = selectors.manager_texts(year)
    previews = [
        {
            "name": name,
            "label": getattr(ManagerText._meta.get_field(name), "verbose_name", name),
            "html": markup.safe_html(texts[name]) if texts[name] else "",
        }
        for name in TEXT_FIELDS
    ]
    return render(
        request,
        "reporting/annual_report.html",
        {
            "form": form,
            "year": year,
            "previews": previews,
            "texts_url": reverse("reporting:texts_edit", args=[year]),
            "years_with_texts": list(ManagerText.objects.values_list("year", flat=True)),
        },
        status=status,
    )


@require("reports.manage")
def annual_report_download(request: HttpRequest) -> HttpResponse:
    form = DownloadForm(request.GET or None)
    if not form.is_valid():
        _f, year = _chosen_year(request, local_now().year - 1)
        return _annual_page(request, form, year, status=400 if request.GET else 200)
    year = form.cleaned_data["year"]
    fmt = form.cleaned_data["format"]
    min_count = form.cleaned_data["min_count"] or 0
    report = selectors.annual_report(year, min_count=min_count)
    data = renderers.render(report, fmt)
    audit_record(
        actor=request.user,
        action="report.download",
        target_type="annual_report",
        target_id=str(year),
        fields=[fmt],
    )
    response = HttpResponse(data, content_type=renderers.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{year}.{fmt}"'
    return response


@require("reports.manage")
def manager_texts_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not valid_year(year):
        raise Http404
    instance = ManagerText.objects.filter(year=year).first() or ManagerText(year=year)
    form = ManagerTextForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.manager_text_save(actor=request.user, year=year, **form.cleaned_data)  # type: ignore[arg-type]
        return redirect(f"{reverse('reporting:annual_report')}?year={year}")
    return render(request, "reporting/texts_form.html", {"form": form, "year": year})
