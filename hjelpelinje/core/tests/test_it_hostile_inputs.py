"""Every form and every filter of the staff pages, fed what an attacker or a slip of the
hand would type: no answer is ever a server error, and an impossible date is a form error.

The pages are not listed by hand. The test loads the demo data, opens every page of the
URL configuration that takes no argument, follows the links it finds to the pages that do
(an inquiry, a user, a campaign), and collects every <form> and every link with a query
string. Each field of each form, and each parameter of each link, is then sent each
hostile value in turn, with the other fields as the page filled them in. Each request runs
in a savepoint that is rolled back, so a form that succeeds changes nothing for the next.

Hostile values: the dates 0001-01-01, 9999-12-31, 1999-12-31 and tomorrow; `$x$` and
`\\frac` (mathtext); NUL; 10 kB of text; a right-to-left override; bytes that are not
UTF-8 (a UTF-16 surrogate encoded as UTF-8); negative and huge numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote_from_bytes, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import make_staff, verified_client
from hjelpelinje.accounts.models import Role
from hjelpelinje.core.timeutil import local_now

RANGE_ERROR = "Datoen må være mellom"
TEXT: list[str | bytes] = [
    "$x$ og $y$",
    "\\frac{1}{2} \\",
    "før\x00etter",
    "ø" * 10_240,
    "\u202eesrever",
    b"\xed\xa0\x80 surrogate",
    b"\xff\xfe not utf-8",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
]
# Links that end the session or leave the staff pages are not followed or sent.
SKIP_VIEWS = {"logout"}


def _dates() -> list[str]:
    tomorrow = local_now().date() + dt.timedelta(days=1)
    return ["0001-01-01", "9999-12-31", "1999-12-31", tomorrow.isoformat()]


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str
    attrs: dict[str, str]


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)


class _Page(HTMLParser):
    """Forms (with the values the page filled in) and links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attributes}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                # Unchecked: present in the form, absent from what the browser sends.
                self._form.fields.append(Field(attrs["name"], kind, "\0unset", attrs))
                return
            self._form.fields.append(Field(attrs["name"], kind, attrs.get("value", "on"), attrs))
        elif tag == "select":
            self._select = Field(attrs["name"], "select", "\0unset", attrs)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select.value == "\0unset" or "selected" in attrs:
                self._select.value = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea", "", attrs)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _encode(pairs: Sequence[tuple[str, str | bytes]]) -> str:
    def one(value: str | bytes) -> str:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{one(k)}={one(v)}" for k, v in pairs)


def _route(path: str) -> str | None:
    """The URL pattern a path belongs to, or None for what the test leaves alone."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in SKIP_VIEWS or not match.func.__module__.startswith("hjelpelinje."):
        return None
    return match.route


class Walker:
    def __init__(self, clients: list[Client]) -> None:
        self.clients = clients
        self.failures: list[str] = []
        self.requests = 0

    def send(
        self, client: Client, method: str, path: str, pairs: list[tuple[str, str | bytes]]
    ) -> Any:
        body = _encode(pairs)
        self.requests += 1
        with transaction.atomic():
            if method == "post":
                response = client.post(path, body, content_type="application/x-www-form-urlencoded")
            else:
                response = client.get(f"{path}?{body}" if body else path)
            transaction.set_rollback(True)
        return response

    def open(self, path: str) -> tuple[Client, Any] | None:
        """The page as the first member of staff allowed to see it."""
        for client in self.clients:
            response = client.get(path)
            if response.status_code == 200:
                return client, response
        return None


def _pages_without_arguments() -> Iterator[str]:
    from hjelpelinje.accounts.tests.test_it_permission_matrix import PAGES

    for path, _view in PAGES:
        if "999999" not in path and "/x/" not in path and not path.endswith("/x"):
            yield path


def _crawl(walker: Walker) -> tuple[dict[tuple[str, str, tuple[str, ...]], tuple[str, Form]], int]:
    """Every distinct form and query-string link, keyed by (pattern, method, field names)."""
    queue = list(_pages_without_arguments())
    visits: dict[str, int] = {}
    seen: set[str] = set()
    forms: dict[tuple[str, str, tuple[str, ...]], tuple[str, Form]] = {}
    while queue:
        url = queue.pop(0)
        route = _route(urlsplit(url).path)
        # A few pages of each kind: the demo's past years (?year=2023) lead to its
        # campaigns, talks and media, which the current year's page does not list.
        if route is None or url in seen or visits.get(route, 0) >= 3:
            continue
        seen.add(url)
        visits[route] = visits.get(route, 0) + 1
        opened = walker.open(url)
        if opened is None:
            continue
        _client, response = opened
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for form in page.forms:
            action = urlsplit(urljoin(url, form.action or url)).path
            action_route = _route(action)
            if action_route is None:
                continue
            key = (action_route, form.method, tuple(sorted(f.name for f in form.fields)))
            forms.setdefault(key, (action, form))
        for href in page.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
            if parts.query and _route(parts.path) is not None:
                params = parse_qsl(parts.query, keep_blank_values=True)
                link = Form("get", parts.path, [Field(k, "text", v, {}) for k, v in params])
                key = (str(_route(parts.path)), "get", tuple(sorted(k for k, _ in params)))
                forms.setdefault(key, (parts.path, link))
    return forms, len(visits)


# For a choice (select, radio, check box) or a hidden field: what a forged request sends.
CHOICE: list[str | bytes] = [
    "$x$",
    "før\x00etter",
    b"\xed\xa0\x80",
    "-1",
    "99999999999999999999",
]


def _values_for(item: Field) -> list[str | bytes]:
    if item.kind == "date":
        return [*_dates(), *CHOICE[:3]]
    if item.kind == "datetime-local":
        return [f"{d}T10:00" for d in _dates()] + CHOICE[:3]
    if item.name.startswith(("date", "dato")) or item.name.endswith(("_on", "_date")):
        # A date typed into a plain text field, or a date in a link's query string.
        return [*_dates(), *CHOICE]
    if item.kind in ("select", "radio", "checkbox", "hidden", "time"):
        return CHOICE
    return TEXT


def _expect_range_error(item: Field, value: str | bytes) -> bool:
    """Whether the page must say the date is out of range (tomorrow is fine when planned)."""
    if item.kind not in ("date", "datetime-local") or not isinstance(value, str):
        return False
    if not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return False
    tomorrow = (local_now().date() + dt.timedelta(days=1)).isoformat()
    return not (value.startswith(tomorrow) and item.attrs.get("max", "") > tomorrow)


@pytest.fixture
def walker(db: None) -> Walker:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    clients = [
        verified_client(make_staff("hostile-manager", Role.MANAGER)),
        verified_client(make_staff("hostile-admin", Role.ADMIN)),
        verified_client(make_staff("hostile-counsellor", Role.COUNSELLOR)),
    ]
    return Walker(clients)


def test_no_form_or_filter_answers_a_hostile_value_with_a_server_error(walker: Walker) -> None:
    forms, routes = _crawl(walker)
    # The walk reached the pages that matter; a broken crawl must not pass by testing nothing.
    assert routes > 40
    names = {name for _key, (_a, f) in forms.items() for name in (x.name for x in f.fields)}
    expected_fields = ("date_from", "date_to", "occurred_at", "done_on", "start_date", "year")
    for expected in (*expected_fields, "target_age_groups", "participants"):
        assert any(name.endswith(expected) for name in names), expected

    for (_route_name, method, _names), (action, form) in sorted(forms.items()):
        opened = walker.open(action) if method == "get" else None
        clients = [opened[0]] if opened else walker.clients
        # One field per name: a radio group or a list of check boxes is one field.
        unique = {f.name: f for f in reversed(form.fields)}
        for item in unique.values():
            if item.name == "csrfmiddlewaretoken":
                continue
            for value in _values_for(item):
                pairs: list[tuple[str, str | bytes]] = [
                    (f.name, f.value)
                    for f in form.fields
                    if f.name != item.name and f.value != "\0unset"
                ]
                pairs.append((item.name, value))
                where = f"{method.upper()} {action} {item.name}={value!r:.40}"
                for client in clients:
                    try:
                        response = walker.send(client, method, action, pairs)
                    except Exception as error:  # every crash is the finding
                        walker.failures.append(f"{where}: {type(error).__name__}: {error!s:.200}")
                        break
                    if response.status_code in (401, 403, 404, 405) and client is not clients[-1]:
                        continue
                    if response.status_code >= 500:
                        walker.failures.append(f"{where}: HTTP {response.status_code}")
                    elif _expect_range_error(item, value):
                        page = response.content.decode(errors="replace")
                        if response.status_code in (301, 302, 303):
                            walker.failures.append(f"{where}: accepted ({response['Location']})")
                        elif RANGE_ERROR not in page:
                            walker.failures.append(f"{where}: no date range error shown")
                    break
    assert walker.requests > 1000
    assert walker.failures == [], "\n".join(walker.failures)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/staff/audit/?date_to=9999-12-31", RANGE_ERROR),
        ("/staff/audit/?date_from=0001-01-01", RANGE_ERROR),
        ("/staff/audit/?date_from=1999-12-31&date_to=2023-01-01", RANGE_ERROR),
        ("/staff/outreach/?year=99999999999999999999", ""),
        ("/staff/reports/?year=0", ""),
        ("/staff/reports/annual/download/?year=9999&format=pdf", ""),
    ],
)
def test_named_cases_from_the_issue(walker: Walker, path: str, message: str) -> None:
    opened = walker.open(path)
    client = opened[0] if opened else walker.clients[0]
    response = client.get(path)
    assert response.status_code < 500
    assert message in response.content.decode()


def test_an_inquiry_dated_year_one_is_a_form_error(walker: Walker) -> None:
    client = walker.clients[2]
    page = _Page()
    page.feed(client.get("/staff/inquiries/ny/").content.decode())
    form = next(f for f in page.forms if any(x.name == "occurred_at" for x in f.fields))
    pairs = [(f.name, f.value) for f in form.fields if f.value != "\0unset"]
    pairs = [(k, "0001-01-01T00:00" if k == "occurred_at" else v) for k, v in pairs]
    response = client.post(
        "/staff/inquiries/ny/", _encode(pairs), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize(
    ("path", "forged"),
    [
        ("/staff/outreach/campaigns/new/", "hours_exceptions"),
        ("/staff/inquiries/ny/", "themes"),
        ("/staff/users/new/", "responsible"),
    ],
)
def test_a_forged_id_beyond_the_databases_integer_is_a_form_error(
    walker: Walker, path: str, forged: str
) -> None:
    # A choice the page never offered (no opening-hour exception exists to tick) is still
    # what a forged request can send.
    opened = walker.open(path)
    assert opened is not None
    client, response = opened
    page = _Page()
    page.feed(response.content.decode())
    form = next(f for f in page.forms if f.method == "post")
    pairs: list[tuple[str, str | bytes]] = [
        (f.name, f.value) for f in form.fields if f.value != "\0unset" and f.name != forged
    ]
    pairs.append((forged, "99999999999999999999"))
    response = walker.send(client, "post", path, pairs)
    assert response.status_code == 200
    assert "99999999999999999999" in response.content.decode()  # named in the form error


def test_an_id_in_the_path_beyond_the_databases_integer_is_not_found(walker: Walker) -> None:
    from hjelpelinje.accounts.tests.test_it_permission_matrix import PAGES

    failures = []
    for path, _view in PAGES:
        if "999999" not in path:
            continue
        for huge in ("99999999999999999999", "9" * 400):
            target = path.replace("999999", huge)
            for client in walker.clients:
                try:
                    response = client.get(target)
                except Exception as error:  # every crash is the finding
                    failures.append(f"GET {target[:80]}: {type(error).__name__}: {error!s:.120}")
                    break
                if response.status_code >= 500:
                    failures.append(f"GET {target[:80]}: HTTP {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_a_username_longer_than_any_account_is_refused_by_the_login_form(db: None) -> None:
    # Django's login form did not check the length, so 10 kB went on to the lockout table,
    # whose 255-character column fails on PostgreSQL (a 500 there); SQLite stored it.
    from axes.models import AccessAttempt

    response = Client().post("/staff/accounts/login/", {"username": "ø" * 10_240, "password": "x"})
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert not AccessAttempt.objects.exists()
