from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditEntry(models.Model):
    """One append-only line of the access log.

    It names who did what to which record and which fields, never the values. Each entry
    carries an HMAC over its content and the previous entry's hash, so an edited, deleted
    or inserted row breaks the chain (`hjelpelinje verify_audit`). Staff are referenced by
    id and a label copied at the time, not by a foreign key, so deleting an account cannot
    rewrite the log.
    """

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("ansatt-id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("ansatt"), max_length=150, blank=True)
    action = models.CharField(_("handling"), max_length=60, db_index=True)
    target_type = models.CharField(_("type"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("id"), max_length=64, blank=True, db_index=True)
    fields = models.JSONField(_("felt"), default=list, blank=True)
    reason = models.TextField(_("begrunnelse"), blank=True)
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
            "reason": self.reason,
            "flagged": self.flagged,
        }

    def compute_hash(self) -> str:
        message = self.prev_hash + json.dumps(self.payload(), sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(b"hjelpelinje-audit:" + settings.SECRET_KEY.encode()).digest()
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
