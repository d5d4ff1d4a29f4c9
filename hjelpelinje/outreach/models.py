"""Outreach: campaigns, talks and courses, networks, media appearances and social media.

Nothing here is about a client of the helpline: these are the helpline's own public
activities, so no field is encrypted. Names of outlets, organisers and networks are
organisations, never private persons.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjelpelinje.hours.models import HoursException
from hjelpelinje.taxonomy.models import Code


class Platform(models.TextChoices):
    """Where a campaign ran."""

    TIKTOK = "tiktok", _("TikTok")
    SNAPCHAT = "snapchat", _("Snapchat")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    AIRPORT_SCREENS = "airport_screens", _("Skjermer på flyplasser")
    TRANSIT_SCREENS = "transit_screens", _("Skjermer på kollektivtrafikk og kjøpesentre")
    OTHER = "other", _("Annet")


class SocialPlatform(models.TextChoices):
    """Where the helpline has an account of its own."""

    TIKTOK = "tiktok", _("TikTok")
    SNAPCHAT = "snapchat", _("Snapchat")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    YOUTUBE = "youtube", _("YouTube")
    LINKEDIN = "linkedin", _("LinkedIn")
    OTHER = "other", _("Annet")


class PostPlatform(models.TextChoices):
    """Where a post was published: the platforms the post-day comparison is made for."""

    TIKTOK = "tiktok", _("TikTok")
    SNAPCHAT = "snapchat", _("Snapchat")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    YOUTUBE = "youtube", _("YouTube")
    OTHER = "other", _("Annet")


# The value a campaign's ads carry as `utm_campaign`. The counter stores it lower-cased and
# at most 60 characters long (visits.SourceDay), so a tag is written that way from the start.
UTM_TAG_MAX = 60
utm_tag_validator = RegexValidator(
    r"^[a-z0-9._-]+\Z",
    _("Bruk bare små bokstaver a–z, tall, punktum, bindestrek og understrek."),
)


class TalkKind(models.TextChoices):
    SEMINAR = "seminar", _("Foredrag på seminar")
    COURSE = "course", _("Kurs")
    SCHOOL_VISIT = "school_visit", _("Skolebesøk")
    ORGANISATION_VISIT = "organisation_visit", _("Organisasjonsbesøk")
    WORKSHOP = "workshop", _("Workshop")
    CONSULTATION = "consultation", _("Innspillsmøte med offentlig instans")


class NetworkRole(models.TextChoices):
    MEMBER = "member", _("Medlem")
    CO_ORGANISER = "co_organiser", _("Medarrangør")


class MediaKind(models.TextChoices):
    INTERVIEW = "interview", _("Intervju")
    RADIO = "radio", _("Radio")
    OP_ED = "op_ed", _("Kronikk")
    COMMENT = "comment", _("Kommentar")


class _Entered(models.Model):
    """Who entered a record and when: counsellors may change what they entered themselves."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Campaign(_Entered):
    """An advertising campaign with a period; its results are kept per platform."""

    name = models.CharField(_("navn"), max_length=200)
    start = models.DateField(_("fra og med"))
    end = models.DateField(_("til og med"))
    excludes_weekends = models.BooleanField(
        _("ikke i helger"),
        default=True,
        help_text=_("Annonsene gikk ikke lørdag og søndag."),
    )
    excludes_holidays = models.BooleanField(
        _("ikke på helligdager"),
        default=True,
        help_text=_("Annonsene gikk ikke på offentlige fridager."),
    )
    funder = models.CharField(_("finansiert av"), max_length=200, blank=True)
    partner = models.CharField(_("byrå eller samarbeidspartner"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    utm_tag = models.CharField(
        _("kampanjemerke (utm_campaign)"),
        max_length=UTM_TAG_MAX,
        blank=True,
        validators=[utm_tag_validator],
        help_text=_(
            "Verdien annonsene lenker med som utm_campaign, for eksempel «dobbeltliv». "
            "Besøk på nettsiden med dette merket telles for kampanjen."
        ),
    )
    # Longer opening hours that went with the campaign (until 18:00 or 20:00).
    hours_exceptions = models.ManyToManyField(
        HoursException,
        related_name="campaigns",
        blank=True,
        verbose_name=_("utvidet åpningstid"),
    )

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            # Two campaigns with one tag would each claim the other's visits.
            models.UniqueConstraint(
                fields=["utm_tag"],
                condition=~Q(utm_tag=""),
                name="outreach_campaign_utm_tag_once",
            )
        ]
        verbose_name = _("kampanje")
        verbose_name_plural = _("kampanjer")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Sluttdato må være samme dag som eller etter start.")})
        if self.utm_tag:
            clash = Campaign.objects.filter(utm_tag=self.utm_tag).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"utm_tag": _("En annen kampanje bruker allerede dette merket.")}
                )

    def skips(self, day: dt.date, *, is_holiday: bool) -> bool:
        """Whether the campaign's rules leave out this kind of day (a weekend, a holiday).

        Applied to the days before the campaign too, so the baseline is made of the same
        kind of days as the campaign.
        """
        if self.excludes_weekends and day.weekday() >= 5:
            return True
        return self.excludes_holidays and is_holiday


class CampaignPlatform(models.Model):
    """One platform of a campaign: whom it targeted and what it reached, where known.

    Results are left empty when unknown, so a total can tell "not measured" from zero.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="platforms")
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    target_age_groups = models.ManyToManyField(
        Code,
        related_name="+",
        limit_choices_to={"list": "age_group"},
        blank=True,
        verbose_name=_("aldersgrupper i målgruppen"),
    )
    target_ages = models.CharField(
        _("målgruppe (alder)"),
        max_length=100,
        blank=True,
        help_text=_("Slik byrået oppgir den, for eksempel «13-17 år og 18-23 år»."),
    )
    percent_women = models.PositiveSmallIntegerField(
        _("kvinner/jenter %"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    percent_men = models.PositiveSmallIntegerField(
        _("menn/gutter %"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    percent_other = models.PositiveSmallIntegerField(
        _("annet/ukjent %"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    impressions = models.PositiveBigIntegerField(_("annonsevisninger"), null=True, blank=True)
    clicks = models.PositiveBigIntegerField(_("klikk til nettsiden"), null=True, blank=True)
    unique_browsers = models.PositiveBigIntegerField(
        _("unike nettlesere nådd"), null=True, blank=True
    )
    screen_plays = models.PositiveBigIntegerField(
        _("avspillinger på skjerm"), null=True, blank=True
    )
    notes = models.TextField(_("merknader"), blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [
            # "Other" may appear several times (radio ads and posters, say); the named
            # platforms once each, so their figures are never split by accident.
            models.UniqueConstraint(
                fields=["campaign", "platform"],
                condition=~Q(platform="other"),
                name="outreach_platform_once_per_campaign",
            )
        ]
        verbose_name = _("kampanjeplattform")
        verbose_name_plural = _("kampanjeplattformer")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_platform_display()}"

    def clean(self) -> None:
        parts = [self.percent_women, self.percent_men, self.percent_other]
        given = [p for p in parts if p is not None]
        if given and sum(given) != 100:
            raise ValidationError(_("Kjønnsfordelingen må summere til 100 %."))
        if self.campaign_id is not None and self.platform != Platform.OTHER:
            clash = CampaignPlatform.objects.filter(
                campaign_id=self.campaign_id, platform=self.platform
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"platform": _("Kampanjen har allerede denne plattformen.")})


class Talk(_Entered):
    """A talk, course, visit or workshop (foredrag og kompetanseheving)."""

    date = models.DateField(_("dato"))
    kind = models.CharField(_("type"), max_length=30, choices=TalkKind.choices)
    title = models.CharField(_("tittel eller tema"), max_length=200, blank=True)
    audience = models.CharField(_("målgruppe"), max_length=200, blank=True)
    organiser = models.CharField(_("arrangør"), max_length=200, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(
        _("antall deltakere"),
        null=True,
        blank=True,
        help_text=_("La stå tomt hvis dere ikke vet."),
    )
    description = models.TextField(_("kort beskrivelse"), blank=True)
    # The seed report names a handful of the year's talks ("Av det som er gjennomført i
    # 2023 ønsker vi å nevne følgende"); the manager picks which.
    in_report = models.BooleanField(
        _("nevnes i årsrapporten"),
        default=False,
        help_text=_("Tas med i årsrapportens liste over årets viktigste aktiviteter."),
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="outreach_talk_date_idx")]
        verbose_name = _("foredrag eller kurs")
        verbose_name_plural = _("foredrag og kompetanseheving")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


class Network(_Entered):
    """A professional network the helpline belongs to or co-organises."""

    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(
        _("rolle"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.MEMBER
    )
    since = models.DateField(_("med siden"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    until = models.DateField(
        _("til og med"),
        null=True,
        blank=True,
        help_text=_("Når dere gikk ut av nettverket. Må fylles ut når det ikke er aktivt."),
    )
    notes = models.TextField(_("merknader"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("nettverk")
        verbose_name_plural = _("nettverk")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Without an end date a past membership could not be placed in any year, and
        # "networks active during the year" would silently lose it.
        if not self.active and self.until is None:
            raise ValidationError({"until": _("Oppgi når dere gikk ut av nettverket.")})
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("Sluttdato må være etter «med siden».")})


class MediaAppearance(_Entered):
    """An interview, radio piece, op-ed or comment in the media."""

    date = models.DateField(_("dato"))
    outlet = models.CharField(_("medium"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=MediaKind.choices)
    title = models.CharField(_("tittel"), max_length=300, blank=True)
    link = models.URLField(_("lenke"), max_length=500, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media",
        verbose_name=_("i forbindelse med kampanje"),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("medieoppslag")
        verbose_name_plural = _("medieoppslag")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.outlet}"


class SocialAccount(_Entered):
    """The helpline's own account on a social medium (one per platform)."""

    platform = models.CharField(
        _("plattform"), max_length=20, choices=SocialPlatform.choices, unique=True
    )
    handle = models.CharField(_("kontonavn"), max_length=100, blank=True)
    url = models.URLField(_("lenke"), max_length=300, blank=True)
    opened = models.DateField(_("opprettet"), null=True, blank=True)
    active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["platform"]
        verbose_name = _("konto i sosiale medier")
        verbose_name_plural = _("kontoer i sosiale medier")

    def __str__(self) -> str:
        return self.get_platform_display()


class SocialSnapshot(_Entered):
    """An account's figures as read on one day."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField(_("dato"))
    followers = models.PositiveIntegerField(_("følgere"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likerklikk"), null=True, blank=True)
    top_video_views = models.PositiveBigIntegerField(
        _("visninger av mest sette video"), null=True, blank=True
    )
    notes = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["account", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="outreach_snapshot_once_a_day")
        ]
        verbose_name = _("tall fra sosiale medier")
        verbose_name_plural = _("tall fra sosiale medier")

    def __str__(self) -> str:
        return f"{self.account} {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        if self.account_id is not None and self.date is not None:
            clash = SocialSnapshot.objects.filter(account_id=self.account_id, date=self.date)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError({"date": _("Kontoen har allerede tall for denne datoen.")})


class SocialPost(_Entered):
    """One post on a social medium, logged in seconds so post days can be compared.

    Only what was posted where and when: the post-day comparison in the statistics needs
    nothing more, and a link or a title helps the team find it again.
    """

    platform = models.CharField(_("plattform"), max_length=20, choices=PostPlatform.choices)
    date = models.DateField(_("dato"))
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    link = models.URLField(
        _("lenke"),
        max_length=500,
        blank=True,
        # Only web addresses: a javascript: or data: link would run when a colleague clicks it.
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("Lenken må være en nettadresse som begynner med http:// eller https://."),
            )
        ],
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="outreach_post_date_idx")]
        verbose_name = _("innlegg i sosiale medier")
        verbose_name_plural = _("innlegg i sosiale medier")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_platform_display()}"
