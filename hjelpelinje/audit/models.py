from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.fields import EncryptedTextField

GENESIS = "0" * 64
# The action of the entry that records erased reasons; `audit_verify_chain` accepts an
# erased reason only when a later entry of this kind names it.
REASON_ERASE_ACTION = "audit.reason_erase"


def reason_commitment(salt: str, reason: str) -> str:
    """What the hash chain holds of a reason: an HMAC of it keyed with a random salt.

    Why not the reason itself, or its ciphertext? The chain must survive two later changes
    to the row. Key rotation re-encrypts the reason (`rotate_keys`), so a chain over the
    ciphertext would break at every rotation; and a consent withdrawal erases a reason
    that names the person, so a chain over the plaintext would break at every withdrawal.
    The commitment is neither: it stays the same under rotation, and it stays in the chain
    when the reason and its salt are erased. The salt is 32 random bytes stored encrypted
    beside the reason and erased with it; without it the commitment cannot be tested
    against guesses (a phone number has only 10^8 candidates, so an HMAC keyed with a
    server secret could be brute-forced by anyone holding that secret).
    """
    if not reason:
        return ""
    return hmac.new(bytes.fromhex(salt), reason.encode(), hashlib.sha256).hexdigest()


class AuditEntry(models.Model):
    """One append-only line of the access log.

    It names who did what to which record and which fields, never the values. Each entry
    carries an HMAC over its content and the previous entry's hash, so an edited, deleted
    or inserted row breaks the chain (`hjelpelinje verify_audit`); a log cut short at its
    end is caught by the witness that command keeps outside the database. Staff are
    referenced by id and a label copied at the time, not by a foreign key, so deleting an
    account cannot rewrite the log. The one free-text part, the reason, is encrypted.
    """

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("ansatt-id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("ansatt"), max_length=150, blank=True)
    action = models.CharField(_("handling"), max_length=60, db_index=True)
    target_type = models.CharField(_("type"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("id"), max_length=64, blank=True, db_index=True)
    fields = models.JSONField(_("felt"), default=list, blank=True)
    # Free text (a break-the-glass reason) can name a person, so it is encrypted like every
    # other personal field, and a consent withdrawal erases it; see `reason_commitment`.
    reason = EncryptedTextField(_("begrunnelse"), blank=True)
    reason_salt = EncryptedTextField(blank=True, default="", db_default="")
    reason_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    flagged = models.BooleanField(_("flagget"), default=False, db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("logglinje")
        verbose_name_plural = _("tilgangslogg")

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.action} {self.target_type} {self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only")

    def payload(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "fields": list(self.fields),
            "reason_digest": self.reason_digest,
            "flagged": self.flagged,
        }

    @property
    def reason_erased(self) -> bool:
        """The entry had a reason, erased since by a consent withdrawal."""
        return bool(self.reason_digest) and not self.reason and not self.reason_salt

    def reason_holds(self) -> bool:
        """Whether the stored reason is the one the chain committed to (or was erased)."""
        if self.reason_erased:
            return True
        if not self.reason and not self.reason_salt:
            return not self.reason_digest
        try:
            expected = reason_commitment(self.reason_salt, self.reason)
        except ValueError:  # a salt that is not hex was not written by `audit_record`
            return False
        return hmac.compare_digest(expected, self.reason_digest)

    def compute_hash(self) -> str:
        message = self.prev_hash + json.dumps(self.payload(), sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(b"hjelpelinje-audit:" + settings.SECRET_KEY.encode()).digest()
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
