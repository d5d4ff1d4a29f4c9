"""The demo's made-up counts have the shape the statistics are meant to show."""

from __future__ import annotations

import datetime as dt
import io
from statistics import mean

import pytest

from hjelpelinje.site.visits import demo, selectors


@pytest.mark.django_db
def test_the_demo_year_has_post_day_spikes_and_an_imported_year_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    year = demo.demo_year()
    post_days = {dt.date(year, 3, 8): ["tiktok"], dt.date(year, 9, 14): ["snapchat"]}
    monkeypatch.setattr(demo, "_posts", lambda: post_days)
    out = io.StringIO()
    demo.load(stdout=out)
    assert f"made-up counts for {year}" in out.getvalue()

    days = selectors.website_daily(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    assert len(days) in (365, 366) and all(d.visits > 0 and not d.imported for d in days)
    assert all(d.page_views > d.visits for d in days)
    before = selectors.website_daily(start=dt.date(year - 1, 1, 1), end=dt.date(year - 1, 12, 31))
    assert all(d.imported and d.visits > 0 for d in before)

    # A post day has about three times the visits of the same weekday around it.
    for post_day, platforms in post_days.items():
        around = [post_day + dt.timedelta(weeks=w) for w in (-3, -2, -1, 1, 2, 3)]
        ordinary = mean(d.visits for d in days if d.day in around)
        spiked = next(d.visits for d in days if d.day == post_day)
        assert 2.2 < spiked / ordinary < 4.5
        [host] = {f"{platforms[0]}.com"}
        one_day = selectors.top_referrers(start=post_day, end=post_day)
        assert one_day[0].host == host

    hosts = [h.host for h in selectors.top_referrers(start=days[0].day, end=days[-1].day)]
    assert hosts[0] == "google.com" and "tiktok.com" in hosts and "" in hosts

    demo.load(stdout=out)
    assert "already there" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_counts_are_the_same_every_time() -> None:
    def counts() -> list[tuple[dt.date, str, int, int]]:
        pages, _sources, _imported = demo.build(2023)
        return [(p.day, p.path, p.views, p.visits) for p in pages]

    assert counts() == counts()
