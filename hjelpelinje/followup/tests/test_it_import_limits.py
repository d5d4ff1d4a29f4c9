"""The follow-up imports share the inquiry import's limits: dates within the helpline's
years, files within the row and column limits, and at most 50 errors listed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hjelpelinje.core.timeutil import local_now
from hjelpelinje.followup.models import Activity, FollowUpUser

pytestmark = pytest.mark.django_db

HEADER = "kode;samtykke_dato;kilde;alder;kjonn;landsdel;sperret_adresse\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _tomorrow() -> str:
    return (local_now().date() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31", "tomorrow"])
def test_a_consent_date_outside_the_years_is_named_and_nothing_imported(
    tmp_path: Path, day: str
) -> None:
    day = _tomorrow() if day == "tomorrow" else day
    text = HEADER + "B-1;2023-01-01;helpline;;;;\n" + f"B-2;{day};helpline;;;;\n"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_users", str(_write(tmp_path, "u.csv", text)), stderr=err)
    assert f"linje 3, kolonne «samtykke_dato», verdi «{day}»: Datoen må være mellom" in (
        err.getvalue()
    )
    assert not FollowUpUser.objects.exists()


def test_an_activity_date_outside_the_years_is_named(tmp_path: Path) -> None:
    call_command("import_users", str(_write(tmp_path, "u.csv", HEADER + "B-1;2023-01-01;;;;;\n")))
    text = "kode;dato;kategori\nB-1;2023-02-01;nav\nB-1;9999-12-31;nav\n"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_activities", str(_write(tmp_path, "a.csv", text)), stderr=err)
    assert "linje 3, kolonne «dato», verdi «9999-12-31»: Datoen må være mellom" in err.getvalue()
    assert not Activity.objects.exists()


def test_two_hundred_bad_rows_print_fifty_and_a_count(tmp_path: Path) -> None:
    rows = "".join(f"B-{n};2023-01-01;kommunen{n};;;;\n" for n in range(200))
    err = io.StringIO()
    with pytest.raises(CommandError, match="200 feil; ingenting er importert"):
        call_command("import_users", str(_write(tmp_path, "u.csv", HEADER + rows)), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 51
    assert "kommunen49" in lines[49] and lines[50] == "… og 150 feil til."
    assert not FollowUpUser.objects.exists()


def test_a_file_beyond_the_row_limit_is_refused(tmp_path: Path, settings) -> None:
    settings.HJELPELINJE_IMPORT_MAX_ROWS = 10
    rows = "".join(f"B-{n};2023-01-01;helpline;;;;\n" for n in range(20))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_users", str(_write(tmp_path, "u.csv", HEADER + rows)), stderr=err)
    assert "Filen har mer enn 10 rader." in err.getvalue()
    assert not FollowUpUser.objects.exists()
