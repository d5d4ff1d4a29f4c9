"""Every staff page fits a phone (360 px) and a laptop (1366 px) without sideways scrolling.

The pages are the ones the permission-matrix test walks (the whole URL configuration), with
the ids of real records from the demo data, so a new page is measured the moment it exists.
A wide table may scroll inside its own box; the document itself may not be wider than the
window, or every line of text on the page slides off when the reader scrolls the table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import resolve

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.roles import role_can
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.accounts.tests.test_it_permission_matrix import PAGES, _decision

SIZES = {"phone": (360, 740), "laptop": (1366, 768)}
SHOTS = Path(os.environ.get("HJELPELINJE_SHOTS", "/tmp/layout"))

# What a browser downloads or posts to rather than shows: never a page to lay out.
NOT_PAGES = {
    "logout",
    "set_language",
    "health",
    "export_json",
    "export_pdf",
    "chart",
    "annual_report_download",
    "toggle",
    "move",
    "glass_break",
    "staff_reset_password",
    "staff_reset_two_factor",
}


def _first(model: Any, **filters: Any) -> int:
    return int(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0])


def _pk_of(model: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"pk": _first(model)}


def _ids() -> dict[str, Callable[[], dict[str, Any]]]:
    """For each URL name with parameters, the parameters of a real record in the demo data.

    Where records differ in length, the one with the most to show is chosen: that is the
    one that overflows first.
    """
    from django.db.models import Count
    from django.db.models.functions import Length

    from hjelpelinje.chat.models import CannedResponse
    from hjelpelinje.followup.models import FollowUpUser, MailItem
    from hjelpelinje.hours.models import HoursException
    from hjelpelinje.inquiries.models import Inquiry
    from hjelpelinje.outreach import models as o
    from hjelpelinje.taxonomy.models import Code

    def inquiry() -> dict[str, Any]:
        edited = Inquiry.objects.annotate(v=Count("versions"), n=Length("summary"))
        first = edited.order_by("-v", "-n", "pk").first()
        assert first is not None
        return {"pk": first.pk}

    def user() -> dict[str, Any]:
        busiest = FollowUpUser.objects.annotate(n=Count("activities")).order_by("-n", "pk")
        return {"pk": busiest.values_list("pk", flat=True)[0]}

    def mail() -> dict[str, Any]:
        item = MailItem.objects.order_by("pk").first()
        assert item is not None
        return {"pk": item.user_id, "item": item.pk}

    def code() -> dict[str, Any]:
        first = Code.objects.order_by("list", "position", "pk").first()
        assert first is not None
        return {"list_name": first.list, "pk": first.pk}

    staff = {"pk": lambda: _first(User, username="radgiver")}
    return {
        "accounts:staff_edit": lambda: {"pk": staff["pk"]()},
        "taxonomy:list": lambda: {"list_name": code()["list_name"]},
        "taxonomy:edit": code,
        "inquiries:detail": inquiry,
        "inquiries:edit": inquiry,
        "inquiries:delete": inquiry,
        **{
            f"followup:{name}": user
            for name in ("detail", "edit", "address", "activity_add", "inquiry_add", "mail_add")
        },
        "followup:withdraw": user,
        "followup:mail_update": mail,
        "hours:week_edit": lambda: {"channel": "phone"},
        "hours:exception_delete": lambda: {"pk": _first(HoursException)},
        "chat:canned_edit": lambda: {"pk": _first(CannedResponse)},
        "chat:canned_delete": lambda: {"pk": _first(CannedResponse)},
        **{
            f"outreach:{name}": _pk_of(model)
            for name, model in (
                ("campaign_detail", o.Campaign),
                ("campaign_edit", o.Campaign),
                ("campaign_delete", o.Campaign),
                ("platform_edit", o.CampaignPlatform),
                ("platform_delete", o.CampaignPlatform),
                ("talk_edit", o.Talk),
                ("talk_delete", o.Talk),
                ("media_edit", o.MediaAppearance),
                ("media_delete", o.MediaAppearance),
                ("network_edit", o.Network),
                ("network_delete", o.Network),
                ("account_edit", o.SocialAccount),
                ("account_delete", o.SocialAccount),
                ("snapshot_edit", o.SocialSnapshot),
                ("snapshot_delete", o.SocialSnapshot),
                ("post_edit", o.SocialPost),
                ("post_delete", o.SocialPost),
            )
        },
        "outreach:platform_create": lambda: {"campaign_pk": _first(o.Campaign)},
        "outreach:snapshot_create": lambda: {"account_pk": _first(o.SocialAccount)},
        "reporting:texts_edit": lambda: {"year": 2023},
    }


def staff_pages(user: User) -> list[str]:
    """The paths of every page `user` may open, with real ids in place of the dummy ones.

    A path that answers GET with 405 only takes a form's POST: there is nothing to lay out.
    """
    from django.urls import reverse

    from conftest import verified_client

    client = verified_client(user)
    # A broken page is the browser walk's finding, with its address; not a crash here.
    client.raise_request_exception = False
    ids = _ids()
    paths = []
    for dummy_path, view in PAGES:
        kind, permission = _decision(view)
        if kind == "public" or (kind == "require" and not role_can(user.role, permission or "")):
            continue
        match = resolve(dummy_path)
        name = match.view_name
        if name.rpartition(":")[2] in NOT_PAGES or name == "accounts:two_factor":
            continue
        if name in ids:
            path = reverse(name, kwargs=ids[name]())
        elif match.kwargs:
            if client.get(dummy_path).status_code == 405:
                continue
            raise AssertionError(f"no demo record for {name}: add one to _ids()")
        else:
            path = reverse(name)
        if client.get(path).status_code != 405:
            paths.append(path)
    return paths


def _overflow(page: Any) -> dict[str, Any]:
    """The document's width, and the widest elements that stick out past the window."""
    result: dict[str, Any] = page.evaluate(
        """() => {
          const width = window.innerWidth;
          const culprits = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 0.5 && r.width > 0) {
              culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                ' ' + Math.round(r.right));
            }
          }
          return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 6)};
        }"""
    )
    return result


def _add_an_hours_exception() -> None:
    """The demo data has no exception to the ordinary hours; the hours page lists one."""
    import datetime as dt

    from hjelpelinje.hours.models import HoursException

    if not HoursException.objects.exists():
        HoursException.objects.create(
            channel="chat",
            start_date=dt.date(2026, 12, 24),
            end_date=dt.date(2026, 12, 26),
            kind="open",
            opens=dt.time(10),
            closes=dt.time(22),
            note="Utvidet åpningstid i julen, med ekstra bemanning fra kampanjen",
        )


def _edit_an_inquiry() -> None:
    """Change every field of one inquiry, so its page shows a history of earlier values."""
    from hjelpelinje.inquiries.models import Inquiry
    from hjelpelinje.inquiries.services import InquiryData, inquiry_update
    from hjelpelinje.taxonomy.models import Code

    inquiry = Inquiry.objects.order_by("pk").first()
    assert inquiry is not None

    def other(list_name: str, current: Code) -> Code:
        found = Code.objects.filter(list=list_name, active=True).exclude(pk=current.pk).first()
        assert found is not None
        return found

    def codes(list_name: str) -> list[Code]:
        return list(Code.objects.filter(list=list_name, active=True))

    inquiry_update(
        inquiry=inquiry,
        actor=None,
        data=InquiryData(
            occurred_at=inquiry.occurred_at,
            channel=other("channel", inquiry.channel),
            age_group=other("age_group", inquiry.age_group),
            gender=other("gender", inquiry.gender),
            region=other("region", inquiry.region),
            caller=other("caller", inquiry.caller),
            country_background="Pakistan",
            themes=codes("theme"),
            referred_to=codes("agency"),
            follow_up=not inquiry.follow_up,
            summary=inquiry.summary + " Ringte tilbake etter samtalen med barnevernstjenesten.",
        ),
    )


@pytest.fixture
def demo(transactional_db: None) -> dict[str, User]:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _add_an_hours_exception()
    _edit_an_inquiry()
    users = {}
    for username in ("leder", "admin"):
        user = User.objects.get(username=username)
        user.set_password("correct-horse-battery-staple")
        user.save()
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        users[username] = user
    return users


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_staff_page_scrolls_sideways_on_a_phone_or_a_laptop(
    live_server: Any, browser: Any, demo: dict[str, User]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    seen = 0
    for username in ("leder", "admin"):
        paths = staff_pages(demo[username])
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.set_default_timeout(60_000)
            page = context.new_page()
            browser_login(page, live_server.url, demo[username])
            for path in paths:
                response = page.goto(live_server.url + path, wait_until="load")
                assert response is not None and response.status == 200, path
                seen += 1
                found = _overflow(page)
                if found["scroll"] > width:
                    name = re.sub(r"\W+", "-", path).strip("-") or "home"
                    page.screenshot(path=str(SHOTS / f"{size}-{name}.png"), full_page=True)
                    too_wide.append(f"{size} {path}: {found['scroll']} px; {found['culprits']}")
            context.close()
    # The walk reached the pages that matter; a broken walk must not pass by measuring nothing.
    assert seen > 2 * 50
    assert too_wide == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_managers_menu_is_one_line_on_a_laptop_with_one_current_item(
    live_server: Any, browser: Any, demo: dict[str, User]
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, live_server.url, demo["leder"])
    # "Ny henvendelse" lives under "Henvendelser"'s address: only the page itself is current.
    for path, current in (
        ("/staff/inquiries/ny/", "Ny henvendelse"),
        ("/staff/inquiries/", "Henvendelser"),
        ("/staff/reports/annual/", "Årsrapport"),
        ("/staff/reports/", "Statistikk"),
        ("/staff/outreach/networks/", "Utadrettet"),
    ):
        page.goto(live_server.url + path)
        items = page.locator("header nav a")
        tops = set(items.evaluate_all("links => links.map(a => a.offsetTop)"))
        assert len(tops) == 1, f"the menu wraps on {path}"
        marked = page.locator("header nav a[aria-current=page]")
        assert marked.all_inner_texts() == [current], path
    context.close()


@pytest.mark.browser
def test_the_html_reports_cover_title_is_whole_on_a_phone(browser: Any) -> None:
    from hjelpelinje.reporting.demo import texts_2023
    from hjelpelinje.reporting.renderers import render
    from hjelpelinje.reporting.report.assembly import build_report
    from hjelpelinje.reporting.tests.example_stats import full_2023
    from hjelpelinje.reporting.tests.helpers import seed_labels

    html = render(build_report(full_2023(), texts_2023(), seed_labels()), "html").decode()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.set_content(html)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-report-cover.png"))
    title = page.locator(".cover .title")
    assert title.inner_text() == "ÅRSRAPPORT"
    # The whole word is inside its box and the window, not cut off at "ÅRSRAP".
    fits = title.evaluate(
        "t => t.scrollWidth <= t.clientWidth && t.getBoundingClientRect().right <= innerWidth"
    )
    assert fits
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
