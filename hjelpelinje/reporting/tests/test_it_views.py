"""The dashboard and the annual report page, as a manager uses them."""

from __future__ import annotations

import io
import re
import time

import pytest
from docx import Document
from openpyxl import load_workbook

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.reporting.models import ManagerText

pytestmark = pytest.mark.django_db


def test_dashboard_shows_charts_with_tables_and_last_year(client_for, manager, stats_2023) -> None:
    client = client_for(manager)
    page = client.get("/staff/reports/?year=2023").content.decode()
    # First visit: the page comes at once and the browser fetches each chart.
    sources = re.findall(r'<img src="(/staff/reports/chart/2023/[^"]+\.svg)"', page)
    assert len(sources) >= 10
    for src in sources:
        chart = client.get(src)
        assert chart.status_code == 200
        assert chart["Content-Type"] == "image/svg+xml"
        assert chart.content.decode().startswith("<svg")
    # Next visit: the drawn charts are inlined.
    page = client.get("/staff/reports/?year=2023").content.decode()
    assert page.count("<svg") == len(sources)
    assert 'id="chart-channel_age"' in page and 'id="chart-months"' in page
    assert 'id="chart-activities"' in page and 'id="chart-chat_hour"' in page
    # The accessible table beside the chart holds the same figures.
    assert '<th scope="row">Totalt</th>' in page
    assert ">158<" in page and ">60<" in page and ">74<" in page
    assert "Kampanjeperiode" in page


def test_dashboard_is_fast_once_charts_are_drawn(client_for, manager, stats_2023) -> None:
    client = client_for(manager)
    client.get("/staff/reports/?year=2023")
    started = time.perf_counter()
    response = client.get("/staff/reports/?year=2023")
    assert response.status_code == 200
    assert time.perf_counter() - started < 1.0


def test_dashboard_for_a_year_without_data(client_for, manager, stats_2023) -> None:
    page = client_for(manager).get("/staff/reports/?year=2021").content.decode()
    assert "Det er ikke registrert noen relevante førstegangshenvendelser i 2021." in page
    assert "Det er ikke registrert henvendelser for 2020 å sammenligne med." in page
    assert "oppfølging av brukere" in page  # listed as not recorded


def test_an_unknown_chart_is_not_found(client_for, manager) -> None:
    assert client_for(manager).get("/staff/reports/chart/2023/abc/age.svg").status_code == 404


def test_counsellors_see_neither_page(client_for, counsellor, stats_2023) -> None:
    client = client_for(counsellor)
    assert client.get("/staff/reports/").status_code == 403
    assert client.get("/staff/reports/annual/").status_code == 403
    assert client.get("/staff/reports/annual/download/?year=2023&format=pdf").status_code == 403


def test_download_pdf_and_the_download_is_audited(client_for, manager, stats_2023) -> None:
    client = client_for(manager)
    response = client.get("/staff/reports/annual/download/?year=2023&format=pdf&min_count=0")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="arsrapport-2023.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="report.download", target_id="2023").exists()


def test_download_docx_and_xlsx_with_small_numbers_hidden(client_for, manager, stats_2023) -> None:
    client = client_for(manager)
    docx = client.get("/staff/reports/annual/download/?year=2023&format=docx&min_count=5")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Avvergeplikten ble utløst i <5 saker." in text
    xlsx = client.get("/staff/reports/annual/download/?year=2023&format=xlsx&min_count=5")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Kjønn" in book.sheetnames


def test_bad_download_request_shows_the_form_again(client_for, manager, stats_2023) -> None:
    response = client_for(manager).get("/staff/reports/annual/download/?year=2023&format=exe")
    assert response.status_code == 400
    assert "Last ned" in response.content.decode()


def test_manager_writes_the_year_texts_and_raw_html_is_escaped(
    client_for, manager, stats_2023
) -> None:
    client = client_for(manager)
    response = client.post(
        "/staff/reports/annual/2023/texts/",
        {
            "introduction": "Vi er **åpne** hver dag.\n\n<script>alert(1)</script>",
            "development": "- chat\n- kampanjer",
            "examples": "[lenke](javascript:alert(1))",
            "way_forward": "Flere henvendelser i 2024.",
        },
    )
    assert response.status_code == 302
    texts = ManagerText.objects.get(year=2023)
    assert texts.updated_by == manager
    assert AuditEntry.objects.filter(action="report.texts_edit", target_id="2023").exists()
    page = client.get("/staff/reports/annual/?year=2023").content.decode()
    assert "<strong>åpne</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page
    html = client.get("/staff/reports/annual/download/?year=2023&format=html").content.decode()
    assert "<strong>åpne</strong>" in html and "<script>" not in html
    assert "<li>kampanjer</li>" in html


def test_texts_for_an_impossible_year_are_not_found(client_for, manager) -> None:
    assert client_for(manager).get("/staff/reports/annual/999999/texts/").status_code == 404
