"""The code lists Hjelpelinje starts with: (code, Norwegian label, English label)."""

from __future__ import annotations

from typing import Any

SEED: dict[str, list[tuple[str, str, str]]] = {
    "channel": [
        ("phone", "Telefon", "Phone"),
        ("chat", "Chat", "Chat"),
        ("email", "E-post", "E-mail"),
        ("walk_in", "Oppmøte", "Walk-in"),
        ("whatsapp", "WhatsApp", "WhatsApp"),
    ],
    "age_group": [
        ("0-18", "0-18", "0-18"),
        ("18-25", "18-25", "18-25"),
        ("25-35", "25-35", "25-35"),
        ("35+", "35+", "35+"),
        ("unknown", "Ukjent", "Unknown"),
    ],
    "gender": [
        ("female", "Kvinne", "Woman"),
        ("male", "Mann", "Man"),
        ("other", "Annen kjønnsidentitet", "Other gender identity"),
        ("unknown", "Ikke oppgitt", "Not stated"),
    ],
    "region": [
        ("ostlandet", "Østlandet", "Eastern Norway"),
        ("vestlandet", "Vestlandet", "Western Norway"),
        ("sorlandet", "Sørlandet", "Southern Norway"),
        ("trondelag", "Trøndelag", "Trøndelag"),
        ("nord_norge", "Nord-Norge", "Northern Norway"),
        ("abroad", "Utlandet", "Abroad"),
        ("unknown", "Ukjent", "Unknown"),
    ],
    "caller": [
        ("self", "Personen selv", "The person concerned"),
        ("friend", "Venn", "Friend"),
        ("family", "Familie", "Family"),
        ("professional", "Fagperson", "Professional"),
        ("other", "Annen", "Other"),
        ("unknown", "Ukjent", "Unknown"),
    ],
    "theme": [
        ("forced_marriage", "Tvangsekteskap", "Forced marriage"),
        ("fgm", "Kjønnslemlestelse", "Female genital mutilation"),
        ("honour_violence", "Æresrelatert vold", "Honour-related violence"),
        ("social_control", "Negativ sosial kontroll", "Negative social control"),
        ("closed_religious", "Lukket trossamfunn", "Closed religious community"),
        ("left_abroad", "Etterlatt i utlandet", "Left behind abroad"),
        ("psychological_violence", "Psykisk vold", "Psychological violence"),
        ("other", "Annet", "Other"),
    ],
    "agency": [
        ("skeiv_verden", "Skeiv Verden", "Skeiv Verden (LGBT+ minority organisation)"),
        ("kompetanseteamet", "Kompetanseteamet", "The national competence team"),
        ("krisesenter", "Krisesenter", "Crisis shelter"),
        ("mangfoldsradgiver", "Mangfoldsrådgiver", "Diversity adviser"),
        ("risk", "RISK", "RISK"),
        ("barnevern", "Barnevernet", "Child welfare services"),
        ("nok", "NOK-senter", "NOK centre"),
        ("kors_pa_halsen", "Kors på Halsen", "Kors på Halsen (youth helpline)"),
        ("politi", "Politiet", "Police"),
        ("other", "Annen instans", "Other agency"),
    ],
    "activity": [
        ("nav", "Kontakt med Nav", "Contact with NAV"),
        ("kompetanseteamet", "Kontakt med Kompetanseteamet", "Contact with the competence team"),
        ("practical_help", "Praktisk hjelp", "Practical help"),
        ("police", "Kontakt med politi", "Contact with the police"),
        ("child_welfare", "Kontakt med barnevern", "Contact with child welfare"),
        (
            "external_meeting",
            "Møte med ekstern instans sammen med bruker",
            "Meeting with an external agency together with the user",
        ),
        (
            "external_contact",
            "Kontakt/overføring til annen instans",
            "Contact with or transfer to another agency",
        ),
        (
            "housing_programme",
            "Kontakt med botilbud",
            "Contact with the sheltered-housing programme",
        ),
        ("in_person", "Fysisk møte", "In-person meeting"),
        ("mail", "Posthenvendelse", "Mail handled"),
    ],
}


def seed_codes(code_model: Any) -> None:
    """Create the seeded entries that are missing (used by the migration and the tests)."""
    for list_name, entries in SEED.items():
        for position, (code, label, label_en) in enumerate(entries, start=1):
            code_model.objects.get_or_create(
                list=list_name,
                code=code,
                defaults={"label": label, "label_en": label_en, "position": position},
            )
