"""Demo data: the manager's texts for the 2023 report, in the spirit of the helpline's own.

Synthetic throughout: the example cases are invented composites with no real person in them.
"""

from __future__ import annotations

from typing import TextIO

from hjelpelinje.reporting.models import ManagerText

INTRODUCTION = """\
Hjelpelinjen om negativ sosial kontroll og æresrelatert vold skal forebygge og forhindre \
tvangsekteskap, kjønnslemlestelse, æresrelatert vold og negativ sosial kontroll, og bistå \
personer som er utsatt for disse voldsformene. Målgruppen er alle som opplever negativ sosial \
kontroll og æresrelatert vold, bekymrede venner og pårørende, og hjelpeapparatet som er i \
kontakt med dem: lærere, helsesykepleiere, Nav og politi.

Tjenesten er bemannet på anonym telefon og chat **mandag til fredag fra kl. 09.00 til 16.00**, \
med utvidet åpningstid på torsdager til kl. 18.00. Åpningstiden gjelder kontor, telefon, chat \
og besvarelse av e-post. Utenom åpningstiden kan det legges igjen beskjed på telefonsvarer. \
Vi har også WhatsApp for dem som er i utlandet, og tilbyr samtaler på kontoret vårt i Oslo.

Tjenesten har fire hovedarbeidsområder:

- råd og veiledning på telefon og chat
- brobygging mellom enkeltpersoner og det offentlige hjelpeapparatet
- langvarig oppfølging av brukere som ønsker det
- kompetanseheving og synlighetsarbeid
"""

DEVELOPMENT = """\
Fokuset for 2023 har vært å styrke tjenesten og nå flere. Ansattgruppa er utvidet med én \
stilling, slik at vi nå kan ha både chat og telefon åpen hver ukedag.

**Synlighetsarbeid.** Unge etterspør informasjon om hjelpeapparatet på sine egne digitale \
arenaer. I februar åpnet vi kontoer på Snapchat og TikTok, og har nå fire kontoer i sosiale \
medier.

**Chat.** I 2023 har vi hatt en fullt fungerende chattjeneste. Fram til juni var chaten åpen \
mandag og fredag; fra juli har den vært åpen hver ukedag, på lik linje med telefonen.

**Utvidet åpningstid.** Under chat-kampanjen var vi åpne til kl. 18 hver ukedag, og under \
kampanjen *Etterlatt i utlandet* til kl. 20. Etter utprøvingen har vi fast utvidet åpningstid \
hver torsdag til kl. 18.

**Ny nettside.** Nettsiden fikk i mars nytt design og er tilpasset mobil, der de fleste \
besøkene kommer fra.
"""

EXAMPLES = """\
- En venninne ringer på vegne av en 17 år gammel jente. Foreldrene har funnet ut at jenta \
har en kjæreste, og nå er hun forlovet med en som familien har valgt ut. Innringer lurer på \
hvordan hun kan hjelpe venninnen sin.
- En ung person tar kontakt på chatten. Hen føler seg presset til en religiøs seremoni hen \
ikke ønsker, og lurer på om og hvordan hen kan ta det opp med familien.
- En frisør kontakter oss om en ung kvinne som skal giftes bort mot sin vilje. Vi vurderer \
at avvergeplikten er utløst, og varsler krisesenter og politi i kommunen. Tvangsekteskapet \
blir avverget.
"""

WAY_FORWARD = """\
I 2024 vil vi nå flere og styrke tjenesten som en etablert ressurs på feltet negativ sosial \
kontroll og æresrelatert vold. Vi vil:

- styrke synligheten gjennom kampanjer og mediearbeid
- utvikle samarbeidet med skoler og andre relevante organisasjoner
- øke innsatsen for forebygging
- rigge tjenesten for et økende antall henvendelser og oppfølgingssaker
"""


def load(stdout: TextIO | None = None) -> None:
    ManagerText.objects.update_or_create(
        year=2023,
        defaults={
            "introduction": INTRODUCTION,
            "development": DEVELOPMENT,
            "examples": EXAMPLES,
            "way_forward": WAY_FORWARD,
        },
    )
    if stdout is not None:
        stdout.write("Årsrapport: tekster for 2023 lagt inn.\n")


def texts_2023() -> dict[str, str]:
    return {
        "introduction": INTRODUCTION,
        "development": DEVELOPMENT,
        "examples": EXAMPLES,
        "way_forward": WAY_FORWARD,
    }
