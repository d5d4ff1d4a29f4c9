"""Wagtail's admin works under the staff pages' security headers, in Chromium.

A manager signs in through Hjelpelinje's login with her second factor, opens the
dashboard and a theme page's edit form: no Content Security Policy violation, no script
error, and the rich-text editor is there to type in.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.site.roles import sync_wagtail_groups

SHOTS = "/tmp/shots/editing"


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text} {msg.location}")
            if msg.type in {"error", "warning"}
            and ("Content Security Policy" in msg.text or msg.type == "error")
            # Chromium asks every site for /favicon.ico by itself; that is not the admin's.
            and not msg.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_edits_a_theme_page_in_the_admin(
    live_server: Any, browser: Any, demo_site: dict[str, Any], manager: User
) -> None:
    sync_wagtail_groups()
    theme = demo_site["theme:forced_marriage"]
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems = _watch(page)
    browser_login(page, live_server.url, manager)

    # The staff menu leads to the editor.
    page.get_by_role("link", name="Nettsiden").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + "/staff/cms/"
    page.screenshot(path=f"{SHOTS}/dashboard-1366.png")

    page.goto(f"{live_server.url}/staff/cms/pages/{theme.pk}/edit/")
    page.wait_for_load_state("networkidle")
    editor = page.locator(".public-DraftEditor-content").first
    editor.wait_for(state="visible")
    assert theme.title in page.locator("#id_title, [name=title]").first.input_value()
    # The rich-text editor takes typing.
    editor.click()
    page.keyboard.type(" Ring oss.")
    assert "Ring oss." in editor.inner_text()
    page.screenshot(path=f"{SHOTS}/theme-edit-1366.png", full_page=False)

    # The preview beside the form is the draft rendered in a frame of the same origin.
    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").first.wait_for(state="visible")
    assert theme.title in frame.locator("h1").first.inner_text()
    page.screenshot(path=f"{SHOTS}/theme-preview-1366.png", full_page=False)

    # The picture for shared links is chosen with Wagtail's image chooser, started without
    # an inline script (the admin's CSP runs none): its button opens the chooser.
    page.get_by_role("tab").nth(1).click()  # Content, Promote, Settings
    page.locator("#id_share_image").locator("xpath=..").locator(
        "[data-chooser-action-choose]"
    ).first.click()
    page.locator(".modal.fade.in, .modal.show, .modal[style*=block]").first.wait_for(
        state="visible"
    )
    page.screenshot(path=f"{SHOTS}/share-image-chooser-1366.png", full_page=False)
    page.keyboard.press("Escape")

    phone = browser.new_page(viewport={"width": 360, "height": 740})
    phone_problems = _watch(phone)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/staff/cms/pages/{theme.pk}/edit/")
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=f"{SHOTS}/theme-edit-360.png")

    assert problems == [], "\n".join(problems)
    assert phone_problems == [], "\n".join(phone_problems)
