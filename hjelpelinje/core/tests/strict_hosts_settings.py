"""The suite's settings with production's Host check: only 127.0.0.1 is served."""

from __future__ import annotations

from hjelpelinje.test_settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
