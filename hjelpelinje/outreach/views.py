"""Outreach pages: the year's overview, and forms to enter and correct every record.

Managers enter everything (`outreach.manage`); counsellors add talks and media and may
correct what they entered themselves (`outreach.add`, checked per record in
`outreach_can_change`); everyone with `outreach.view` reads the overview.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.core.bounds import checked_year
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.outreach import selectors
from hjelpelinje.outreach.forms import (
    CampaignForm,
    CampaignPlatformForm,
    MediaForm,
    NetworkForm,
    SocialAccountForm,
    SocialPostForm,
    SocialSnapshotForm,
    TalkForm,
    WebsitePeriodForm,
)
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    MediaKind,
    Network,
    PostPlatform,
    SocialAccount,
    SocialPost,
    SocialSnapshot,
    Talk,
    TalkKind,
)
from hjelpelinje.outreach.services import (
    outreach_record_delete,
    outreach_record_save,
    social_post_create,
)
from hjelpelinje.outreach.texts import effect_sentences, funnel_sentence
from hjelpelinje.outreach.website_chart import PLATFORM_COLOURS, Span, legend_swatch, website_svg


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _year(request: HttpRequest) -> int:
    # Outreach is planned ahead, so next year's campaigns may be looked at already.
    year = checked_year(request.GET.get("year"), planned=True)
    if year is not None:
        return year
    # Opened without a year: this year, or the latest year with outreach when this year has
    # none yet (as the statistics page does), rather than an empty page.
    this_year = local_now().year
    return selectors.outreach_latest_year(up_to=this_year) or this_year


def _index_url(year: int | None = None) -> str:
    url = reverse("outreach:index")
    return f"{url}?year={year}" if year else url


@require("outreach.view")
def index(request: HttpRequest) -> HttpResponse:
    return _index_page(request, _year(request), SocialPostForm())


def _index_page(
    request: HttpRequest, year: int, post_form: SocialPostForm, status: int = 200
) -> HttpResponse:
    user = _user(request)
    campaigns = list(selectors.campaigns_in_year(year))
    effects = selectors.campaign_effects(campaigns)
    talks = list(selectors.talks_in_year(year))
    media = list(selectors.media_in_year(year))
    networks = list(selectors.networks_active_in_year(year))
    posts = list(selectors.posts_in_year(year))
    participants = sum(t.participants or 0 for t in talks)
    talk_kinds = Counter(t.kind for t in talks)
    media_kinds = Counter(m.kind for m in media)
    return render(
        request,
        "outreach/index.html",
        {
            "year": year,
            "years": selectors.outreach_years(),
            "campaigns": [(c, effect_sentences(effects[c.pk])) for c in campaigns],
            "talks": [(t, selectors.outreach_can_change(user, t)) for t in talks],
            "participants": participants,
            "talks_without_count": sum(1 for t in talks if t.participants is None),
            "talk_kinds": [(k.label, talk_kinds[k.value]) for k in TalkKind if talk_kinds[k.value]],
            "media_kinds": [
                (k.label, media_kinds[k.value]) for k in MediaKind if media_kinds[k.value]
            ],
            "media": [(m, selectors.outreach_can_change(user, m)) for m in media],
            "networks": networks,
            "accounts": selectors.social_accounts_with_figures(year),
            "posts": [(p, selectors.outreach_can_change(user, p)) for p in posts],
            "post_form": post_form,
        },
        status=status,
    )


@require("outreach.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = selectors.campaign_get(pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    effect = selectors.campaign_effect(campaign)
    funnel = selectors.campaign_funnel(campaign, effect)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "funnel": funnel,
            "funnel_sentence": funnel_sentence(campaign, funnel),
            "platforms": selectors.campaign_platforms(campaign),
            "effect": effect,
            "sentences": effect_sentences(effect),
            "measures": [
                (_("Relevante førstegangshenvendelser"), effect.inquiries),
                (_("Chatsamtaler"), effect.chat_sessions),
            ],
            "media": campaign.media.order_by("date"),
        },
    )


# --- One generic create/edit/delete flow for every kind of record -----------------------


def _edit(
    request: HttpRequest,
    *,
    form_class: type[forms.ModelForm],  # type: ignore[type-arg]
    instance: Model,
    title: str,
    back: str,
    done: Callable[[Any], str] | None = None,
    intro: str = "",
    delete_url: str = "",
) -> HttpResponse:
    user = _user(request)
    if not selectors.outreach_can_change(user, instance):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        m2m = {
            name: form.cleaned_data[name]
            for name, f in form.fields.items()
            if isinstance(f, forms.ModelMultipleChoiceField)
        }
        try:
            outreach_record_save(actor=user, record=record, changed=form.changed_data, m2m=m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Lagret."))
            return redirect(done(record) if done else back)
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": title, "back": back, "intro": intro, "delete_url": delete_url},
    )


def _delete(request: HttpRequest, *, record: Model, title: str, back: str) -> HttpResponse:
    user = _user(request)
    if not selectors.outreach_can_change(user, record):
        raise PermissionDenied
    if request.method == "POST":
        outreach_record_delete(actor=user, record=record)
        messages.success(request, _("Slettet."))
        return redirect(back)
    return render(
        request, "outreach/confirm_delete.html", {"title": title, "record": record, "back": back}
    )


def _year_of(record: Any, field_name: str = "date") -> int:
    return int(getattr(record, field_name).year)


# Campaigns


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=CampaignForm,
        instance=Campaign(),
        title=_("Ny kampanje"),
        back=_index_url(_year(request)),
        done=lambda c: reverse("outreach:campaign_detail", args=[c.pk]),
        intro=_("Legg til plattformer og resultater etter at kampanjen er lagret."),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    url = reverse("outreach:campaign_detail", args=[campaign.pk])
    return _edit(
        request,
        form_class=CampaignForm,
        instance=campaign,
        title=_("Endre kampanje"),
        back=url,
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return _delete(
        request,
        record=campaign,
        title=_("Slette kampanjen «%(name)s» med alle plattformer?") % {"name": campaign.name},
        back=_index_url(campaign.start.year),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def platform_create(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    return _edit(
        request,
        form_class=CampaignPlatformForm,
        instance=CampaignPlatform(campaign=campaign),
        title=_("Ny plattform for «%(name)s»") % {"name": campaign.name},
        back=reverse("outreach:campaign_detail", args=[campaign.pk]),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    platform = get_object_or_404(CampaignPlatform.objects.select_related("campaign"), pk=pk)
    return _edit(
        request,
        form_class=CampaignPlatformForm,
        instance=platform,
        title=_("Endre %(platform)s i «%(name)s»")
        % {"platform": platform.get_platform_display(), "name": platform.campaign.name},
        back=reverse("outreach:campaign_detail", args=[platform.campaign_id]),
        delete_url=reverse("outreach:platform_delete", args=[platform.pk]),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def platform_delete(request: HttpRequest, pk: int) -> HttpResponse:
    platform = get_object_or_404(CampaignPlatform.objects.select_related("campaign"), pk=pk)
    return _delete(
        request,
        record=platform,
        title=_("Slette %(platform)s fra «%(name)s»?")
        % {"platform": platform.get_platform_display(), "name": platform.campaign.name},
        back=reverse("outreach:campaign_detail", args=[platform.campaign_id]),
    )


# Talks and media: counsellors add them and correct their own


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def talk_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=TalkForm,
        instance=Talk(),
        title=_("Registrer foredrag eller kurs"),
        back=_index_url(_year(request)) + "#talks",
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def talk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talk = get_object_or_404(Talk, pk=pk)
    return _edit(
        request,
        form_class=TalkForm,
        instance=talk,
        title=_("Endre foredrag eller kurs"),
        back=_index_url(_year_of(talk)) + "#talks",
        delete_url=reverse("outreach:talk_delete", args=[talk.pk]),
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def talk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    talk = get_object_or_404(Talk, pk=pk)
    return _delete(
        request,
        record=talk,
        title=_("Slette «%(talk)s»?") % {"talk": talk},
        back=_index_url(_year_of(talk)) + "#talks",
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def media_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=MediaForm,
        instance=MediaAppearance(),
        title=_("Registrer medieoppslag"),
        back=_index_url(_year(request)) + "#media",
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def media_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MediaAppearance, pk=pk)
    return _edit(
        request,
        form_class=MediaForm,
        instance=item,
        title=_("Endre medieoppslag"),
        back=_index_url(_year_of(item)) + "#media",
        delete_url=reverse("outreach:media_delete", args=[item.pk]),
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def media_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MediaAppearance, pk=pk)
    return _delete(
        request,
        record=item,
        title=_("Slette medieoppslaget «%(item)s»?") % {"item": item},
        back=_index_url(_year_of(item)) + "#media",
    )


# Networks


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def network_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=NetworkForm,
        instance=Network(),
        title=_("Nytt nettverk"),
        back=reverse("outreach:networks"),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(Network, pk=pk)
    return _edit(
        request,
        form_class=NetworkForm,
        instance=network,
        title=_("Endre nettverk"),
        back=reverse("outreach:networks"),
        delete_url=reverse("outreach:network_delete", args=[network.pk]),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def network_delete(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(Network, pk=pk)
    return _delete(
        request,
        record=network,
        title=_("Slette nettverket «%(name)s»?") % {"name": network.name},
        back=reverse("outreach:networks"),
    )


@require("outreach.view")
def networks(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/networks.html", {"networks": selectors.networks_all()})


# Social media


@require("outreach.view")
def social(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/social.html",
        {"accounts": selectors.social_accounts_all()},
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=SocialAccountForm,
        instance=SocialAccount(),
        title=_("Ny konto i sosiale medier"),
        back=reverse("outreach:social"),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=pk)
    return _edit(
        request,
        form_class=SocialAccountForm,
        instance=account,
        title=_("Endre konto"),
        back=reverse("outreach:social"),
        delete_url=reverse("outreach:account_delete", args=[account.pk]),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=pk)
    return _delete(
        request,
        record=account,
        title=_("Slette kontoen på %(platform)s med alle tall?")
        % {"platform": account.get_platform_display()},
        back=reverse("outreach:social"),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def snapshot_create(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=account_pk)
    return _edit(
        request,
        form_class=SocialSnapshotForm,
        instance=SocialSnapshot(account=account, date=local_now().date()),
        title=_("Nye tall for %(platform)s") % {"platform": account.get_platform_display()},
        back=reverse("outreach:social"),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def snapshot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(SocialSnapshot.objects.select_related("account"), pk=pk)
    return _edit(
        request,
        form_class=SocialSnapshotForm,
        instance=snapshot,
        title=_("Endre tall for %(platform)s")
        % {"platform": snapshot.account.get_platform_display()},
        back=reverse("outreach:social"),
        delete_url=reverse("outreach:snapshot_delete", args=[snapshot.pk]),
    )


@require("outreach.manage")
@require_http_methods(["GET", "POST"])
def snapshot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(SocialSnapshot.objects.select_related("account"), pk=pk)
    return _delete(
        request,
        record=snapshot,
        title=_("Slette tallene fra %(snapshot)s?") % {"snapshot": snapshot},
        back=reverse("outreach:social"),
    )


# Social-media posts: a one-line quick add on the overview, corrected by their author


@require("outreach.add")
@require_http_methods(["POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    form = SocialPostForm(request.POST)
    if form.is_valid():
        try:
            post = social_post_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Innlegget på %(platform)s %(date)s er lagt til.")
                % {"platform": post.get_platform_display(), "date": f"{post.date:%d.%m.%Y}"},
            )
            return redirect(_index_url(post.date.year) + "#posts")
    # The overview again, with the quick add showing what was typed and what is wrong.
    year = form.cleaned_data["date"].year if "date" in form.cleaned_data else _year(request)
    return _index_page(request, year, form, status=400)


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(SocialPost, pk=pk)
    return _edit(
        request,
        form_class=SocialPostForm,
        instance=post,
        title=_("Endre innlegg i sosiale medier"),
        back=_index_url(_year_of(post)) + "#posts",
        done=lambda p: _index_url(_year_of(p)) + "#posts",
        delete_url=reverse("outreach:post_delete", args=[post.pk]),
    )


@require("outreach.add")
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(SocialPost, pk=pk)
    return _delete(
        request,
        record=post,
        title=_("Slette innlegget %(post)s?") % {"post": post},
        back=_index_url(_year_of(post)) + "#posts",
    )


# The website: visits per day with the posts and campaigns marked


@require("outreach.view")
def website(request: HttpRequest) -> HttpResponse:
    today = local_now().date()
    form = WebsitePeriodForm(request.GET or None, today=today)
    start, end = form.period()
    days = selectors.website_days(start, end)
    spans = [Span(c.name, c.start, c.end) for c in selectors.campaigns_between(start, end)]
    title = _("Besøk på nettsiden per dag, %(start)s–%(end)s") % {
        "start": f"{start:%d.%m.%Y}",
        "end": f"{end:%d.%m.%Y}",
    }
    used = {p for d in days for p in d.platforms}
    legend = [
        {"label": p.label, "swatch": mark_safe(legend_swatch(p.value)), "code": p.value}  # noqa: S308 - fixed markup
        for p in PostPlatform
        if p.value in used
    ]
    labels = {p.value: p.label for p in PostPlatform}
    return render(
        request,
        "outreach/website.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "title": title,
            "svg": mark_safe(website_svg(days, spans, title=title)),  # noqa: S308 - built with every text escaped
            "legend": legend,
            "colours": PLATFORM_COLOURS,
            "spans": spans,
            "rows": [
                {
                    "day": d,
                    "platforms": [labels.get(p, p) for p in d.platforms],
                }
                for d in reversed(days)
            ],
            "total_visits": sum(d.visits for d in days),
            "total_views": sum(d.page_views for d in days),
            "presets": form.presets(),
        },
    )
