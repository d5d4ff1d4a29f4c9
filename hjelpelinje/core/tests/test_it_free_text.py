"""No free text that can hold personal data is stored in plain text.

Every text column of the project's own models is either encrypted (`EncryptedTextField`),
a choice from a list, or listed below with the reason it may stay plain. A new text field
fails this test until someone decides which it is: that is the point.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from hjelpelinje.core.fields import EncryptedTextField

# Why each may stay readable in the database. None of these is about the people the
# helpline helps; "public" means it is meant to be published (the annual report, the
# website) or describes the helpline's own organisational work.
PLAIN: dict[str, str] = {
    # Staff accounts: what login, permissions and accountability need, about staff.
    "accounts.User.password": "a password hash",
    "accounts.User.username": "staff login name",
    "accounts.User.first_name": "staff name, shown as the author of records",
    "accounts.User.last_name": "staff name, shown as the author of records",
    "accounts.User.email": "staff work address",
    # The audit log: codes, ids and hashes; the reason itself is encrypted.
    "audit.AuditEntry.actor_label": "the staff username at the time",
    "audit.AuditEntry.action": "a stable action code",
    "audit.AuditEntry.target_type": "a stable type code",
    "audit.AuditEntry.target_id": "a database id",
    "audit.AuditEntry.fields": "field names, never values",
    "audit.AuditEntry.reason_digest": "a salted commitment; the salt is encrypted",
    "audit.AuditEntry.prev_hash": "a hash",
    "audit.AuditEntry.hash": "a hash",
    # Code lists and codes.
    "taxonomy.Code.code": "a stable code",
    "taxonomy.Code.label": "a code's name, drawn in charts and reports",
    "taxonomy.Code.label_en": "a code's English name",
    "inquiries.Inquiry.country_background": "a country name from the fixed country list",
    "inquiries.InquiryVersion.changed_fields": "field names, never values",
    "followup.FollowUpUser.reference": "the pseudonymous reference code (B-001), replaced "
    "by a random id at withdrawal",
    "followup.UserVersion.action": "a stable action code",
    "followup.UserVersion.fields": "field names, never values",
    # Opening hours: shown to staff beside the calendar ("Julaften", "Kampanje").
    "hours.HoursException.note": "a note on the helpline's own opening hours",
    # The chat: technical values and the team's own texts.
    "chat.ChatSession.token_hash": "a hash of the visitor's resume token",
    "chat.ChatSession.visitor_socket": "a random socket id",
    "chat.ChatMessage.client_id": "a random id the page makes for each message",
    "chat.CannedResponse.title": "a standard answer the team wrote for every visitor",
    "chat.CannedResponse.body": "a standard answer the team wrote for every visitor",
    # Outreach: the helpline's public work, reported in the annual report.
    "outreach.Campaign.name": "public",
    "outreach.Campaign.funder": "public",
    "outreach.Campaign.partner": "public: an agency or partner organisation",
    "outreach.Campaign.description": "public: what the campaign was",
    "outreach.CampaignPlatform.target_ages": "the agency's target group, e.g. 13-17",
    "outreach.CampaignPlatform.notes": "notes on an ad platform's figures",
    "outreach.Talk.title": "public: a talk's title or theme",
    "outreach.Talk.audience": "public: the kind of audience (teachers, NAV staff)",
    "outreach.Talk.organiser": "public: the organising body",
    "outreach.Talk.place": "public: where a talk was given",
    "outreach.Talk.description": "public: what the talk was about",
    "outreach.Network.name": "public: a professional network",
    "outreach.Network.notes": "notes on a professional network",
    "outreach.MediaAppearance.outlet": "public: a newspaper or broadcaster",
    "outreach.MediaAppearance.title": "public: a published headline",
    "outreach.MediaAppearance.link": "public: a published article",
    "outreach.SocialAccount.handle": "public: the helpline's own account",
    "outreach.SocialAccount.url": "public: the helpline's own account",
    "outreach.SocialSnapshot.notes": "notes on the helpline's own account's figures",
    "outreach.SocialPost.title": "public: the title of the helpline's own post",
    "outreach.SocialPost.link": "public: the helpline's own post",
    "outreach.Campaign.utm_tag": "public: the tag in the campaign's ad links",
    # The website's counters: keys of sums, never anything about a visitor.
    "visits.PageDay.path": "a public page's address",
    "visits.SourceDay.referrer_host": "another site's host name (tiktok.com)",
    "visits.SourceDay.utm_campaign": "a campaign tag of the helpline's own links",
    "visits.SourceDay.utm_source": "a source tag of the helpline's own links",
    # The annual report's texts, written by the manager to be published.
    "reporting.ManagerText.introduction": "public: printed in the annual report",
    "reporting.ManagerText.development": "public: printed in the annual report",
    "reporting.ManagerText.examples": "public: anonymised examples printed in the report",
    "reporting.ManagerText.way_forward": "public: printed in the annual report",
}
# The website's pages are published: their own fields are listed here, the fields every
# page inherits from Wagtail's Page (title, slug, path) are not the project's own.
for _page in (
    "HomePage",
    "ThemePage",
    "ProfessionalsPage",
    "AboutPage",
    "NewsIndexPage",
    "NewsPage",
    "VideoPage",
    "InfoPage",
):
    PLAIN[f"website.{_page}.intro"] = "public: a page of the website"
    PLAIN[f"website.{_page}.body"] = "public: a page of the website"
PLAIN |= {
    # The written channels (inbox): keyed hashes for look-ups, codes, never content.
    "inbox.Conversation.contact_hash": "a keyed hash of the writer's address, for look-up",
    "inbox.Message.sender_hash": "a keyed hash of the sender's address, for look-up",
    "inbox.Message.message_id_hash": "a keyed hash of the Message-ID, for threading",
    "inbox.CallbackTask.caller_hash": "a keyed hash of the caller's number, for look-up",
    "inbox.CallbackTask.message_id_hash": "a keyed hash of the voicemail mail's Message-ID",
    "inbox.Message.kind": "the channel's kind of message (text, image, audio, ...)",
    "inbox.Message.send_error": "a short code of why a send failed, never a server's text",
    "inbox.Message.unreadable_reason": "a code: mime, charset or headers",
    "inbox.Attachment.content_type": "a MIME type, as the mail declared it",
}
PLAIN |= {
    "website.AboutPage.address": "public: the office's address for walk-ins",
    "website.AboutPage.walk_in": "public: when to drop by",
    "website.AboutPage.email": "public: the helpline's address",
    "website.VideoPage.transcript": "public: what the video says",
    "website.VideoPage.video_id": "a video's id at its host",
}


def _plain_text_columns() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("hjelpelinje."):
            continue
        for field in model._meta.concrete_fields:
            if not field.model.__module__.startswith("hjelpelinje."):
                continue  # inherited from a library's model (Wagtail's Page)
            text = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if not text or isinstance(field, EncryptedTextField) or field.choices:
                continue
            found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_plain_text_column_is_a_decision() -> None:
    undecided = _plain_text_columns() - set(PLAIN)
    assert not undecided, (
        f"free text stored in plain text: {sorted(undecided)}. Make it an "
        "EncryptedTextField, a choice from a list, or add it to PLAIN with the reason."
    )


def test_the_list_names_no_column_that_is_gone() -> None:
    """An entry left behind after a field became encrypted would hide the next one."""
    assert set(PLAIN) <= _plain_text_columns()


def test_the_reasons_are_encrypted() -> None:
    from hjelpelinje.audit.models import AuditEntry
    from hjelpelinje.inquiries.models import Inquiry

    assert isinstance(AuditEntry._meta.get_field("reason"), EncryptedTextField)
    assert isinstance(AuditEntry._meta.get_field("reason_salt"), EncryptedTextField)
    assert isinstance(Inquiry._meta.get_field("deletion_reason"), EncryptedTextField)
