"""The written channels' one inbox: conversations, their messages and attachments, and
the answering machine's call-back tasks.

Every channel that writes (e-mail, WhatsApp, the website's write-to-us form) is a
`Conversation` of `Message`s; the answering machine is a `CallbackTask` instead, because
what staff do with it is call back, not write. Everything a person wrote or that names
them is encrypted at rest (the field keys; `rotate_keys` covers it). What must be found
again without decrypting (an address, a Message-ID, a phone number) is kept beside it as
a keyed hash (`core.crypto.lookup_hash`). Reading content goes through the services and
selectors of this app, which write the audit log; nothing else reads these fields.

The contract other parts build on is written down in docs/written-channels.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.fields import EncryptedBytesField, EncryptedTextField

# Attachments, raw messages and recordings are stored in chunks of this many bytes, so
# neither writing nor reading one ever holds more than a chunk of it (encrypted) at once.
CHUNK_BYTES = 1024 * 1024


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEB_FORM = "web_form", _("Skriv til oss")


class Safe(models.TextChoices):
    """Whether the person said it is safe to answer (or to call back)."""

    UNKNOWN = "unknown", _("ikke spurt")
    YES = "yes", _("ja")
    NO = "no", _("nei, aldri")


class Conversation(models.Model):
    """One person writing to the helpline on one channel, and our answers.

    `contact_hash` is who writes: the keyed hash of the normalised e-mail address, of the
    WhatsApp user's id, or of the write-to-us pickup code. A mail is threaded into a
    conversation only when its sender has the conversation's `contact_hash`: someone else
    answering in the thread starts a conversation of their own.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("åpen")
        CLOSED = "closed", _("avsluttet")

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("opprettet"))
    # The newest message either way (the inbox's order) and the newest from the writer
    # (WhatsApp's 24-hour window; "waiting for an answer").
    last_message_at = models.DateTimeField(db_index=True)
    last_incoming_at = models.DateTimeField(null=True, blank=True)
    # Our first answer: the first-answer time the statistics report.
    first_answer_at = models.DateTimeField(null=True, blank=True)
    # Retention counts from here: the conversation, its messages and attachments are
    # deleted HJELPELINJE_WRITTEN_RETENTION_DAYS after it was closed.
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    contact_hash = models.CharField(max_length=64, db_index=True)
    # Where our answers go (an address, a WhatsApp id) and the name the writer gave.
    contact_address = EncryptedTextField(blank=True)
    contact_name = EncryptedTextField(blank=True)
    # The first message's subject, so a list can name the conversation.
    subject = EncryptedTextField(blank=True)

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbox_conversations",
    )
    # Who is writing an answer now, and since when: a lease the answer page renews while
    # its editor is open, so a second counsellor sees it. Stale after a minute or so.
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    writing_since = models.DateTimeField(null=True, blank=True)

    # "Safe to reply?": what the writer said, and where it is safe to answer (another
    # address, only in opening hours, ...). Unknown means nobody has asked yet.
    safe_to_reply = models.CharField(
        _("trygt å svare?"), max_length=10, choices=Safe.choices, default=Safe.UNKNOWN
    )
    safe_reply_where = EncryptedTextField(_("hvor det er trygt å svare"), blank=True)
    safe_noted_at = models.DateTimeField(null=True, blank=True)
    safe_noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    # The first-time inquiry this conversation was registered as (as a chat links its).
    inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation",
    )

    class Meta:
        indexes = [
            models.Index(fields=["channel", "contact_hash"], name="inbox_conv_contact_idx"),
            models.Index(fields=["status", "last_message_at"], name="inbox_conv_status_idx"),
        ]
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")

    def __str__(self) -> str:
        return f"{self.channel} {self.pk}"


class Message(models.Model):
    """One message in a conversation, in or out.

    `message_id_hash` is the keyed hash of the Message-ID (theirs on a mail that came in,
    ours on one we sent; a WhatsApp message's id), or, for a mail without one, of the raw
    message. It is unique: the same mail fetched twice is stored once, and a reply's
    In-Reply-To/References are looked up by it. The ids themselves are kept encrypted,
    since an answer must carry them.
    """

    class Direction(models.TextChoices):
        IN = "in", _("inn")
        OUT = "out", _("ut")

    class SendState(models.TextChoices):
        QUEUED = "queued", _("venter på sending")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("kunne ikke sendes")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # For a message in, when we stored it; for one out, when the counsellor wrote it.
    created_at = models.DateTimeField(db_index=True)
    # What the sender's Date header said (their clock, not ours), when it could be read.
    header_date = models.DateTimeField(null=True, blank=True)
    # The channel's own kind of message where it has them (WhatsApp: text, image, audio,
    # document, location, unsupported); empty for e-mail.
    kind = models.CharField(max_length=20, blank=True)

    subject = EncryptedTextField(blank=True)
    text = EncryptedTextField(blank=True)
    # The HTML part as it came, NOT sanitised: every display must pass it through nh3
    # and the inbox's no-remote-content rules first (docs/written-channels.md).
    html = EncryptedTextField(blank=True)
    sender_address = EncryptedTextField(blank=True)
    sender_name = EncryptedTextField(blank=True)
    sender_hash = models.CharField(max_length=64, blank=True)

    message_id = EncryptedTextField(blank=True)
    message_id_hash = models.CharField(max_length=64, blank=True)
    # Their In-Reply-To and References as they came (encrypted: they can name domains and
    # people), so our answer's References can continue the thread.
    in_reply_to = EncryptedTextField(blank=True)
    references = EncryptedTextField(blank=True)
    # Sent by a machine (RFC 3834: Auto-Submitted, Precedence bulk/list/junk, List-Id, an
    # empty Return-Path, MAILER-DAEMON and the like): never acknowledged automatically.
    automatic = models.BooleanField(default=False)

    # A mail that could not be read in full: the raw message is kept as an attachment of
    # kind "raw", and what could be read is in the fields above. The reasons are codes,
    # comma-separated ("mime", "charset", "headers", "encoding", "limits", "store"), never
    # content.
    unreadable = models.BooleanField(default=False)
    unreadable_reason = models.CharField(max_length=60, blank=True)
    # A mail over HJELPELINJE_MAIL_MAX_MB: not downloaded, left on the server; only its
    # sender, subject and size are stored, so the inbox can name it.
    too_large = models.BooleanField(default=False)
    # The raw message's size in bytes (RFC822.SIZE for a mail).
    size = models.BigIntegerField(default=0)

    # Answers: who wrote it, and where its sending stands. A failed send is retried and
    # shown, never silently dropped; `send_error` is a short code, never a server's text.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    send_state = models.CharField(max_length=10, choices=SendState.choices, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["conversation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id_hash"],
                condition=~Q(message_id_hash=""),
                name="inbox_message_id_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_state", "next_attempt_at"],
                condition=Q(send_state__in=["queued", "failed"]),
                name="inbox_message_outbox_idx",
            ),
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")

    def __str__(self) -> str:
        return f"{self.conversation_id}:{self.pk} {self.direction}"


class CallbackTask(models.Model):
    """A message left on the answering machine: someone to call back.

    Made from the phone provider's voicemail-to-e-mail; `message_id_hash` is that mail's,
    so fetching it twice makes one task. The recording is an `Attachment` of kind
    "recording" on the task.
    """

    created_at = models.DateTimeField(_("mottatt"))
    # When the call came, as the provider's mail said; else when the mail arrived.
    called_at = models.DateTimeField(_("tidspunkt"), db_index=True)
    caller_number = EncryptedTextField(_("nummer"), blank=True)
    caller_hash = models.CharField(max_length=64, blank=True, db_index=True)
    message_id_hash = models.CharField(max_length=64, unique=True)
    safe_to_call = models.CharField(
        _("trygt å ringe tilbake?"), max_length=10, choices=Safe.choices, default=Safe.UNKNOWN
    )
    # May we leave a message, or say who we are, when someone else answers?
    may_leave_message = models.CharField(
        _("kan vi legge igjen beskjed?"),
        max_length=10,
        choices=Safe.choices,
        default=Safe.UNKNOWN,
    )
    note = EncryptedTextField(_("notat"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_task",
    )

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = _("tilbakeringing")
        verbose_name_plural = _("tilbakeringinger")

    def __str__(self) -> str:
        return f"callback {self.pk}"


class CallbackAttempt(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("fikk svar")
        NO_ANSWER = "no_answer", _("ikke svar")
        SOMEONE_ELSE = "someone_else", _("en annen svarte")

    task = models.ForeignKey(CallbackTask, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("tidspunkt"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    note = EncryptedTextField(_("notat"), blank=True)

    class Meta:
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.outcome}"


class Attachment(models.Model):
    """A file that came with a message (or a call-back task's recording), encrypted in
    chunks (`AttachmentChunk`).

    Kinds: "file" (an attachment), "inline" (a part a mail's HTML shows by its `cid:`),
    "raw" (the whole raw mail, kept when it could not be read), "recording" (a voicemail).
    Exactly one of `message` and `task` is set.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("vedlegg")
        INLINE = "inline", _("bilde i meldingen")
        RAW = "raw", _("rå melding")
        RECORDING = "recording", _("opptak")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    task = models.ForeignKey(
        CallbackTask,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILE)
    filename = EncryptedTextField(blank=True)
    # The bare type ("image/png"), as the sender declared it: what a download is served as
    # is decided when it is shown, never trusted from here alone.
    content_type = models.CharField(max_length=127, blank=True)
    size = models.BigIntegerField(default=0)
    # The part's Content-ID without brackets, for `cid:` images in the HTML.
    content_id = EncryptedTextField(blank=True)
    # Whether every chunk was written (a stream that broke off leaves it False).
    complete = models.BooleanField(default=False)

    class Meta:
        ordering = ["message", "task", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, task__isnull=True)
                | Q(message__isnull=True, task__isnull=False),
                name="inbox_attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class AttachmentChunk(models.Model):
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = EncryptedBytesField()

    class Meta:
        ordering = ["attachment", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["attachment", "seq"], name="inbox_chunk_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id}:{self.seq}"
