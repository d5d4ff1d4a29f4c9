"""A manager signs in through the real pages and downloads the annual report as PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from hjelpelinje.accounts.tests.browser import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_downloads_the_pdf_from_the_page(
    browser, live_server, manager, stats_2023, tmp_path
) -> None:
    context = browser.new_context(accept_downloads=True)
    # Rendering the PDF takes seconds on a busy machine; wait for it rather than fail.
    context.set_default_timeout(240_000)
    page = context.new_page()
    browser_login(page, live_server.url, manager)
    page.goto(f"{live_server.url}/staff/reports/annual/")
    page.wait_for_selector("[data-testid=download]")

    page.select_option("#id_year", "2023")
    page.select_option("#id_format", "pdf")
    page.fill("#id_min_count", "0")
    page.screenshot(path=str(tmp_path / "annual.png"), full_page=True)
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    download = info.value
    assert download.suggested_filename == "arsrapport-2023.pdf"
    data = Path(download.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "158 relevante førstegangshenvendelser" in re.sub(r"\s+", " ", text)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_every_chart_in_the_browser(
    browser, live_server, manager, stats_2023
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = context.new_page()
    problems: list[str] = []
    # Every failed request except the browser's own favicon probe is a problem.
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    browser_login(page, live_server.url, manager)
    page.goto(f"{live_server.url}/staff/reports/?year=2023")
    page.wait_for_selector("#chart-months")
    images = page.locator(".chart-grid img")
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    # The CSP forbids eval, so poll from here rather than with wait_for_function.
    for _ in range(240):
        if images.evaluate_all("all => all.every(i => i.complete && i.naturalWidth > 0)"):
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail("the charts did not load")
    page.screenshot(path="/tmp/reports/dashboard.png", full_page=True)
    assert images.count() >= 10
    assert page.locator("#chart-region table.figures").inner_text().count("Østlandet") == 1
    assert not problems, problems
    context.close()
