"""Counters of the public website, and nothing else.

There is no row per visitor or per request: every table here is a sum keyed by a day and
by what the page or the landing was. No IP address, user agent, cookie or hash of anything
about the visitor is ever stored (docs/website.md, "Counting visits").
"""

from __future__ import annotations

from django.db import models


class PageDay(models.Model):
    """Views of one public page on one day; `visits` are the views that were a landing
    from outside the site (not `Sec-Fetch-Site: same-origin`)."""

    day = models.DateField()
    path = models.CharField(max_length=200)
    views = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    # Views from a browser that sent no Sec-Fetch-Site (Safari before 16.4), whose
    # visit-or-not was guessed from the Referer: how uncertain `visits` is that day.
    no_fetch_metadata = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="visits_pageday_one")]
        indexes = [models.Index(fields=["path", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.path}: {self.views} views, {self.visits} visits"


class SourceDay(models.Model):
    """Visits on one day by where they came from: the referrer's host only ("" = none)
    and the landing URL's `utm_campaign` and `utm_source` ("" = none)."""

    day = models.DateField()
    referrer_host = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=60, blank=True)
    utm_source = models.CharField(max_length=60, blank=True)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "referrer_host", "utm_campaign", "utm_source"],
                name="visits_sourceday_one",
            )
        ]
        indexes = [models.Index(fields=["utm_campaign", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.referrer_host or '-'} {self.utm_campaign or '-'}: {self.visits}"


class ImportedDay(models.Model):
    """A day's totals counted by another tool before Hjelpelinje counted them itself
    (the import of past years). A day that has both keeps the larger source: see
    selectors.website_daily."""

    day = models.DateField(unique=True)
    page_views = models.PositiveIntegerField()
    visits = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.day}: {self.visits} visits (imported)"
