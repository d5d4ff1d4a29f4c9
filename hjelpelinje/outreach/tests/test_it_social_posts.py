"""The post log: a counsellor adds a post in one line, fixes her own, and is told what is
wrong when the date or the link cannot be right."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.outreach.models import SocialPost

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return local_now().date()


def test_counsellor_adds_a_post_from_the_overview_and_sees_it_listed(counsellor, client_for):
    client = client_for(counsellor)
    page = client.get("/staff/outreach/").content.decode()
    # The quick add is on the overview, the date already today.
    assert 'action="/staff/outreach/posts/new/"' in page
    assert f'value="{_today():%Y-%m-%d}"' in page

    response = client.post(
        "/staff/outreach/posts/new/",
        {"platform": "tiktok", "date": f"{_today():%Y-%m-%d}", "title": "Hva er sosial kontroll?"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#posts")
    post = SocialPost.objects.get()
    assert (post.platform, post.date, post.created_by) == ("tiktok", _today(), counsellor)

    page = client.get(response["Location"]).content.decode()
    assert "Innlegget på TikTok" in page  # the confirmation
    assert "Hva er sosial kontroll?" in page
    assert f'href="/staff/outreach/posts/{post.pk}/edit/"' in page
    entry = AuditEntry.objects.get(action="outreach.socialpost.create")
    assert entry.actor_id == counsellor.pk and entry.target_id == str(post.pk)
    assert "Hva er sosial kontroll?" not in str(entry.fields)


def test_a_date_in_the_future_is_refused_and_the_form_shows_why(counsellor, client_for):
    tomorrow = _today() + dt.timedelta(days=1)
    response = client_for(counsellor).post(
        "/staff/outreach/posts/new/",
        {"platform": "snapchat", "date": f"{tomorrow:%Y-%m-%d}", "title": "Neste uke"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Datoen må være mellom" in page and "Innlegget kan ikke ha en dato fram i tid." in page
    # What was typed is still there to correct.
    assert 'value="Neste uke"' in page
    assert not SocialPost.objects.exists()


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://example.org/video", "ikke en lenke"]
)
def test_a_link_that_is_not_a_web_address_is_refused(counsellor, client_for, link):
    response = client_for(counsellor).post(
        "/staff/outreach/posts/new/",
        {"platform": "instagram", "date": f"{_today():%Y-%m-%d}", "link": link},
    )
    assert response.status_code == 400
    assert "Lenken må være en nettadresse som begynner med http:// eller https://." in (
        response.content.decode()
    )
    assert not SocialPost.objects.exists()


def test_a_link_without_scheme_becomes_https(counsellor, client_for):
    client_for(counsellor).post(
        "/staff/outreach/posts/new/",
        {"platform": "youtube", "date": f"{_today():%Y-%m-%d}", "link": "youtube.com/watch?v=1"},
    )
    assert SocialPost.objects.get().link == "https://youtube.com/watch?v=1"


def test_the_author_edits_and_deletes_her_post_a_colleague_cannot(
    counsellor, other_counsellor, manager, client_for
):
    mine = SocialPost.objects.create(platform="tiktok", date=_today(), created_by=counsellor)
    theirs = SocialPost.objects.create(
        platform="snapchat", date=_today(), created_by=other_counsellor
    )
    client = client_for(counsellor)
    page = client.get("/staff/outreach/").content.decode()
    assert f"/staff/outreach/posts/{mine.pk}/edit/" in page
    assert f"/staff/outreach/posts/{theirs.pk}/edit/" not in page
    assert client.get(f"/staff/outreach/posts/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"/staff/outreach/posts/{theirs.pk}/delete/").status_code == 403

    response = client.post(
        f"/staff/outreach/posts/{mine.pk}/edit/",
        {"platform": "snapchat", "date": f"{_today():%Y-%m-%d}", "title": "Rettet"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.platform, mine.title) == ("snapchat", "Rettet")
    assert client.post(f"/staff/outreach/posts/{mine.pk}/delete/").status_code == 302
    assert not SocialPost.objects.filter(pk=mine.pk).exists()

    # A manager may tidy up anyone's.
    assert client_for(manager).post(f"/staff/outreach/posts/{theirs.pk}/delete/").status_code == 302
    assert not SocialPost.objects.exists()
    assert AuditEntry.objects.filter(action="outreach.socialpost.delete").count() == 2


def test_the_quick_add_accepts_only_post_requests(counsellor, client_for):
    assert client_for(counsellor).get("/staff/outreach/posts/new/").status_code == 405
