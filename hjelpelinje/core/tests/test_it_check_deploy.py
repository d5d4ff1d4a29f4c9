"""With production settings, `hjelpelinje check --deploy` reports nothing."""

from __future__ import annotations

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


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy(tmp_path, HJELPELINJE_PHONE_NUMBER="+47 000 00 000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_the_phone_number_the_closed_chat_gives(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    assert "hjelpelinje.W001" in result.stderr + result.stdout
    assert "HJELPELINJE_PHONE_NUMBER" in result.stderr + result.stdout
