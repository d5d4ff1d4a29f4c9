"""The public pages' cache: one version number that every change to what a page shows
bumps (a publish, an hours exception), so a cached page never outlives its content.

Owned by the website's safety and caching work; others only call `bump_public_cache`.
"""

from __future__ import annotations

from django.core.cache import cache

VERSION_KEY = "site:public-version"


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return int(version)


def bump_public_cache() -> None:
    """Every cached public page is stale from now on, in every process that shares the cache."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
