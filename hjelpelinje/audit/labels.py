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
    "followup.list": _("Så brukerlisten"),
    "followup.create": _("Opprettet bruker"),
    "followup.update": _("Endret bruker"),
    "followup.export": _("Eksporterte innsyn"),
    "followup.break_glass": _("Nødtilgang til skjermede opplysninger"),
    "followup.withdraw": _("Samtykke trukket, personopplysninger slettet"),
    "followup.consent_withdrawn": _("Samtykke trukket, personopplysninger slettet"),
    # Inquiries.
    "inquiry.create": _("Registrerte henvendelse"),
    "inquiry.update": _("Endret henvendelse"),
    "inquiry.delete": _("Slettet henvendelse"),
    "inquiry.import": _("Importerte henvendelser"),
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

TARGET_LABELS: dict[str, StrOrPromise] = {
    "staff": _("Ansatt"),
    "code": _("Kode"),
    "user": _("Bruker"),
    "inquiry": _("Henvendelse"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    verb = action.rpartition(".")[2]
    if verb in VERB_LABELS:
        return f"{VERB_LABELS[verb]} ({action})"
    return action


def target_label(target_type: str) -> str:
    return str(TARGET_LABELS.get(target_type, target_type))
