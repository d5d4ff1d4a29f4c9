"""The campaign effect in words, as the overview page and the annual report say it.

Rates are compared as they are shown (two decimals), so the text never says "rose from
0,50 to 0,50".
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hjelpelinje.outreach.effect import Measure, round2
from hjelpelinje.outreach.models import Campaign
from hjelpelinje.outreach.selectors import CampaignEffect, Funnel


def _rate(value: float | None) -> str:
    return number_format(round2(value or 0.0) or 0.0, decimal_pos=2, use_l10n=True)


def _days(n: int) -> str:
    return ngettext("%(n)d åpen dag", "%(n)d åpne dager", n) % {"n": n}


def _measure_sentence(m: Measure, *, what: str, per_day_what: str) -> list[str]:
    """`what`: "henvendelser"; `per_day_what`: "Henvendelser per åpen dag"."""
    counts = {
        "what": what,
        "before_n": m.baseline_count,
        "before_days": _days(m.baseline_days),
        "during_n": m.campaign_count,
        "during_days": _days(m.campaign_days),
    }
    if m.campaign_days == 0:
        return [
            _("%(subject)s: kampanjen hadde ingen åpne dager å måle.") % {"subject": per_day_what}
        ]
    during = _rate(m.campaign_per_day)
    if m.baseline_days == 0:
        return [
            _(
                "%(subject)s under kampanjen: %(during)s (%(during_n)s %(what)s på "
                "%(during_days)s). Det finnes ingen åpne dager før kampanjen å sammenligne med."
            )
            % {"subject": per_day_what, "during": during, **counts}
        ]
    before = _rate(m.baseline_per_day)
    if during == before:
        head = _("%(subject)s var %(during)s både før og under kampanjen") % {
            "subject": per_day_what,
            "during": during,
        }
    elif (round2(m.campaign_per_day) or 0) > (round2(m.baseline_per_day) or 0):
        head = _("%(subject)s steg fra %(before)s til %(during)s under kampanjen") % {
            "subject": per_day_what,
            "before": before,
            "during": during,
        }
    else:
        head = _("%(subject)s sank fra %(before)s til %(during)s under kampanjen") % {
            "subject": per_day_what,
            "before": before,
            "during": during,
        }
    sentences = [
        head
        + _(
            " (%(before_n)s %(what)s på %(before_days)s før, "
            "%(during_n)s på %(during_days)s under)."
        )
        % counts
    ]
    if not m.baseline_complete:
        sentences.append(
            _(
                "Sammenligningen bygger bare på %(before_days)s før kampanjen, fordi registeret "
                "ikke har data lenger tilbake."
            )
            % counts
        )
    if m.skipped_baseline_days:
        sentences.append(
            ngettext(
                "%(n)d åpen dag før kampanjen er hoppet over fordi en annen kampanje pågikk.",
                "%(n)d åpne dager før kampanjen er hoppet over fordi en annen kampanje pågikk.",
                m.skipped_baseline_days,
            )
            % {"n": m.skipped_baseline_days}
        )
    return sentences


def effect_sentences(effect: CampaignEffect) -> list[str]:
    """The effect as a few plain sentences, the first one being the headline."""
    if effect.inquiries is None:
        return [_("Kampanjen har ikke startet ennå, så det er ingenting å måle.")]
    sentences = _measure_sentence(
        effect.inquiries,
        what=_("henvendelser"),
        per_day_what=_("Henvendelser per åpen dag"),
    )
    if effect.chat_sessions is not None:
        sentences += _measure_sentence(
            effect.chat_sessions,
            what=_("chatsamtaler"),
            per_day_what=_("Chatsamtaler per åpen chatdag"),
        )
    if effect.overlapping:
        names = ", ".join(f"«{c.name}»" for c in effect.overlapping)
        sentences.append(
            _("Kampanjen overlapper med %(names)s; virkningene kan ikke skilles fra hverandre.")
            % {"names": names}
        )
    if effect.in_progress and effect.measured_until is not None:
        sentences.append(
            _("Kampanjen pågår; tallene gjelder til og med %(day)s.")
            % {"day": effect.measured_until.strftime("%d.%m.%Y")}
        )
    return sentences


def funnel_sentence(campaign: Campaign, funnel: Funnel) -> str:
    """ "Kampanjen «X» ga N besøk på nettsiden." from the counted visits, or why not."""
    if funnel.visits is None:
        return _(
            "Kampanjen har ikke noe kampanjemerke (utm_campaign), så besøkene den ga på "
            "nettsiden kan ikke telles."
        )
    return ngettext(
        "Kampanjen «%(name)s» ga %(n)s besøk på nettsiden.",
        "Kampanjen «%(name)s» ga %(n)s besøk på nettsiden.",
        funnel.visits,
    ) % {"name": campaign.name, "n": number_format(funnel.visits, force_grouping=True)}
