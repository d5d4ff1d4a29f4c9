"""Norwegian words for the audit log's action codes, for the log page.

Apps write stable English codes (`followup.view`); this maps them to what a manager reads.
An unknown code falls back to a label for its verb (`*.export`), then to the code itself,
so a new action is never hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ACTION_LABELS: dict[str, StrOrPromise] = {
    # Sign-in.
    "auth.login": _("Logget inn"),
    "auth.logout": _("Logget ut"),
    "auth.login_failed": _("Mislykket innlogging"),
    "auth.locked_out": _("Konto sperret etter mislykkede innlogginger"),
    "auth.2fa_enrolled": _("Satte opp tofaktorinnlogging"),
    "auth.2fa_reset": _("Nullstilte tofaktorinnlogging"),
    "auth.password_changed": _("Byttet passord"),
    # Staff accounts.
    "staff.create": _("Opprettet ansatt"),
    "staff.update": _("Endret ansatt"),
    "staff.activate": _("Aktiverte ansatt"),
    "staff.deactivate": _("Deaktiverte ansatt"),
    "staff.password_reset": _("Laget nytt engangspassord"),
    # Code lists.
    "code.create": _("La til kode"),
    "code.rename": _("Endret navn på kode"),
    "code.activate": _("Aktiverte kode"),
    "code.deactivate": _("Deaktiverte kode"),
    "code.move": _("Flyttet kode"),
    # Follow-up users.
    "followup.view": _("Åpnet bruker"),
    "followup.create": _("Opprettet bruker"),
    "followup.change": _("Endret bruker"),
    "followup.activity_add": _("Registrerte aktivitet"),
    "followup.inquiry_add": _("Registrerte henvendelse fra bruker"),
    "followup.mail_add": _("Registrerte post"),
    "followup.mail_update": _("Endret postlogg"),
    "followup.break_glass": _("Nødtilgang til skjermede opplysninger"),
    "followup.export_json": _("Eksporterte innsyn (JSON)"),
    "followup.export_pdf": _("Eksporterte innsyn (PDF)"),
    "followup.import": _("Importerte brukere"),
    "followup.withdraw": _("Samtykke trukket, personopplysninger slettet"),
    # Inquiries.
    "inquiry.view": _("Åpnet henvendelse"),
    "inquiry.create": _("Registrerte henvendelse"),
    "inquiry.update": _("Endret henvendelse"),
    "inquiry.delete": _("Slettet henvendelse"),
    "inquiry.import": _("Importerte henvendelser"),
    "inquiry.reason_erase": _("Slettet begrunnelsen for slettingen (samtykke trukket)"),
    "inquiry.summary_erase": _("Slettet sammendraget (samtykke trukket)"),
    # Chat.
    "chat.read_along": _("Leste med i chat"),
    "chat.transcript.view": _("Leste chatlogg"),
    "chat.transfer": _("Overførte chat"),
    "chat.urgent": _("Markerte chat som haster"),
    "chat.link_inquiry": _("Koblet chat til henvendelse"),
    "chat.settings": _("Endret chatinnstillinger"),
    "chat.canned_save": _("Lagret standardsvar"),
    "chat.canned_delete": _("Slettet standardsvar"),
    # The written channels' inbox.
    "inbox.conversation.view": _("Leste skriftlig samtale"),
    "inbox.attachment.view": _("Åpnet vedlegg"),
    "inbox.callback.view": _("Åpnet tilbakeringing"),
    # Opening hours, reports.
    "hours.week_set": _("Endret ukens åpningstider"),
    "hours.exception_create": _("La til avvik i åpningstidene"),
    "hours.exception_delete": _("Slettet avvik i åpningstidene"),
    "hours.open_now": _("Åpnet chatten nå"),
    "hours.close_now": _("Stengte chatten nå"),
    "hours.override_delete": _("Angret åpning eller stenging nå"),
    "report.texts_edit": _("Endret årsrapportens tekster"),
    "report.download": _("Lastet ned årsrapporten"),
    # The website.
    "visits.import": _("Importerte besøkstall for nettsiden"),
    "website.publish": _("Publiserte nettside"),
    "website.unpublish": _("Avpubliserte nettside"),
    "website.delete": _("Slettet nettside"),
    "website.move": _("Flyttet nettside"),
    "website.translate": _("Kopierte nettside til oversettelse"),
    "website.document.replace": _("Byttet fil for dokument på nettsiden"),
    "website.document.delete": _("Slettet dokument på nettsiden"),
    "website.image.replace": _("Byttet fil for bilde på nettsiden"),
    "website.image.delete": _("Slettet bilde på nettsiden"),
    # The log itself.
    "audit.reason_erase": _("Slettet begrunnelser i loggen (samtykke trukket)"),
}

# The last part of an action code, for codes not listed above.
VERB_LABELS: dict[str, StrOrPromise] = {
    "view": _("Åpnet"),
    "list": _("Så listen"),
    "create": _("Opprettet"),
    "update": _("Endret"),
    "delete": _("Slettet"),
    "export": _("Eksporterte"),
    "import": _("Importerte"),
    "break_glass": _("Nødtilgang"),
}
# Outreach logs `outreach.<kind>.<verb>`; the verb fallback above covers it.

TARGET_LABELS: dict[str, StrOrPromise] = {
    "staff": _("Ansatt"),
    "code": _("Kode"),
    "followup_user": _("Bruker"),
    "inquiry": _("Henvendelse"),
    "chat_session": _("Chat"),
    "chat_settings": _("Chatinnstillinger"),
    "canned": _("Standardsvar"),
    "conversation": _("Skriftlig samtale"),
    "attachment": _("Vedlegg"),
    "callback_task": _("Tilbakeringing"),
    "hours": _("Åpningstider"),
    "annual_report": _("Årsrapport"),
    "report_texts": _("Årsrapportens tekster"),
    "page": _("Nettside"),
    "audit_entry": _("Logglinje"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    verb = action.rpartition(".")[2]
    if verb in VERB_LABELS:
        return f"{VERB_LABELS[verb]} ({action})"
    return action


def target_label(target_type: str) -> str:
    if target_type in TARGET_LABELS:
        return str(TARGET_LABELS[target_type])
    if target_type.startswith("outreach."):
        return f"{_('Utadrettet')} ({target_type.partition('.')[2]})"
    return target_type
