"""Field encryption with Fernet keys from `HJELPELINJE_FIELD_KEYS` (newest first).

Several keys are accepted so they can rotate: a value is encrypted with the newest key and
decrypted with whichever key made it; `hjelpelinje rotate_keys` re-encrypts old values.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("HJELPELINJE_FIELD_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        # The message names no key: keys must never reach a log.
        raise ImproperlyConfigured("HJELPELINJE_FIELD_KEYS holds an invalid Fernet key.") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.HJELPELINJE_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return encrypt_bytes(plaintext.encode())


def decrypt(token: str) -> str:
    return decrypt_bytes(token).decode()


def encrypt_bytes(plaintext: bytes) -> str:
    """Bytes (an attachment's chunk, a recording) encrypted as one token."""
    return fernet().encrypt(plaintext).decode()


def decrypt_bytes(token: str) -> bytes:
    try:
        return fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise DecryptionError(
            "a stored value could not be decrypted with any configured key"
        ) from exc


def lookup_hash(purpose: str, value: str) -> str:
    """A keyed hash of a personal value that must be found again (an e-mail address, a
    Message-ID, a phone number), so the value itself can stay encrypted.

    The key is derived from SECRET_KEY and `purpose`, so hashes of one kind cannot be
    matched against another's, and a stolen database alone gives nothing to test guesses
    against. It is not derived from the field keys: those rotate, and a lookup must keep
    finding what was stored before a rotation. (SECRET_KEY stays: the audit chain is
    keyed with it too.)
    """
    from django.conf import settings

    key = hashlib.sha256(f"hjelpelinje-lookup:{purpose}:".encode() + settings.SECRET_KEY.encode())
    return hmac.new(key.digest(), value.encode(), hashlib.sha256).hexdigest()


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "a stored value could not be decrypted with any configured key"
        ) from exc
