from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    CHAT = "chat", _("Chat")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("mandag")
    TUESDAY = 1, _("tirsdag")
    WEDNESDAY = 2, _("onsdag")
    THURSDAY = 3, _("torsdag")
    FRIDAY = 4, _("fredag")
    SATURDAY = 5, _("lørdag")
    SUNDAY = 6, _("søndag")


class WeeklyHours(models.Model):
    """One opening interval in the ordinary week of a channel, in Oslo time."""

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    weekday = models.PositiveSmallIntegerField(_("ukedag"), choices=Weekday.choices)
    opens = models.TimeField(_("åpner"))
    closes = models.TimeField(_("stenger"))

    class Meta:
        ordering = ["channel", "weekday", "opens"]
        verbose_name = _("ordinær åpningstid")
        verbose_name_plural = _("ordinære åpningstider")

    def __str__(self) -> str:
        span = f"{self.opens:%H:%M}-{self.closes:%H:%M}"
        return f"{self.get_channel_display()} {self.get_weekday_display()} {span}"

    def clean(self) -> None:
        if self.opens >= self.closes:
            raise ValidationError({"closes": _("Stengetid må være etter åpningstid.")})


class ExceptionKind(models.TextChoices):
    OPEN = "open", _("Egne åpningstider")
    CLOSED = "closed", _("Stengt")


class HoursException(models.Model):
    """Different hours for a date range: a campaign's longer hours, or a closed day.

    An exception with kind "open" replaces the ordinary hours on the days it covers, and
    opens a public holiday too; "closed" closes the channel all day. With `weekdays_only`
    the exception leaves Saturdays and Sundays as they are.

    Open hours whose closing time is not after the opening time run past midnight: 20:00-02:00
    closes at 02:00 the next morning, and 00:00-00:00 is the whole day. Such an evening
    belongs to the day it starts on, so a closed exception on the next day does not cut it.
    """

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    start_date = models.DateField(_("fra og med"))
    end_date = models.DateField(_("til og med"))
    kind = models.CharField(_("type"), max_length=10, choices=ExceptionKind.choices)
    opens = models.TimeField(_("åpner"), null=True, blank=True)
    closes = models.TimeField(_("stenger"), null=True, blank=True)
    weekdays_only = models.BooleanField(_("bare hverdager"), default=True)
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "channel"]
        indexes = [models.Index(fields=["channel", "start_date", "end_date"])]
        verbose_name = _("avvik fra åpningstid")
        verbose_name_plural = _("avvik fra åpningstider")

    def __str__(self) -> str:
        span = f"{self.start_date:%d.%m.%Y}-{self.end_date:%d.%m.%Y}"
        return f"{self.get_channel_display()} {span} {self.get_kind_display()}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Sluttdato må være samme dag som eller etter startdato.")
        elif self.start_date and self.end_date and self.weekdays_only:
            # "Weekdays only" over a Saturday and Sunday alone would save an exception that
            # changes nothing.
            days = (self.end_date - self.start_date).days + 1
            if days <= 2 and all(
                (self.start_date + dt.timedelta(days=i)).weekday() >= 5 for i in range(days)
            ):
                errors["weekdays_only"] = _(
                    "Perioden er bare lørdag og søndag; ta bort «bare hverdager» for at "
                    "avviket skal gjelde."
                )
        if self.kind == ExceptionKind.OPEN:
            if self.opens is None:
                errors["opens"] = _("Oppgi når kanalen åpner.")
            if self.closes is None:
                errors["closes"] = _("Oppgi når kanalen stenger.")
        if errors:
            raise ValidationError(errors)

    @property
    def crosses_midnight(self) -> bool:
        return self.opens is not None and self.closes is not None and self.closes <= self.opens

    @property
    def whole_day(self) -> bool:
        return self.opens == dt.time(0) and self.closes == dt.time(0)


class HoursOverride(models.Model):
    """Open or closed from one moment to another, over whatever the calendar says.

    This is what "open the chat now until 18:00" and "close the chat now" make: a span
    with exact start and end instants, so it may run past midnight and leaves the rest of
    the day's hours alone. Where overrides overlap, the newest one wins.
    """

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("type"), max_length=10, choices=ExceptionKind.choices)
    starts_at = models.DateTimeField(_("fra"))
    ends_at = models.DateTimeField(_("til"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["channel", "ends_at"])]
        verbose_name = _("åpning eller stenging nå")
        verbose_name_plural = _("åpninger og stenginger nå")

    def __str__(self) -> str:
        span = f"{self.starts_at:%d.%m.%Y %H:%M}-{self.ends_at:%d.%m.%Y %H:%M}"
        return f"{self.get_channel_display()} {self.get_kind_display()} {span}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Slutten må være etter starten.")})
