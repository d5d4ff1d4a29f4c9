from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.importer import inquiries_import
from hjelpelinje.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

HEADER = "dato;kanal;relevant;alder;kjonn;landsdel;landbakgrunn;henvender;tema;oppfolging;henvist_til;avvergeplikt"


def write(tmp_path: Path, text: str, name: str = "fil.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_a_good_file_is_imported_with_labels_codes_and_defaults(
    tmp_path: Path, manager: User
) -> None:
    path = write(
        tmp_path,
        HEADER
        + "\n2023-04-27;chat;ja;0-18;Kvinne;Østlandet;pk;personen selv;tvangsekteskap|fgm;ja;barnevern;nei"
        + "\n27.04.2023;Telefon;;;;;;;;;;"
        + "\n2023-05-02;E-post;nei;35+;mann;abroad;Irak;Fagperson;;nei;Politi|nok;ja\n",
    )
    result = inquiries_import(path=path, actor=manager)
    assert result.errors == []
    assert result.created == 3
    first, second, third = Inquiry.objects.order_by("id")
    assert first.occurred_at == dt.datetime(2023, 4, 27, 12, 0, tzinfo=OSLO)
    assert first.channel.code == "chat" and first.gender.code == "female"
    assert first.region.code == "ostlandet" and first.caller.code == "self"
    assert first.country_background == "Pakistan" and first.follow_up
    assert sorted(c.code for c in first.themes.all()) == ["fgm", "forced_marriage"]
    assert [c.code for c in first.referred_to.all()] == ["barnevern"]
    assert first.created_by == manager
    # Empty cells: relevant yes, categories unknown, no themes, no follow-up.
    assert second.relevant and not second.follow_up and not second.duty_to_avert
    assert (second.age_group.code, second.gender.code, second.region.code) == (
        "unknown",
        "unknown",
        "unknown",
    )
    assert second.caller.code == "unknown" and second.country_background == ""
    assert not second.themes.exists()
    assert not third.relevant and third.duty_to_avert
    assert sorted(c.code for c in third.referred_to.all()) == ["nok", "politi"]
    assert AuditEntry.objects.filter(action="inquiry.import", actor_id=manager.pk).exists()


def test_everyday_words_for_unknown_and_other(tmp_path: Path) -> None:
    path = write(tmp_path, "dato;kanal;kjonn;henvender;tema\n2023-01-05;chat;ukjent;Annet;annet\n")
    result = inquiries_import(path=path, actor=None)
    assert result.errors == []
    inquiry = Inquiry.objects.get()
    assert inquiry.gender.code == "unknown" and inquiry.caller.code == "other"
    assert [c.code for c in inquiry.themes.all()] == ["other"]


def test_columns_in_any_order_any_case_comma_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "KANAL,Dato,Kjønn\nchat,2023-01-05,MANN\n", bom=True)
    result = inquiries_import(path=path, actor=None)
    assert result.errors == [] and result.created == 1
    inquiry = Inquiry.objects.get()
    assert inquiry.channel.code == "chat" and inquiry.gender.code == "male"


def test_semicolon_file_with_commas_inside_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "dato;kanal;landbakgrunn\n2023-01-05;chat;Korea, Republic of\n")
    result = inquiries_import(path=path, actor=None)
    assert result.errors == [] and result.created == 1
    assert Inquiry.objects.get().country_background == "South Korea"


def test_xlsx_with_real_dates(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Dato", "Kanal", "Alder", "Oppfolging", "Tema"])
    sheet.append([dt.datetime(2023, 6, 9), "WhatsApp", "18-25", "ja", "etterlatt i utlandet"])
    sheet.append(["10.06.2023", "chat", None, None, None])
    path = tmp_path / "fil.xlsx"
    book.save(path)
    result = inquiries_import(path=path, actor=None)
    assert result.errors == [] and result.created == 2
    first = Inquiry.objects.order_by("id").first()
    assert first is not None
    assert first.occurred_at.astimezone(OSLO).date() == dt.date(2023, 6, 9)
    assert first.channel.code == "whatsapp" and first.follow_up
    assert [c.code for c in first.themes.all()] == ["left_abroad"]


def _errors(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    result = inquiries_import(path=write(tmp_path, text), actor=None)
    assert result.created == 0
    assert not Inquiry.objects.exists()
    return [(e.line, e.column, e.value) for e in result.errors]


def test_bad_date(tmp_path: Path) -> None:
    assert _errors(tmp_path, "dato;kanal\n2023-02-30;chat\n") == [(2, "dato", "2023-02-30")]


def test_unknown_code_names_the_allowed_values(tmp_path: Path) -> None:
    result = inquiries_import(path=write(tmp_path, "dato;kanal\n2023-02-03;faks\n"), actor=None)
    [error] = result.errors
    assert (error.line, error.column, error.value) == (2, "kanal", "faks")
    assert "phone (Telefon)" in error.allowed and "whatsapp" in error.allowed


def test_unknown_theme_inside_a_list(tmp_path: Path) -> None:
    text = "dato;kanal;tema\n2023-02-03;chat;fgm|hekseri\n"
    assert _errors(tmp_path, text) == [(2, "tema", "hekseri")]


def test_missing_channel_value(tmp_path: Path) -> None:
    assert _errors(tmp_path, "dato;kanal\n2023-02-03;\n") == [(2, "kanal", "")]


def test_unknown_column(tmp_path: Path) -> None:
    result = inquiries_import(
        path=write(tmp_path, "dato;kanal;navn\n2023-02-03;chat;x\n"), actor=None
    )
    [error] = result.errors
    assert (error.line, error.column) == (1, "navn")
    assert "landbakgrunn" in error.allowed
    assert not Inquiry.objects.exists()


def test_missing_required_column(tmp_path: Path) -> None:
    assert _errors(tmp_path, "dato;alder\n2023-02-03;0-18\n") == [(1, "kanal", "")]


def test_bad_yes_no(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "dato;kanal;relevant;oppfolging\n2023-02-03;chat;kanskje;ja\n")
    assert errors == [(2, "relevant", "kanskje")]


def test_unknown_country(tmp_path: Path) -> None:
    assert _errors(tmp_path, "dato;kanal;landbakgrunn\n2023-02-03;chat;Atlantis\n") == [
        (2, "landbakgrunn", "Atlantis")
    ]


def test_every_bad_row_is_reported_and_nothing_imported(tmp_path: Path) -> None:
    text = (
        "dato;kanal;alder\n"
        "2023-01-01;chat;0-18\n"
        "i går;chat;0-18\n"
        "2023-01-03;chat;0-18\n"
        "\n"
        "2023-01-05;brev;99\n"
    )
    errors = _errors(tmp_path, text)
    # Line numbers are the file's own, blank line included.
    assert errors == [(3, "dato", "i går"), (6, "kanal", "brev"), (6, "alder", "99")]


def test_dry_run_checks_without_storing(tmp_path: Path) -> None:
    result = inquiries_import(
        path=write(tmp_path, "dato;kanal\n2023-01-01;chat\n"), actor=None, dry_run=True
    )
    assert result.errors == [] and result.rows == 1 and result.created == 0
    assert not Inquiry.objects.exists()


def test_not_utf8_and_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("dato;kanal;kjønn\n2023-01-01;chat;mann\n".encode("latin-1"))
    [error] = inquiries_import(path=path, actor=None).errors
    assert "UTF-8" in error.message
    fake = tmp_path / "fil.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    [error] = inquiries_import(path=fake, actor=None).errors
    assert "XLSX" in error.message


def test_command_prints_every_error_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "dato;kanal\n2023-13-01;chat\n2023-01-01;brev\n")
    with pytest.raises(CommandError):
        call_command("import_inquiries", str(path))
    err = capsys.readouterr().err
    assert "linje 2, kolonne dato" in err and "linje 3, kolonne kanal" in err
    assert "«brev»" in err
    assert not Inquiry.objects.exists()


def test_command_imports_and_dry_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "dato;kanal\n2023-01-01;chat\n2023-01-02;phone\n")
    call_command("import_inquiries", str(path), "--dry-run")
    assert not Inquiry.objects.exists()
    call_command("import_inquiries", str(path))
    assert Inquiry.objects.count() == 2
    assert "2 henvendelser importert" in capsys.readouterr().out


def test_the_documented_example_file_imports(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[3] / "docs" / "examples" / "inquiries.csv"
    result = inquiries_import(path=example, actor=None)
    assert result.errors == []
    assert result.created == Inquiry.objects.count() > 0
