"""With production settings, `hjelpelinje check --deploy` reports nothing."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(tmp_path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "DEBUG", "SECRET", "ALLOWED", "HJELPELINJE", "DATABASE"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "hjelpelinje.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "hjelpelinje.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://hjelpelinje.example.org",
        "HJELPELINJE_FIELD_KEYS": Fernet.generate_key().decode(),
        "HJELPELINJE_VAR_DIR": str(tmp_path),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "hjelpelinje", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _security(days: int = 180) -> dict[str, str]:
    return {
        "HJELPELINJE_SECURITY_CONTACT": "mailto:sikkerhet@example.org",
        "HJELPELINJE_SECURITY_EXPIRES": (dt.date.today() + dt.timedelta(days=days)).isoformat(),
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy(tmp_path, HJELPELINJE_PHONE_NUMBER="+47 000 00 000", **_security())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_the_phone_number_the_closed_chat_gives(tmp_path):
    result = _check_deploy(tmp_path, **_security())
    assert result.returncode != 0
    assert "hjelpelinje.W001" in result.stderr + result.stdout
    assert "HJELPELINJE_PHONE_NUMBER" in result.stderr + result.stdout


def test_check_deploy_asks_for_a_security_txt_that_holds(tmp_path):
    phone = {"HJELPELINJE_PHONE_NUMBER": "+47 000 00 000"}
    missing = _check_deploy(tmp_path, **phone)
    assert missing.returncode != 0
    assert "website.W001" in missing.stderr + missing.stdout
    assert "website.W002" in missing.stderr + missing.stdout
    # RFC 9116: an expiry more than a year ahead is not recommended, a past one is stale.
    for days in (400, -1):
        stale = _check_deploy(tmp_path, **phone, **_security(days))
        assert stale.returncode != 0, days
        assert "website.W001" not in stale.stderr + stale.stdout
        assert "website.W002" in stale.stderr + stale.stdout
