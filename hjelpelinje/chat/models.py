"""The anonymous chat: sessions, their messages, and the few settings managers control.

Nothing here identifies a visitor: no IP address, no user-agent, no name. A session keeps
only a hash of the random resume token the visitor's page holds in memory, so a stolen
database cannot be used to take over a live chat.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.fields import EncryptedTextField


class ChatSettings(models.Model):
    """One row (pk=1) that managers edit: limits and how long transcripts are kept."""

    max_chats_per_counsellor = models.PositiveSmallIntegerField(
        _("samtidige chatter per rådgiver"), default=3
    )
    unanswered_seconds = models.PositiveIntegerField(
        _("sekunder før en ubesvart chat går tilbake i køen"), default=120
    )
    retention_days = models.PositiveIntegerField(
        _("dager samtaler beholdes (0 = slettes når chatten avsluttes)"), default=0
    )
    # Past this many waiting chats a visitor is given the phone number instead of a place
    # in the queue: a flood of scripted chats cannot make a real visitor's wait endless.
    max_queue = models.PositiveSmallIntegerField(
        _("maks antall i køen"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Når så mange venter, får nye besøkende telefonnummeret i stedet for en plass i køen."
        ),
    )

    class Meta:
        verbose_name = _("chatinnstillinger")

    def __str__(self) -> str:
        return "chat settings"

    @classmethod
    def current(cls) -> ChatSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class ChatSession(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        ACTIVE = "active", _("pågår")
        ENDED = "ended", _("avsluttet")

    class EndedBy(models.TextChoices):
        VISITOR = "visitor", _("den som chattet")
        COUNSELLOR = "counsellor", _("rådgiver")
        SYSTEM = "system", _("systemet")

    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    age_group = models.ForeignKey(
        "taxonomy.Code", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        "taxonomy.Code", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    # The time the session last entered the queue (first start, or back after a timeout).
    queued_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    # The first counsellor message: the moment the visitor is answered.
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_sessions",
    )
    urgent = models.BooleanField(default=False)
    urgent_at = models.DateTimeField(null=True, blank=True)
    # The counsellor's private note and the note of a warm transfer: content, so encrypted
    # and wiped with the transcript.
    note = EncryptedTextField(blank=True)
    transfer_note = EncryptedTextField(blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    # When the visitor's socket last went away; cleared while connected. A visitor gone for
    # long is taken to have left.
    visitor_left_at = models.DateTimeField(null=True, blank=True)
    # A random name the server gives the visitor's current socket (nothing about the
    # visitor): a page that comes back on a new socket before the server has noticed the
    # old one die must not be taken for gone when the old one finally closes.
    visitor_socket = models.CharField(max_length=32, blank=True)
    # The last time a server process vouched that the visitor's socket was open in it.
    # A process that dies without a word (killed, out of memory) cannot say its sockets
    # closed; the tidy-up takes a visitor nobody vouches for any more to be gone.
    visitor_seen_at = models.DateTimeField(null=True, blank=True)
    purge_after = models.DateTimeField(null=True, blank=True)
    inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_session",
    )

    class Meta:
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"chat {self.pk}"

    @property
    def abandoned(self) -> bool:
        return self.status == self.Status.ENDED and self.assigned_at is None


class ChatMessage(models.Model):
    class Sender(models.TextChoices):
        VISITOR = "visitor", _("den som chattet")
        COUNSELLOR = "counsellor", _("rådgiver")
        SYSTEM = "system", _("system")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # A random id chosen by the sending client, so a message re-sent after a dropped
    # connection is stored once.
    client_id = models.CharField(max_length=40, blank=True)
    body = EncryptedTextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="chat_message_seq_unique"),
            # A re-sent message is stored once, even when two connections race to send it.
            models.UniqueConstraint(
                fields=["session", "sender", "client_id"],
                condition=~models.Q(client_id=""),
                name="chat_message_client_id_unique",
            ),
        ]
        ordering = ["session", "seq"]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.seq}"


class CannedResponse(models.Model):
    title = models.CharField(_("tittel"), max_length=80)
    body = models.TextField(_("tekst"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class CounsellorPresence(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("tilgjengelig")
        BUSY = "busy", _("opptatt")
        AWAY = "away", _("borte")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAY)
    connections = models.PositiveSmallIntegerField(default=0)
    # When the account's last console closed (None while one is open). The status outlives
    # a reload, a jump to another page and a closed tab for a grace time
    # (services.PRESENCE_GRACE); past it, with no console back, the counsellor is away.
    left_at = models.DateTimeField(null=True, blank=True)
    # The last time a server process vouched that a console of the account was open in it
    # (sockets/tidy.py). A process that dies cannot count its consoles closed; an account
    # nobody vouches for any more has no console, whatever `connections` says.
    seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.status}"


class ClosedVisitDay(models.Model):
    """How many times /chat/ was opened while closed on a day: a bare counter, nothing else."""

    day = models.DateField(primary_key=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"
