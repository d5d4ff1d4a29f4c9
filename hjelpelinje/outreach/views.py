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
    SocialSnapshotForm,
    TalkForm,
)
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    MediaKind,
    Network,
    SocialAccount,
    SocialSnapshot,
    Talk,
    TalkKind,
)
from hjelpelinje.outreach.services import outreach_record_delete, outreach_record_save
from hjelpelinje.outreach.texts import effect_sentences


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
    year = _year(request)
    user = _user(request)
    campaigns = list(selectors.campaigns_in_year(year))
    effects = selectors.campaign_effects(campaigns)
    talks = list(selectors.talks_in_year(year))
    media = list(selectors.media_in_year(year))
    networks = list(selectors.networks_active_in_year(year))
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
        },
    )


@require("outreach.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = selectors.campaign_get(pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    effect = selectors.campaign_effect(campaign)
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
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
