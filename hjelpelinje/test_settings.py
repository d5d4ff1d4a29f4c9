"""Settings for the test suite: production settings with fixed test keys.

The suite runs with DEBUG off, as production does, so what it proves holds there.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "t" * 20)
os.environ.setdefault(
    "HJELPELINJE_FIELD_KEYS",
    # Two fixed test keys; the first is the newest.
    "aTZLcjBMY0k2X0k0bTFVNTlXWlZ3UlJ5d3RyX3g3a0U=,dGVzdC1rZXktb2xkLTAwMDAwMDAwMDAwMDAwMDAwMDA=",
)
# Connections close after each use: a consumer's database call runs in a worker thread,
# and a connection kept open there would outlive its test and block dropping the test
# database. (The chat benchmark's server sets its own value.)
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
# Test processes side by side (pytest-xdist's workers, `make pytest`) share one Redis: each
# has names of its own there, so one's chat groups (the staff, the queue) never reach
# another's sockets. Its own test database comes from pytest-django (test_<name>_gw0, ...).
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["REDIS_PREFIX"] = f"{os.environ.get('REDIS_PREFIX', 'hjelpelinje')}-{worker}"

from hjelpelinje.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests clear the cache before each test; that must never flush a shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Visits are flushed by the tests themselves, never by a background thread of the pytest
# process (hjelpelinje/site/visits/counting.py).
HJELPELINJE_VISITS_FLUSH_SECONDS = 0
# The chat's proof of work (chat/pow.py): a handful of hashes in tests instead of ~25,000.
HJELPELINJE_CHAT_POW_MAXNUMBER = 50
# A server process of a multi-worker test (chat/tests/server.py) may share the Redis cache
# as production workers do (a used proof of work, the per-client counts); it has its own
# REDIS_PREFIX, and the test process itself never uses it.
if os.environ.get("HJELPELINJE_TEST_SHARED_CACHE") == "1" and REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,  # noqa: F405
            "KEY_PREFIX": REDIS_PREFIX,  # noqa: F405
        }
    }
