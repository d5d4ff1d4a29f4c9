from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagerText(models.Model):
    """The manager's own words for one year's annual report, in Markdown.

    The figures are generated; these four texts are what only the manager can write. They go
    into every format of the report. They describe the service, not people, so they are not
    encrypted; the form warns against writing anything that identifies a person.
    """

    year = models.PositiveIntegerField(_("år"), unique=True)
    introduction = models.TextField(_("om tjenesten"), blank=True)
    development = models.TextField(_("utvikling av året"), blank=True)
    examples = models.TextField(_("eksempler på henvendelser"), blank=True)
    way_forward = models.TextField(_("veien videre"), blank=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("tekst til årsrapport")
        verbose_name_plural = _("tekster til årsrapport")

    def __str__(self) -> str:
        return f"{self.year}"

    def as_dict(self) -> dict[str, str]:
        return {
            "introduction": self.introduction,
            "development": self.development,
            "examples": self.examples,
            "way_forward": self.way_forward,
        }
