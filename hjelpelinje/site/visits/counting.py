"""Counting page views and visits in memory, and adding them to the database in batches.

A request does no more than decide what it was (from its headers, which are then
forgotten) and add one to a counter in a dict under a lock. A daemon thread adds the
counters to the database every HJELPELINJE_VISITS_FLUSH_SECONDS; the server's shutdown
(ASGI lifespan, hjelpelinje/asgi.py) adds what is left when a worker stops, and `atexit`
when another process ends cleanly; `flush()` does it on demand (tests, the `flush_visits`
command). The writes ADD to what is stored (`F() + n`), so several worker processes
flushing at once lose nothing, and a flush that fails keeps its counts for the next one.

What a counter is keyed by is the whole of what is kept: the day, the page's path, and for
a visit the referring host and the landing URL's `utm_campaign`/`utm_source`. Nothing
about the visitor (address, user agent, cookie, any hash) reaches a counter, so nothing
stored can tell one visitor from another. docs/visits.md explains every choice.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import tldextract
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

log = logging.getLogger(__name__)

# Paths that are not pages of the website (staff, files, the chat's polling, the health
# check, sockets). /chat/ itself is a page and is counted.
EXCLUDED_PREFIXES = (
    "/staff/",
    "/static/",
    "/media/",
    "/documents/",
    "/chat/state/",
    "/health/",
    "/ws/",
)

# Crawlers, link-preview fetchers, HTTP libraries and headless browsers. A person's browser
# says none of these; the in-app browsers of TikTok, Instagram and Facebook are people and
# do not match ("facebookexternalhit" is Facebook's preview fetcher, not its app). Headless
# Chrome is automation, so the test suite's browser is not counted unless a test sets an
# ordinary user agent on its context.
BOT_WORDS = (
    "crawl", "spider", "slurp", "facebookexternalhit", "facebookcatalog", "meta-externalagent",
    "embedly", "preview", "whatsapp", "telegram", "discord", "slack", "skypeuripreview",
    "vkshare", "pinterest/", "curl", "wget", "python", "httpx", "aiohttp", "go-http-client",
    "java/", "okhttp", "libwww", "apache-httpclient", "node-fetch", "axios", "undici",
    "headless", "phantomjs", "lighthouse", "pingdom", "uptime", "monitor", "scrapy",
    "ahrefs", "semrush", "petalbot", "bytespider", "gptbot", "ccbot", "applebot", "yandex",
    "baidu", "mj12", "dotbot",
)  # fmt: skip
# "bot" as a word or before a slash (Googlebot/2.1, bingbot), but not the Cubot phone brand.
BOT_WORD = re.compile(r"(?<!cu)bot\b|bot/")

# Hosts that are the same place under another name; the table stays small on purpose.
HOST_FOLDS = {
    "l.facebook.com": "facebook.com",
    "lm.facebook.com": "facebook.com",
    "web.facebook.com": "facebook.com",
    "l.instagram.com": "instagram.com",
    "t.co": "x.com",
    "twitter.com": "x.com",
    "vm.tiktok.com": "tiktok.com",
    "out.reddit.com": "reddit.com",
    "old.reddit.com": "reddit.com",
    "googleusercontent.com": "google.com",
    "android-app:com.google.android.googlequicksearchbox": "google.com",
}
# Every Google country site is folded to google.com: which one does not matter here.
GOOGLE_HOST = re.compile(r"^google\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$")
HOST_CHARS = re.compile(r"^[a-z0-9.-]+$")
TAG_CHARS = re.compile(r"^[a-z0-9._-]+$")
HOST_MAX = 100
TAG_MAX = 60
INVALID = "(invalid)"
OTHER = "(other)"
# At most this many different sources are held between two flushes; a flood of made-up
# referrers beyond it is counted under "(other)" instead of growing the table.
MAX_SOURCE_KEYS = 5000
# And at most this many rows a day in each table: a source or a page first seen on a day
# that has them all is added to that day's "(other)" row, so the day's sums still add up.
MAX_SOURCE_ROWS_PER_DAY = 1000
MAX_PAGE_ROWS_PER_DAY = 2000
# `utm_source` values kept as they are: the places the helpline posts and advertises
# (outreach's platforms) and a few ordinary kinds of link. Any other value is "(other)".
KNOWN_SOURCES = frozenset(
    {
        "tiktok", "snapchat", "instagram", "facebook", "youtube", "linkedin", "x", "twitter",
        "google", "bing", "newsletter", "email", "sms", "qr", "print", "poster",
        "airport_screens", "transit_screens", "other",
    }
)  # fmt: skip
# The Public Suffix List as tldextract ships it (its pinned version's snapshot): never
# fetched from the network, never written to a cache directory. Only the ICANN part is
# used, so a personal subdomain of a blog or hosting service (`ola-nordmann-2009.
# blogspot.com`) is kept as the service (`blogspot.com`).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

PageKey = tuple[date, str]
SourceKey = tuple[date, str, str, str]


def counting_enabled() -> bool:
    value = getattr(settings, "HJELPELINJE_VISITS_COUNTING", None)
    if value is None:
        value = os.environ.get("HJELPELINJE_VISITS_COUNTING", "1").strip().lower() not in (
            "0",
            "false",
            "no",
            "off",
        )
    return bool(value)


def flush_seconds() -> float:
    value = getattr(settings, "HJELPELINJE_VISITS_FLUSH_SECONDS", None)
    if value is None:
        value = os.environ.get("HJELPELINJE_VISITS_FLUSH_SECONDS", "20")
    return float(value)


# --- Deciding what a request was -------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    # Substring tests rather than one large regex: this runs on every page view, and a
    # regex of fifty alternatives costs a hundred times more.
    agent = user_agent.strip().lower()
    if not agent:
        return True
    if "bot" in agent and BOT_WORD.search(agent):
        return True
    return any(word in agent for word in BOT_WORDS)


def normal_host(referer: str) -> str:
    """The referring host as kept: lower-case, no `www.`/`m.`, no port, folded; "" if none."""
    if not referer:
        return ""
    try:
        parts = urlsplit(referer.strip())
        host = parts.hostname or ""
    except ValueError:
        return INVALID
    if parts.scheme == "android-app":
        # An Android app that opened the link names itself as the host.
        host = "android-app:" + host
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    host = HOST_FOLDS.get(host, host)
    if GOOGLE_HOST.match(host):
        host = "google.com"
    if not host:
        return ""
    check = host.removeprefix("android-app:")
    if len(host) > HOST_MAX or not HOST_CHARS.match(check):
        return INVALID
    if host.startswith("android-app:"):
        # An app's package name names the app, never a person.
        return host
    # Only the registrable domain: a host below it can name a person or a school class.
    domain = _SUFFIXES(host).top_domain_under_public_suffix
    return domain or OTHER


def normal_tag(value: str) -> str:
    """A `utm_` value as kept: lower-case [a-z0-9._-], at most 60 characters; "" if none,
    "(invalid)" if it was given but is something else (so a broken tag shows as broken
    instead of vanishing into the untagged visits)."""
    text = value.strip().lower()
    if not text:
        return ""
    if len(text) > TAG_MAX or not TAG_CHARS.match(text):
        return INVALID
    return text


def normal_path(path: str) -> str:
    path = re.sub(r"/{2,}", "/", path or "/")
    return path[:200]


@dataclass(frozen=True)
class Seen:
    """What one counted page view was: everything about it that is kept."""

    path: str
    visit: bool
    no_fetch_metadata: bool
    referrer_host: str
    utm_campaign: str
    utm_source: str


def classify(request: HttpRequest, response: HttpResponse) -> Seen | None:
    """What to count for this request, or None. Reads headers and throws them away."""
    if request.method != "GET" or response.status_code != 200:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    path = request.path
    if path.startswith(EXCLUDED_PREFIXES):
        return None
    meta = request.META
    purpose = (meta.get("HTTP_SEC_PURPOSE", "") + meta.get("HTTP_PURPOSE", "")).lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return None
    if meta.get("HTTP_X_MOZ", "").lower() == "prefetch":
        return None
    if is_bot(meta.get("HTTP_USER_AGENT", "")):
        return None
    site = meta.get("HTTP_SEC_FETCH_SITE", "").lower()
    referer = meta.get("HTTP_REFERER", "")
    if site:
        visit = site != "same-origin"
        no_metadata = False
    else:
        # A browser without fetch metadata (Safari before 16.4): a Referer from this very
        # host is internal; our pages send none (no-referrer), so no Referer at all is
        # counted as a visit, and the view is counted as uncertain (docs/visits.md).
        no_metadata = True
        referer_host = ""
        with contextlib.suppress(ValueError):
            referer_host = (urlsplit(referer).hostname or "").lower()
        visit = not referer or referer_host != request.get_host().split(":")[0].lower()
    if not visit:
        return Seen(normal_path(path), False, no_metadata, "", "", "")
    try:
        query = request.GET
    except TooManyFieldsSent:
        # More parameters than Django reads (an attacker's thousand): the visit counts,
        # no tag does, and nothing is logged.
        query = QueryDict()
    return Seen(
        normal_path(path),
        True,
        no_metadata,
        normal_host(referer),
        normal_tag(query.get("utm_campaign", "")),
        normal_tag(query.get("utm_source", "")),
    )


# --- The counters ---------------------------------------------------------------------


class Counters:
    """Page and source counters of this process, flushed to the database in batches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # (day, path) -> [views, visits, views without fetch metadata]
        self.pages: dict[PageKey, list[int]] = {}
        # (day, host, campaign, source) -> visits
        self.sources: dict[SourceKey, int] = {}
        # Only one flush at a time in a process: the thread, atexit and a command may meet.
        self.flush_lock = threading.Lock()
        self.pid = os.getpid()
        self.thread: threading.Thread | None = None
        self.atexit_registered = False

    def add(self, day: date, seen: Seen) -> None:
        with self.lock:
            self._after_fork()
            page = self.pages.get((day, seen.path))
            if page is None:
                page = self.pages[(day, seen.path)] = [0, 0, 0]
            page[0] += 1
            if seen.visit:
                page[1] += 1
            if seen.no_fetch_metadata:
                page[2] += 1
            if seen.visit:
                key: SourceKey = (day, seen.referrer_host, seen.utm_campaign, seen.utm_source)
                if key not in self.sources and len(self.sources) >= MAX_SOURCE_KEYS:
                    key = (day, OTHER, "", "")
                self.sources[key] = self.sources.get(key, 0) + 1
            if self.thread is None:
                self._start()

    def _after_fork(self) -> None:
        # A forked worker starts with its parent's counters, which the parent flushes.
        if self.pid != os.getpid():
            self.pid = os.getpid()
            self.pages, self.sources = {}, {}
            self.thread = None
            self.flush_lock = threading.Lock()

    def _start(self) -> None:
        if not self.atexit_registered:
            atexit.register(self.flush_quietly)
            self.atexit_registered = True
        seconds = flush_seconds()
        if seconds > 0:
            self.thread = threading.Thread(
                target=self._loop, args=(seconds,), name="visits-flush", daemon=True
            )
            self.thread.start()

    def _loop(self, seconds: float) -> None:
        while True:
            time.sleep(seconds)
            self.flush_quietly()
            # The thread's database connection is not kept between flushes.
            close_old_connections()

    def take(self) -> tuple[dict[PageKey, list[int]], dict[SourceKey, int]]:
        with self.lock:
            self._after_fork()
            pages, sources = self.pages, self.sources
            self.pages, self.sources = {}, {}
        return pages, sources

    def give_back(self, pages: dict[PageKey, list[int]], sources: dict[SourceKey, int]) -> None:
        """Counts a failed flush could not store, added to those counted meanwhile."""
        with self.lock:
            for key, (views, visits, uncertain) in pages.items():
                page = self.pages.setdefault(key, [0, 0, 0])
                page[0] += views
                page[1] += visits
                page[2] += uncertain
            for skey, count in sources.items():
                self.sources[skey] = self.sources.get(skey, 0) + count

    def pending(self) -> int:
        with self.lock:
            return sum(v[0] for v in self.pages.values())

    def flush(self) -> int:
        """Add the counters to the database; the number of page views stored.

        Raises if the database fails, after giving the counts back."""
        with self.flush_lock:
            pages, sources = self.take()
            if not pages and not sources:
                return 0
            try:
                sources = _fold_tags(sources)
                _store(pages, sources)
            except Exception:
                self.give_back(pages, sources)
                raise
        _invalidate_statistics()
        return sum(v[0] for v in pages.values())

    def flush_quietly(self) -> int:
        try:
            return self.flush()
        except Exception:
            # The counts stay in memory for the next try; a request never sees this.
            log.warning("visit counters not stored yet; trying again later", exc_info=True)
            return 0

    def reset(self) -> None:
        """Forget every count held in memory (tests)."""
        with self.lock:
            self.pages, self.sources = {}, {}


def _fold_tags(sources: dict[SourceKey, int]) -> dict[SourceKey, int]:
    """Keep the campaign tags the helpline has defined and the known sources; fold every
    other value into "(other)", adding up the counts. "" and "(invalid)" stay as they are.

    A tag made up for one link (`utm_campaign=ola.nordmann.klasse10b`) could point at one
    person; the helpline's own tags (outreach's campaigns) never do."""
    from hjelpelinje.outreach.models import Campaign

    tags = {key[2] for key in sources} - {"", INVALID, OTHER}
    defined = (
        set(Campaign.objects.filter(utm_tag__in=tags).order_by().values_list("utm_tag", flat=True))
        if tags
        else set()
    )
    folded: dict[SourceKey, int] = {}
    for (day, host, campaign, source), count in sources.items():
        if campaign not in ("", INVALID, OTHER) and campaign not in defined:
            campaign = OTHER
        if source not in ("", INVALID, OTHER) and source not in KNOWN_SOURCES:
            source = OTHER
        key = (day, host, campaign, source)
        folded[key] = folded.get(key, 0) + count
    return folded


class _DayBound:
    """How many rows a table has on each day of a batch, to stop at its daily bound."""

    def __init__(self, model: Any, limit: int) -> None:
        self.model, self.limit = model, limit
        self.rows: dict[date, int] = {}

    def full(self, day: date) -> bool:
        if day not in self.rows:
            self.rows[day] = self.model.objects.filter(day=day).count()
        return self.rows[day] >= self.limit

    def added(self, day: date) -> None:
        self.rows[day] = self.rows.get(day, 0) + 1


def _store(pages: dict[PageKey, list[int]], sources: dict[SourceKey, int]) -> None:
    """Add one batch in one transaction: all of it is stored or none of it."""
    from hjelpelinje.site.visits.models import PageDay, SourceDay

    with transaction.atomic():
        _store_pages(PageDay, pages)
        _store_sources(SourceDay, sources)


def _store_pages(PageDay: Any, pages: dict[PageKey, list[int]]) -> None:
    bound = _DayBound(PageDay, MAX_PAGE_ROWS_PER_DAY)
    for (day, path), (views, visits, uncertain) in sorted(pages.items()):
        changes = {
            "views": F("views") + views,
            "visits": F("visits") + visits,
            "no_fetch_metadata": F("no_fetch_metadata") + uncertain,
        }
        if PageDay.objects.filter(day=day, path=path).update(**changes):
            continue
        if path != OTHER and bound.full(day):
            path = OTHER
            if PageDay.objects.filter(day=day, path=path).update(**changes):
                continue
        try:
            # Another process may create the same row at the same moment: the unique
            # constraint refuses the second, which then adds to the first.
            with transaction.atomic():
                PageDay.objects.create(
                    day=day, path=path, views=views, visits=visits, no_fetch_metadata=uncertain
                )
            bound.added(day)
        except IntegrityError:
            PageDay.objects.filter(day=day, path=path).update(**changes)


def _store_sources(SourceDay: Any, sources: dict[SourceKey, int]) -> None:
    bound = _DayBound(SourceDay, MAX_SOURCE_ROWS_PER_DAY)
    for (day, host, campaign, source), count in sorted(sources.items()):
        where = {"day": day, "referrer_host": host, "utm_campaign": campaign, "utm_source": source}
        if SourceDay.objects.filter(**where).update(visits=F("visits") + count):
            continue
        other = {"day": day, "referrer_host": OTHER, "utm_campaign": OTHER, "utm_source": OTHER}
        if where != other and bound.full(day):
            where = other
            if SourceDay.objects.filter(**where).update(visits=F("visits") + count):
                continue
        try:
            with transaction.atomic():
                SourceDay.objects.create(**where, visits=count)
            bound.added(day)
        except IntegrityError:
            SourceDay.objects.filter(**where).update(visits=F("visits") + count)


def _invalidate_statistics() -> None:
    """The dashboard's cached statistics are stale once visits were added."""
    try:
        from hjelpelinje.reporting.cache import stats_invalidate

        stats_invalidate()
    except Exception:
        log.warning("statistics cache not invalidated after a visits flush", exc_info=True)


COUNTERS = Counters()
# The day in Oslo, worked out once a second rather than on every page view.
_day_cache: tuple[int, date] = (-1, date.min)


def today() -> date:
    global _day_cache
    now = timezone.now()
    second = int(now.timestamp())
    if _day_cache[0] != second:
        _day_cache = (second, timezone.localdate(now))
    return _day_cache[1]


def record(request: HttpRequest, response: HttpResponse) -> None:
    """Count this response if it was a page view. Never raises into the request."""
    try:
        seen = classify(request, response)
        if seen is not None:
            COUNTERS.add(today(), seen)
    except Exception:
        log.warning("a page view could not be counted", exc_info=True)


def flush() -> int:
    """Store every count held in this process now; the number of page views stored."""
    return COUNTERS.flush()
