"""Follow-up users: people who consented to being followed up over time.

Everything that can identify a user (name, contact details, notes, the protected address,
activity and mail notes, earlier versions of these) lives in `EncryptedTextField`s, so the
database only holds ciphertext and `hjelpelinje rotate_keys` covers it. The reference code
is the only identifier in plain text; it is what lists show and what search matches, and a
consent withdrawal replaces it with a random id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hjelpelinje.core.fields import EncryptedTextField
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code


def _code_fk(list_name: str, verbose: StrOrPromise, **extra: bool) -> models.ForeignKey[Code, Code]:
    return models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": list_name},
        verbose_name=verbose,
        **extra,  # type: ignore[arg-type]
    )


class Source(models.TextChoices):
    HOUSING_PROGRAMME = "housing_programme", _("Bo- og støttetilbudet")
    HELPLINE = "helpline", _("Hjelpelinja")
    OTHER = "other", _("Annet")


class FollowUpUser(models.Model):
    """A user (bruker) followed up over time. Created only together with a `Consent`."""

    reference = models.CharField(_("referansekode"), max_length=40, unique=True)
    name = EncryptedTextField(_("navn"), blank=True)
    phone = EncryptedTextField(_("telefon"), blank=True)
    email = EncryptedTextField(_("e-post"), blank=True)
    # Stored encrypted, because a birth year narrows a person down far more than an age group.
    birth_year = EncryptedTextField(_("fødselsår"), blank=True)
    age_group = _code_fk("age_group", _("aldersgruppe"))
    gender = _code_fk("gender", _("kjønn"))
    region = _code_fk("region", _("landsdel"))
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices)
    first_inquiry = models.ForeignKey(
        Inquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("førstegangshenvendelse"),
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="followup_users",
        blank=True,
        verbose_name=_("ansvarlige rådgivere"),
    )
    notes = EncryptedTextField(_("notater"), blank=True)

    # Whether the user has a protected address is kept in plain text (and kept after a
    # withdrawal) because the statistics count it; the code (6/7) and the address are secret.
    has_protected_address = models.BooleanField(_("sperret adresse"), default=False)
    protected_code = EncryptedTextField(_("sperrekode"), blank=True)
    address = EncryptedTextField(_("adresse"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(_("samtykke trukket"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        # Never the name: str() ends up in logs and error pages.
        return self.reference

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


# The personal fields of a user: what history snapshots hold and a withdrawal erases.
PERSONAL_FIELDS = (
    "name",
    "phone",
    "email",
    "birth_year",
    "notes",
    "protected_code",
    "address",
)


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Muntlig")
    WRITTEN = "written", _("Skriftlig")
    UNKNOWN = "unknown", _("Ikke registrert (importert)")


class Consent(models.Model):
    """The user's consent to storing information and being followed up over time."""

    user = models.OneToOneField(FollowUpUser, on_delete=models.CASCADE, related_name="consent")
    given_on = models.DateField(_("samtykke gitt"))
    method = models.CharField(_("hvordan"), max_length=10, choices=ConsentMethod.choices)
    covers_storage = models.BooleanField(_("lagring av opplysninger"), default=True)
    covers_follow_up = models.BooleanField(_("oppfølging over tid"), default=True)
    note = EncryptedTextField(_("merknad"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("trukket"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")

    def __str__(self) -> str:
        return f"consent #{self.pk}"


class UserVersion(models.Model):
    """One change of a user: who, when, which fields; the values only encrypted."""

    user = models.ForeignKey(FollowUpUser, on_delete=models.CASCADE, related_name="versions")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    fields = models.JSONField(default=list)
    # JSON {"before": {...}, "after": {...}} of the personal fields that changed, encrypted.
    # A withdrawal empties it.
    snapshot = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"version #{self.pk}"


class Activity(models.Model):
    """Something a counsellor did for a user: a call to NAV, a meeting, mail handled."""

    user = models.ForeignKey(FollowUpUser, on_delete=models.CASCADE, related_name="activities")
    done_on = models.DateField(_("dato"))
    category = _code_fk("activity", _("kategori"))
    agency = _code_fk("agency", _("instans"), null=True, blank=True)
    note = EncryptedTextField(_("notat"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utført av"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["done_on"], name="followup_activity_day_idx")]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return f"activity #{self.pk}"


class UserInquiry(models.Model):
    """An inquiry from a follow-up user (not a first-time inquiry)."""

    user = models.ForeignKey(FollowUpUser, on_delete=models.CASCADE, related_name="inquiries")
    occurred_on = models.DateField(_("dato"))
    channel = _code_fk("channel", _("kanal"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on"], name="followup_inquiry_day_idx")]
        verbose_name = _("henvendelse fra bruker")
        verbose_name_plural = _("henvendelser fra brukere")

    def __str__(self) -> str:
        return f"user inquiry #{self.pk}"


class SenderType(models.TextChoices):
    PUBLIC = "public", _("Offentlig etat")
    HEALTH = "health", _("Helsevesen")
    BANK = "bank", _("Bank/forsikring")
    PRIVATE = "private", _("Privatperson")
    OTHER = "other", _("Annet")


class MailOutcome(models.TextChoices):
    WAITING = "waiting", _("Venter")
    COLLECTED = "collected", _("Hentet")
    FORWARDED = "forwarded", _("Videresendt")


class MailItem(models.Model):
    """Mail received on the user's behalf under a mail agreement.

    Each item belongs to one activity of category `mail`, so the mail log and the activity
    count can never disagree.
    """

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="mail_item")
    user = models.ForeignKey(FollowUpUser, on_delete=models.CASCADE, related_name="mail_items")
    received_on = models.DateField(_("mottatt"))
    sender_type = models.CharField(
        _("avsender"), max_length=10, choices=SenderType.choices, blank=True
    )
    outcome = models.CharField(_("status"), max_length=10, choices=MailOutcome.choices, blank=True)
    outcome_on = models.DateField(_("hentet/videresendt"), null=True, blank=True)
    note = EncryptedTextField(_("merknad"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("postlogg")

    def __str__(self) -> str:
        return f"mail #{self.pk}"


class GlassBreak(models.Model):
    """A counsellor's emergency access to a user's shielded data, for a limited time.

    The reason is in the audit log (flagged), not here; this row only grants the access.
    """

    user = models.ForeignKey(FollowUpUser, on_delete=models.CASCADE, related_name="glass_breaks")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"glass break #{self.pk}"
