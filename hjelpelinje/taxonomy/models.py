from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeList(models.TextChoices):
    CHANNEL = "channel", _("Kanal")
    AGE_GROUP = "age_group", _("Aldersgruppe")
    GENDER = "gender", _("Kjønn")
    REGION = "region", _("Landsdel")
    CALLER = "caller", _("Henvender")
    THEME = "theme", _("Tema")
    AGENCY = "agency", _("Instans")
    ACTIVITY = "activity", _("Oppfølgingsaktivitet")


class Code(models.Model):
    """One entry of a code list.

    Records point at the row, so renaming a label never changes what a record means, and
    the stable `code` is what statistics, imports and JSON use. A deactivated entry is no
    longer offered in forms but stays on the records that have it.
    """

    list = models.CharField(_("liste"), max_length=20, choices=CodeList.choices)
    code = models.CharField(_("kode"), max_length=40)
    label = models.CharField(_("navn"), max_length=100)
    label_en = models.CharField(_("navn på engelsk"), max_length=100, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["list", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["list", "code"], name="taxonomy_code_unique_per_list")
        ]
        verbose_name = _("kode")
        verbose_name_plural = _("kodelister")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if (get_language() or "nb").startswith("en") and self.label_en:
            return self.label_en
        return self.label
