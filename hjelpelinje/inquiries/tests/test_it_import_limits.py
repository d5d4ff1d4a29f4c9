"""The import refuses what it cannot read safely, and says so in a few lines.

A spreadsheet that claims to be enormous is refused from its claim alone; one that lies
about its size is cut off at the same limit while it is read; a zip bomb is refused from
its directory; a file beyond the upload limit never reaches the importer; dates outside the
helpline's years are errors; and a file with hundreds of bad rows shows the first 50 and
how many more, with nothing imported.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import Workbook

from hjelpelinje.accounts.models import User
from hjelpelinje.core import tabular
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.inquiries.importer import inquiries_import
from hjelpelinje.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
PAGE = "/staff/inquiries/importer/"


def _xlsx(rows: list[list[str]], *, dimension: str | None = None, sheet_xml: bytes = b"") -> bytes:
    """A real workbook from openpyxl, with its sheet's <dimension> rewritten or removed."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                replacement = (
                    b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
                )
                data = re.sub(rb'<dimension ref="[^"]*"/>', replacement, data)
                if sheet_xml:
                    data = data.replace(b"</sheetData>", sheet_xml + b"</sheetData>")
            target.writestr(info, data)
    return out.getvalue()


GOOD_ROWS = [["dato", "kanal"], ["2023-04-27", "phone"], ["2023-04-28", "chat"]]


def test_a_tiny_xlsx_claiming_every_cell_of_a_sheet_is_refused_at_once(
    tmp_path: Path, manager: User
) -> None:
    path = tmp_path / "stor.xlsx"
    path.write_bytes(_xlsx(GOOD_ROWS, dimension="A1:XFD1048576"))
    assert path.stat().st_size < 10_000

    started = time.perf_counter()
    result = inquiries_import(path=path, actor=manager)
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0
    assert [e.message for e in result.errors] == [
        "Filen har mer enn 500000 rader. Del den opp og importer delene."
    ]
    assert not Inquiry.objects.exists()


def test_a_sheet_claiming_too_many_columns_is_refused_by_its_claim(
    tmp_path: Path, manager: User
) -> None:
    path = tmp_path / "bred.xlsx"
    path.write_bytes(_xlsx(GOOD_ROWS, dimension="A1:XFD3"))
    result = inquiries_import(path=path, actor=manager)
    assert [e.message for e in result.errors] == [
        "Filen har mer enn 100 kolonner. Bare de kjente kolonnene kan være med."
    ]


def test_a_sheet_without_a_dimension_is_cut_off_at_the_row_limit(
    tmp_path: Path, manager: User, settings
) -> None:
    settings.HJELPELINJE_IMPORT_MAX_ROWS = 1000
    # One more row, far down: openpyxl would hand out every empty row up to it.
    far = b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>2023-01-01</t></is></c></row>'
    path = tmp_path / "uten.xlsx"
    path.write_bytes(_xlsx(GOOD_ROWS, dimension=None, sheet_xml=far))
    started = time.perf_counter()
    result = inquiries_import(path=path, actor=manager)
    assert time.perf_counter() - started < 1.0
    assert [e.message for e in result.errors] == [
        "Filen har mer enn 1000 rader. Del den opp og importer delene."
    ]
    assert not Inquiry.objects.exists()


def test_a_sheet_claiming_fewer_rows_than_it_holds_is_read_whole(
    tmp_path: Path, manager: User
) -> None:
    # A writer that got the dimension wrong must not make rows vanish without a word.
    path = tmp_path / "liten.xlsx"
    path.write_bytes(_xlsx([*GOOD_ROWS, ["2023-04-29", "email"]], dimension="A1:B2"))
    result = inquiries_import(path=path, actor=manager)
    assert result.errors == []
    assert result.created == 3


def test_a_zip_that_unpacks_to_too_much_is_refused_from_its_directory(
    tmp_path: Path, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 1024 * 1024)
    zeros = b"\0" * (2 * 1024 * 1024)  # 2 MB of zeros deflate to a couple of kB
    data = _xlsx(GOOD_ROWS)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", zeros)
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 50_000
    result = inquiries_import(path=path, actor=manager)
    assert [e.message for e in result.errors] == [
        "Filen pakker seg ut til mer enn 1 MB og leses ikke."
    ]

    # The shared strings are read into memory whole, so they have a limit of their own.
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 512 * 1024 * 1024)
    monkeypatch.setattr(tabular, "MAX_PART_BYTES", 1024 * 1024)
    result = inquiries_import(path=path, actor=manager)
    assert len(result.errors) == 1 and result.errors[0].message.startswith("Filen pakker seg ut")


def test_a_csv_with_too_many_columns_is_refused(tmp_path: Path, manager: User) -> None:
    path = tmp_path / "bred.csv"
    path.write_text("dato;kanal\n2023-04-27;phone" + ";x" * 200 + "\n", encoding="utf-8")
    result = inquiries_import(path=path, actor=manager)
    assert [e.message for e in result.errors] == [
        "Filen har mer enn 100 kolonner. Bare de kjente kolonnene kan være med."
    ]


@pytest.mark.parametrize("text", ["0001-01-01", "31.12.1999", "9999-12-31", "tomorrow"])
def test_a_date_outside_the_helplines_years_is_a_row_error(
    tmp_path: Path, manager: User, text: str
) -> None:
    if text == "tomorrow":
        text = (local_now().date() + dt.timedelta(days=1)).isoformat()
    path = tmp_path / "datoer.csv"
    path.write_text(f"dato;kanal\n2023-04-27;phone\n{text};phone\n", encoding="utf-8")
    result = inquiries_import(path=path, actor=manager)
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, "dato", text)]
    assert result.errors[0].message.startswith("Datoen må være mellom 01.01.2000 og ")
    assert not Inquiry.objects.exists()


def _many_bad_rows(count: int) -> str:
    good = "2023-04-27;phone\n" * 10
    bad = "".join(f"2023-04-27;faks{n}\n" for n in range(count))
    return "dato;kanal\n" + good + bad


def test_the_page_shows_the_first_50_errors_and_how_many_more(
    client_for: ClientFor, manager: User
) -> None:
    upload = SimpleUploadedFile("feil.csv", _many_bad_rows(200).encode(), "text/csv")
    response = client_for(manager).post(PAGE, {"file": upload})
    page = response.content.decode()
    assert "200 feil: ingenting ble importert." in page
    table = page[page.index('class="import-errors"') : page.index("</table>")]
    assert table.count("<tr>") == 1 + 50  # the header and the first fifty
    assert "faks0<" in table and "faks49<" in table and "faks50<" not in table
    assert "… og 150 feil til." in page
    assert not Inquiry.objects.exists()


def test_the_command_prints_the_first_50_errors_and_how_many_more(tmp_path: Path) -> None:
    path = tmp_path / "feil.csv"
    path.write_text(_many_bad_rows(200), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"200 feil\. Ingenting ble importert\."):
        call_command("import_inquiries", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 51
    assert "faks49" in lines[49] and lines[50] == "… og 150 feil til."
    assert not Inquiry.objects.exists()


def test_an_upload_beyond_the_limit_is_a_form_error_and_is_not_read(
    client_for: ClientFor, manager: User, settings
) -> None:
    settings.HJELPELINJE_UPLOAD_MAX_MB = 1
    body = ("dato;kanal\n" + "2023-04-27;phone\n" * 80_000).encode()
    assert len(body) > 1024 * 1024
    upload = SimpleUploadedFile("stor.csv", body, "text/csv")
    response = client_for(manager).post(PAGE, {"file": upload, "dry_run": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Filen er for stor: høyst 1 MB kan leses." in page
    assert not Inquiry.objects.exists()


def test_the_upload_is_stopped_while_it_arrives_not_after(settings) -> None:
    # The form's own size check comes too late to spare the disk: the handler first in
    # line drops the file as soon as it passes the limit, and the page can say why.
    from django.test import RequestFactory

    from hjelpelinje.core.uploads import upload_refused

    settings.HJELPELINJE_UPLOAD_MAX_MB = 1
    upload = SimpleUploadedFile("stor.csv", b"x" * (1024 * 1024 + 1), "text/csv")
    request = RequestFactory().post(PAGE, {"note": "før filen", "file": upload})
    assert "file" not in request.FILES
    assert upload_refused(request)
    assert request.POST["note"] == "før filen"

    small = SimpleUploadedFile("liten.csv", b"x" * 1024, "text/csv")
    request = RequestFactory().post(PAGE, {"file": small})
    received = request.FILES["file"]
    assert isinstance(received, UploadedFile) and received.size == 1024
    assert not upload_refused(request)


def test_a_csv_saved_as_utf16_or_holding_nul_is_refused_in_words(
    tmp_path: Path, manager: User
) -> None:
    # UTF-16 text of plain letters is valid UTF-8 with a NUL after every letter.
    path = tmp_path / "unicode.csv"
    path.write_bytes("dato;kanal\n2023-04-27;phone\n".encode("utf-16-le"))
    result = inquiries_import(path=path, actor=manager)
    assert [e.message for e in result.errors] == [
        "Filen inneholder NUL-tegn. Lagre den som «CSV UTF-8» og prøv igjen."
    ]
    assert not Inquiry.objects.exists()


def test_a_sheet_hiding_a_cell_far_to_the_right_is_refused_at_that_row(
    tmp_path: Path, manager: User
) -> None:
    # It declares two columns, but a (styled, empty) cell in the last column of the sheet
    # would make every row of it sixteen thousand cells wide.
    wide = b'<row r="3"><c r="XFD3" s="0"/></row>'
    path = tmp_path / "skjult.xlsx"
    path.write_bytes(_xlsx(GOOD_ROWS[:2], dimension="A1:B2", sheet_xml=wide))
    started = time.perf_counter()
    result = inquiries_import(path=path, actor=manager)
    assert time.perf_counter() - started < 1.0
    assert [e.message for e in result.errors] == [
        "Filen har mer enn 100 kolonner. Bare de kjente kolonnene kan være med."
    ]
