from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra)
    return env


def test_python_dash_m_runs_management_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hjelpelinje", "help", "verify_audit"],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "audit log" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = _env()
    for name in ("SECRET_KEY", "DEBUG", "HJELPELINJE_FIELD_KEYS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "hjelpelinje", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
