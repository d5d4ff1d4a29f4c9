"""Limits on what one socket, and one client, may do."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time

from django.core.cache import cache
from django.utils import timezone


class Bucket:
    """A token bucket: `rate` frames a second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()
        self.refusals = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.refusals += 1
        return False


# One socket may start this many chats in its life; a page that ends a chat and starts a
# new one uses one socket for both, and nobody needs more.
STARTS_PER_SOCKET = 3

# Per client: at most this many chats started, and one closed-page visit counted, in a
# window of this many seconds (see `client_key`).
STARTS_PER_CLIENT = 3
CLIENT_WINDOW = 600
# However many clients: at most this many closed-page visits counted in a minute.
CLOSED_VISITS_PER_MINUTE = 30


def client_key(address: object) -> str | None:
    """A name for one client for a few minutes, from which its address cannot be had back.

    It is an HMAC of the address under a random key made each day, which lives only in
    the cache (memory, or Redis with several workers) and is dropped a day later; so once
    that key is gone, not even someone holding the database, the cache and SECRET_KEY can
    tell which address a name stood for. Names and their counts live in the cache only, for
    at most CLIENT_WINDOW seconds; nothing of this is written to disk.

    Returns None when the address is unknown or is the server's own (a reverse proxy that
    does not pass the visitor's address): then the per-client limits do not apply at all,
    rather than treating every visitor as one.
    """
    if not isinstance(address, str) or not address:
        return None
    try:
        if ipaddress.ip_address(address).is_loopback:
            return None
    except ValueError:
        return None
    day = timezone.localdate().isoformat()
    name = f"chat:client-key:{day}"
    key = cache.get(name)
    if key is None:
        # `add` keeps the first key if several workers make one at the same moment.
        cache.add(name, secrets.token_hex(32), timeout=2 * 86400)
        key = cache.get(name)
    if not isinstance(key, str):  # pragma: no cover - a cache that lost it at once
        return None
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _count(name: str, timeout: int) -> int:
    """Add one to a counter in the cache that lives `timeout` seconds; returns the count."""
    cache.add(name, 0, timeout=timeout)
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between the two calls
        cache.add(name, 1, timeout=timeout)
        return 1


def client_may_start(client: str | None) -> bool:
    """Count a chat start for the client; False past STARTS_PER_CLIENT in the window."""
    if client is None:
        return True
    return _count(f"chat:client-starts:{client}", CLIENT_WINDOW) <= STARTS_PER_CLIENT


# The quick exit's beacon (views.visitor_end): a page sends one per chat; this many a
# minute per client leaves room for a shared address and none for guessing tokens.
ENDS_PER_CLIENT_MINUTE = 20


def client_may_end(client: str | None) -> bool:
    """Count an end by beacon for the client; False past ENDS_PER_CLIENT_MINUTE a minute.

    A cache that cannot count (Redis away) does not stop a visitor's exit: the beacon costs
    one indexed lookup, and a token cannot be guessed in any number of tries.
    """
    if client is None:
        return True
    try:
        return _count(f"chat:client-ends:{client}", 60) <= ENDS_PER_CLIENT_MINUTE
    except Exception:
        return True


def closed_visit_counts(client: str | None) -> bool:
    """Whether this visit to the closed chat page goes into the statistics.

    A script reloading the page adds at most one visit per client a CLIENT_WINDOW, and all
    clients together at most CLOSED_VISITS_PER_MINUTE a minute; real visits past that cap
    in a busy minute go uncounted too (docs/chat-protocol.md says so).
    """
    if client is not None and _count(f"chat:client-closed:{client}", CLIENT_WINDOW) > 1:
        return False
    minute = int(time.time() // 60)
    return _count(f"chat:closed-visits:{minute}", 120) <= CLOSED_VISITS_PER_MINUTE
