"""The proof of work a visitor's page does before it may start a chat (ALTCHA v1, SHA-256).

The server hands out a challenge: a random salt (with its expiry), the SHA-256 of the salt
followed by a secret number between 0 and `maxnumber`, and an HMAC signature of that hash.
The page finds the number by trying them in turn (half of `maxnumber` hashes on average)
and sends it back with the challenge. Checking costs the server two hashes.

Nothing about the visitor goes into a challenge, and nothing is stored on disk: the
signature makes a challenge checkable without remembering it, and a solution used once is
remembered only in the cache, until the challenge would have expired anyway.

This makes a start cost a visitor's phone about half a second, and a script a few
milliseconds of CPU a start: it is a toll, not a wall. What keeps the queue usable under a
flood is the cap on the queue and the limits per socket and per client (`sockets/limits.py`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any, Literal
from urllib.parse import parse_qs

from altcha import v1 as altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from hjelpelinje.chat.services import ChatError

ALGORITHM: Literal["SHA-256"] = "SHA-256"
# The page tries half of this many numbers on average. The desktop Chromium of the tests
# does about 160,000 SHA-256 a second through WebCrypto in pow.js's batches; a mid-range
# phone does roughly a third of that, about 50,000, so 50,000 costs such a phone about
# 0.5 s on average and 1 s at worst (and a desktop a sixth of a second). Tests set a tiny
# value (HJELPELINJE_CHAT_POW_MAXNUMBER).
DEFAULT_MAXNUMBER = 50_000
# Long enough to read the safety page and answer the questions; short enough that a
# stock of solved challenges goes stale.
DEFAULT_TTL = dt.timedelta(minutes=10)
MAX_SALT = 200

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _maxnumber() -> int:
    return int(getattr(settings, "HJELPELINJE_CHAT_POW_MAXNUMBER", DEFAULT_MAXNUMBER))


def _ttl() -> dt.timedelta:
    seconds = getattr(settings, "HJELPELINJE_CHAT_POW_TTL_SECONDS", None)
    return DEFAULT_TTL if seconds is None else dt.timedelta(seconds=int(seconds))


def _key() -> str:
    # Derived from SECRET_KEY for this one purpose, so a signature here is worth nothing
    # anywhere else Django signs with SECRET_KEY.
    return salted_hmac("hjelpelinje.chat.pow", "challenge", algorithm="sha256").hexdigest()


def challenge_create(*, at: dt.datetime | None = None) -> dict[str, Any]:
    """A fresh signed challenge, as the `challenge` frame and the page carry it."""
    at = at or timezone.now()
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        max_number=_maxnumber(),
        salt_length=12,
        hmac_key=_key(),
        salt="",
        number=None,
        expires=at + _ttl(),
        params=None,
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


def solution_check(payload: object) -> None:
    """Accept a solution once, or raise a ChatError saying why not.

    `pow_required`: none was sent; `pow_invalid`: not a solution to a challenge this server
    signed; `pow_expired`: the challenge is too old; `pow_used`: that solution was used
    already. In every case the client fetches a new challenge and tries again.
    """
    if payload is None:
        raise ChatError("pow_required")
    if not isinstance(payload, dict):
        raise ChatError("pow_invalid")
    number = payload.get("number")
    challenge = payload.get("challenge")
    salt = payload.get("salt")
    signature = payload.get("signature")
    if (
        payload.get("algorithm") != ALGORITHM
        or not isinstance(number, int)
        or isinstance(number, bool)
        or not 0 <= number <= 10**9
        or not isinstance(challenge, str)
        or not _HEX64.fullmatch(challenge)
        or not isinstance(salt, str)
        or not 0 < len(salt) <= MAX_SALT
        or not isinstance(signature, str)
    ):
        raise ChatError("pow_invalid")
    # The signature first, in constant time: only a challenge this server issued counts.
    expected = altcha.hmac_hex(ALGORITHM, challenge.encode(), _key())
    if not hmac.compare_digest(expected, signature):
        raise ChatError("pow_invalid")
    expires = _expires(salt)
    now = timezone.now().timestamp()
    if expires is None:
        raise ChatError("pow_invalid")  # every challenge issued here carries its expiry
    if expires < now:
        raise ChatError("pow_expired")
    ok, _error = altcha.verify_solution(
        altcha.Payload(ALGORITHM, challenge, number, salt, signature),
        _key(),
        check_expires=False,  # checked above against the same clock
    )
    if not ok:
        raise ChatError("pow_invalid")
    # Once only: `add` is atomic in the local cache and in Redis. The mark lasts until the
    # challenge has expired, after which the expiry check refuses it anyway.
    if not cache.add(f"chat:pow-used:{challenge}", 1, timeout=int(expires - now) + 5):
        raise ChatError("pow_used")


def _expires(salt: str) -> float | None:
    parts = salt.split("?", 1)
    values = parse_qs(parts[1]).get("expires") if len(parts) == 2 else None
    if not values or len(values) != 1:
        return None
    try:
        return float(values[0])
    except ValueError:
        return None
