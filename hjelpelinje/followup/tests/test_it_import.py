"""`hjelpelinje import_users` and `import_activities`: CSV or XLSX, all or nothing, every
bad row named."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.followup.models import Activity, FollowUpUser, MailItem, UserInquiry
from hjelpelinje.reporting.blocks.followup import followup_block

USERS_CSV = (
    "kode;samtykke_dato;kilde;alder;kjonn;landsdel;sperret_adresse\n"
    "B-101;2022-11-03;housing_programme;18-25;female;ostlandet;6\n"
    "B-102;15.02.2023;Bo- og støttetilbudet;25-35;Kvinne;Vestlandet;\n"
    "B-103;2023-06-30;hjelpelinja;0-18;male;Nord-Norge;7\n"
    "B-104;2023-09-01;annet;;;;\n"
    "B-105;2024-01-10;helpline;35+;female;trondelag;\n"
)
ACTIVITY_ROWS = [
    ("B-101", "2023-01-15", "nav", "", ""),
    ("B-101", "16.01.2023", "Kontakt med politi", "", "politi"),
    ("B-101", "2023-02-01", "mail", "", ""),
    ("B-101", "2023-02-03", "henvendelse", "phone", ""),
    ("B-102", "2023-03-01", "in_person", "", ""),
    ("B-102", "2023-03-02", "henvendelse", "Chat", ""),
    ("B-102", "2023-03-05", "henvendelse", "", ""),
    ("B-103", "2023-07-01", "external_contact", "", "Krisesenter"),
    ("B-103", "2023-07-02", "in_person", "", ""),
    ("B-101", "2022-12-01", "nav", "", ""),
]


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8-sig"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _activities_csv(rows, sep=","):
    lines = [sep.join(("kode", "dato", "kategori", "kanal", "instans"))]
    lines += [sep.join(r) for r in rows]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_users_then_activities_give_the_expected_follow_up_block(tmp_path):
    call_command("import_users", str(_write(tmp_path, "brukere.csv", USERS_CSV)))
    assert FollowUpUser.objects.count() == 5
    b102 = FollowUpUser.objects.get(reference="B-102")
    assert (b102.source, b102.gender.code, b102.region.code) == (
        "housing_programme",
        "female",
        "vestlandet",
    )
    assert FollowUpUser.objects.get(reference="B-104").age_group.code == "unknown"
    assert (
        AuditEntry.objects.filter(action="followup.create", target_type="followup_user").count()
        == 5
    )

    call_command(
        "import_activities",
        str(_write(tmp_path, "aktiviteter.csv", _activities_csv(ACTIVITY_ROWS))),
    )
    in_2023 = [r for r in ACTIVITY_ROWS if r[1].endswith("2023") or r[1].startswith("2023")]
    inquiries = [r for r in in_2023 if r[2] == "henvendelse"]
    block = followup_block(2023)
    # B-101..B-104 overlap 2023 (B-101 consented in 2022), B-105 only from 2024.
    assert block["users"] == 4
    assert block["new_users"] == 3
    assert block["from_housing_programme"] == 2
    assert block["protected_address_users"] == 2
    assert block["user_inquiries"] == len(inquiries)
    expected = Counter({"nav": 1, "police": 1, "mail": 1, "in_person": 2, "external_contact": 1})
    assert {k: v for k, v in block["activities"].items() if v} == dict(expected)
    assert set(block["activities"]) >= {"nav", "child_welfare", "housing_programme", "mail"}
    assert block["mail_items"] == 1
    assert followup_block(2022)["activities"]["nav"] == 1
    assert Activity.objects.get(category__code="police").agency.code == "politi"
    assert UserInquiry.objects.filter(channel__isnull=True).count() == 1


@pytest.mark.django_db
def test_xlsx_is_read_too(tmp_path):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(
        ["Kode", "Samtykke_dato", "Kilde", "Alder", "Kjonn", "Landsdel", "Sperret_adresse"]
    )
    sheet.append(["B-201", dt.datetime(2023, 4, 27), "helpline", "18-25", "female", "ostlandet", 7])
    sheet.append(["B-202", "27.04.2023 00:00:00", "other", "", "Mann", "", None])
    sheet.append(["B-203", "27.04.2023", "other", "", "", "", "Kode 6"])
    path = tmp_path / "brukere.xlsx"
    workbook.save(path)
    call_command("import_users", str(path))
    assert FollowUpUser.objects.get(reference="B-201").has_protected_address
    assert FollowUpUser.objects.get(reference="B-202").consent.given_on == dt.date(2023, 4, 27)
    assert not FollowUpUser.objects.get(reference="B-202").has_protected_address
    assert FollowUpUser.objects.get(reference="B-202").gender.code == "male"
    assert FollowUpUser.objects.get(reference="B-203").protected_code == "6"


@pytest.mark.django_db
def test_bad_rows_are_all_named_and_nothing_is_imported(tmp_path):
    text = (
        "kode,samtykke_dato,kilde,alder,kjonn,landsdel,sperret_adresse\n"
        "B-301,2023-01-01,helpline,18-25,female,ostlandet,\n"
        "B-302,2023-13-45,helpline,18-25,female,ostlandet,\n"
        "B-303,2023-01-01,kommunen,18-25,female,ostlandet,\n"
        "B-301,2023-01-01,helpline,99-100,female,ostlandet,5\n"
        ",2023-01-01,helpline,18-25,female,ostlandet,\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="6 feil"):
        call_command("import_users", str(_write(tmp_path, "feil.csv", text)), stderr=err)
    output = err.getvalue()
    assert "linje 3, kolonne «samtykke_dato», verdi «2023-13-45»" in output
    assert "linje 4, kolonne «kilde», verdi «kommunen»" in output and "housing_programme" in output
    assert "linje 5, kolonne «kode», verdi «B-301»" in output and "linje 2" in output
    assert "linje 5, kolonne «alder», verdi «99-100»" in output and "18-25" in output
    assert "linje 5, kolonne «sperret_adresse», verdi «5»" in output
    assert "linje 6, kolonne «kode»" in output
    assert FollowUpUser.objects.count() == 0


@pytest.mark.django_db
def test_bad_activity_rows_are_all_named_and_nothing_is_imported(tmp_path):
    call_command("import_users", str(_write(tmp_path, "brukere.csv", USERS_CSV)))
    rows = [
        ("B-101", "2023-01-15", "nav", "", ""),
        ("B-999", "2023-01-15", "nav", "", ""),
        ("B-101", "i går", "nav", "", ""),
        ("B-101", "2023-01-15", "dans", "", ""),
        ("B-101", "2023-01-15", "henvendelse", "brevdue", ""),
        ("B-101", "2023-01-15", "nav", "", "Nav Grünerløkka"),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 feil"):
        call_command(
            "import_activities",
            str(_write(tmp_path, "a.csv", _activities_csv(rows, ";"))),
            stderr=err,
        )
    output = err.getvalue()
    assert "linje 3, kolonne «kode», verdi «B-999»" in output
    assert "linje 4, kolonne «dato», verdi «i går»" in output
    assert "linje 5, kolonne «kategori», verdi «dans»" in output and "henvendelse" in output
    assert "linje 6, kolonne «kanal», verdi «brevdue»" in output and "whatsapp" in output
    assert "linje 7, kolonne «instans», verdi «Nav Grünerløkka»" in output
    assert Activity.objects.count() == UserInquiry.objects.count() == MailItem.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_column_is_named(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_users", str(_write(tmp_path, "x.csv", "kode;kilde\nB-1;helpline\n")), stderr=err
        )
    assert "kolonne «samtykke_dato»" in err.getvalue()
