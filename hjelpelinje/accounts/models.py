from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.roles import Role, role_can

# Role is imported from here by much of the code; roles.py is where it is defined.
__all__ = ["Role", "User"]


class User(AbstractUser):
    """A member of staff. Visitors to the chat and follow-up users are never Users."""

    role = models.CharField(
        _("rolle"), max_length=20, choices=Role.choices, default=Role.COUNSELLOR
    )
    # Set when an administrator hands out a one-time password: the person must choose
    # their own before doing anything else, so the administrator never knows it.
    must_change_password = models.BooleanField(_("må bytte passord"), default=False)

    class Meta:
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")

    def can(self, permission: str) -> bool:
        return self.is_active and role_can(self.role, permission)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
