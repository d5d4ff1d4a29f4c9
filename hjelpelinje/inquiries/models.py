from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hjelpelinje.core.fields import EncryptedTextField
from hjelpelinje.taxonomy.models import Code


def _code_fk(list_name: str, verbose: StrOrPromise) -> models.ForeignKey[Code, Code]:
    # No index of its own: statistics read the whole year in one pass, lists page along
    # `occurred_at`, and a code is never deleted (only deactivated), so an index per code
    # column would only slow every insert and import down.
    return models.ForeignKey(
        Code,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": list_name},
        verbose_name=verbose,
    )


# Each field of an inquiry that holds codes, and the code list its codes come from.
CODE_FIELDS: dict[str, str] = {
    "channel": "channel",
    "age_group": "age_group",
    "gender": "gender",
    "region": "region",
    "caller": "caller",
    "themes": "theme",
    "referred_to": "agency",
    "duty_to_avert_agencies": "agency",
}


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def live(self) -> InquiryQuerySet:
        """Not deleted: what lists and statistics see."""
        return self.filter(deleted_at__isnull=True)


class Inquiry(models.Model):
    """A first-time inquiry (førstegangshenvendelse): one per new case."""

    occurred_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    channel = _code_fk("channel", _("kanal"))
    relevant = models.BooleanField(_("relevant"), default=True)
    age_group = _code_fk("age_group", _("aldersgruppe"))
    gender = _code_fk("gender", _("kjønn"))
    region = _code_fk("region", _("landsdel"))
    caller = _code_fk("caller", _("henvender"))
    # The normalised country name (English short name), empty when not given.
    country_background = models.CharField(_("landbakgrunn"), max_length=100, blank=True)
    themes = models.ManyToManyField(
        Code,
        related_name="theme_inquiries+",
        limit_choices_to={"list": "theme"},
        blank=True,
        verbose_name=_("tema"),
    )
    follow_up = models.BooleanField(_("ble oppfølgingssak"), default=False)
    referred_to = models.ManyToManyField(
        Code,
        related_name="referral_inquiries+",
        limit_choices_to={"list": "agency"},
        blank=True,
        verbose_name=_("henvist til"),
    )
    duty_to_avert = models.BooleanField(_("avvergeplikt utløst"), default=False)
    duty_to_avert_agencies = models.ManyToManyField(
        Code,
        related_name="alert_inquiries+",
        limit_choices_to={"list": "agency"},
        blank=True,
        verbose_name=_("varslet"),
    )
    duty_to_avert_at = models.DateTimeField(_("varslet når"), null=True, blank=True)
    summary = EncryptedTextField(_("kort sammendrag"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # staff accounts are deactivated, never deleted
    )
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Free text that can name the person ("registered twice, Ola called again"), so it is
    # encrypted like the summary; a consent withdrawal erases one that names the user.
    deletion_reason = EncryptedTextField(blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["occurred_at", "id"], name="inquiry_occurred_idx")]
        verbose_name = _("førstegangshenvendelse")
        verbose_name_plural = _("førstegangshenvendelser")

    def __str__(self) -> str:
        return f"#{self.pk}"


class InquiryVersion(models.Model):
    """An earlier state of an inquiry, kept when someone edits it.

    The whole earlier state (codes, flags and the summary) is one JSON snapshot in an
    encrypted field, so the summary is as protected in the history as on the record and
    key rotation covers it. Who changed it, when and which fields stay readable: they are
    what the detail page and an audit need, and they hold no personal values.
    """

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    changed_at = models.DateTimeField(_("endret"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endret av"),
    )
    changed_fields = models.JSONField(_("endrede felt"), default=list)
    # The state before `changed_at`, as JSON.
    snapshot = EncryptedTextField(_("tidligere innhold"))

    class Meta:
        ordering = ["inquiry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "number"], name="inquiry_version_unique")
        ]
        verbose_name = _("tidligere versjon")
        verbose_name_plural = _("tidligere versjoner")

    def __str__(self) -> str:
        return f"#{self.inquiry_id} v{self.number}"
