"""The demo website: every page type, in Norwegian, with English versions of the key pages.

`load()` is idempotent: a page that already exists (found by its parent and slug, or for an
English page by its Norwegian original) is left as it is, so running it again neither
duplicates pages nor overwrites what an editor has changed. It also works on an empty
database (transactional tests flush Wagtail's tree), creating the root page, the locales
and the default Site. Nothing here is about a real person; the address is made up.
"""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site

from hjelpelinje.site.models import (
    PROVIDER_YOUTUBE,
    ROLE_HISTORY,
    ROLE_PRIVACY,
    AboutPage,
    HomePage,
    InfoPage,
    NewsIndexPage,
    NewsPage,
    ProfessionalsPage,
    ThemePage,
    VideoPage,
)

DEMO_ADDRESS = "Demogata 12\n0151 Oslo"
# A made-up id: the demo video does not exist on YouTube.
DEMO_VIDEO_ID = "HjelpDemo01"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _h2(text: str) -> str:
    return f"<h2>{text}</h2>"


HELP_NB = _h2("Du kan snakke med oss") + _p(
    "Du kan ringe eller chatte med oss uten å si hvem du er. Vi har taushetsplikt. "
    "Vi hører på deg, og sammen finner vi ut hva som kan hjelpe.",
    '<a href="/chat/">Åpne chatten</a>',
)
HELP_EN = _h2("You can talk to us") + _p(
    "You can call or chat with us without telling us who you are. We have a duty of "
    "confidentiality. We listen, and together we find out what can help.",
    '<a href="/chat/?lang=en">Open the chat</a>',
)

# (theme code, slug, title, intro, body)
THEMES_NB: list[tuple[str, str, str, str, str]] = [
    (
        "forced_marriage",
        "tvangsekteskap",
        "Tvangsekteskap",
        "Tvangsekteskap er når noen gifter seg fordi de blir presset eller truet til det. "
        "Det er forbudt i Norge.",
        _h2("Hva er tvangsekteskap?")
        + _p(
            "Du skal selv bestemme om du vil gifte deg, og med hvem. Hvis familien din "
            "presser deg, truer deg eller lurer deg til å gifte deg, er det tvang. Tvang er "
            "tvang også når ekteskapet bare skjer i en religiøs seremoni.",
        )
        + _h2("Tegn du kan kjenne igjen")
        + _ul(
            "Familien snakker om bryllup uten å spørre deg.",
            "Du får ikke lov til å gå på skolen eller treffe venner.",
            "Du skal på en lang ferie til et annet land og vet ikke når du kommer hjem.",
        )
        + HELP_NB,
    ),
    (
        "fgm",
        "kjonnslemlestelse",
        "Kjønnslemlestelse",
        "Kjønnslemlestelse er når noen skader eller fjerner deler av jentas kjønnsorgan "
        "uten medisinsk grunn. Det er forbudt og straffes i Norge, også om det skjer i "
        "utlandet.",
        _h2("Hva er kjønnslemlestelse?")
        + _p(
            "Det kalles også omskjæring av jenter. Det gir store smerter og kan gi "
            "helseplager resten av livet. Ingen religion krever det.",
            "Er du redd for at det skal skje med deg eller en du kjenner, for eksempel på "
            "en ferie? Snakk med oss, med helsesykepleieren eller med et NOK-senter.",
        )
        + HELP_NB,
    ),
    (
        "honour_violence",
        "aeresrelatert-vold",
        "Æresrelatert vold",
        "Æresrelatert vold er vold eller trusler for å beskytte familiens ære. Ingen har "
        "lov til å skade deg, uansett hva familien mener.",
        _h2("Hva betyr det?")
        + _p(
            "Noen familier mener at det du gjør, sier fra om hele familien. Hvis du blir "
            "slått, truet, låst inne eller sendt bort fordi familien er redd for hva andre "
            "skal si, er det æresrelatert vold.",
            "Er du i fare nå? Ring politiet på 112.",
        )
        + HELP_NB,
    ),
    (
        "social_control",
        "negativ-sosial-kontroll",
        "Negativ sosial kontroll",
        "Negativ sosial kontroll er når andre passer på deg så mye at du ikke får ta "
        "vanlige valg i ditt eget liv.",
        _h2("Eksempler")
        + _ul(
            "Du får ikke velge klær, venner eller fritidsaktiviteter selv.",
            "Noen sjekker telefonen din eller følger med på hvor du er hele tiden.",
            "Du får ikke være med på klassetur eller svømming.",
            "Du blir truet med å bli sendt til et annet land.",
        )
        + _p(
            "Alle familier har regler. Men du har rett til å bestemme mer og mer selv jo "
            "eldre du blir."
        )
        + HELP_NB,
    ),
    (
        "closed_religious",
        "lukkede-trossamfunn",
        "Lukkede trossamfunn",
        "Vokser du opp i et lukket trossamfunn, kan det være vanskelig å tenke selv eller "
        "å velge et annet liv. Det gjelder mange religioner, også kristne miljøer.",
        _h2("Du har rett til å velge")
        + _p(
            "Du har rett til å tro det du vil, eller å ikke tro. Du har rett til å gå på "
            "skolen, ha venner utenfor miljøet og få hjelp hvis du blir presset eller "
            "straffet fordi du tviler.",
            "Mange er redde for å miste familien hvis de går ut. Vi kan hjelpe deg å "
            "tenke gjennom valgene dine.",
        )
        + HELP_NB,
    ),
    (
        "left_abroad",
        "etterlatt-i-utlandet",
        "Etterlatt i utlandet",
        "Noen unge blir tatt med til et annet land og ikke tatt med hjem igjen. Det kan "
        "være for å gifte seg, eller for å få «oppdragelse».",
        _h2("Før du reiser")
        + _ul(
            "Ta bilde av passet ditt og lagre det et trygt sted.",
            "Skriv ned nummeret til ambassaden og til oss.",
            "Fortell en du stoler på hvor du skal og når du skal komme hjem.",
        )
        + _h2("Er du allerede i utlandet?")
        + _p(
            "Du kan sende oss en melding på WhatsApp. WhatsApp er ikke anonymt, men det "
            "er ofte den enkleste måten å nå oss på fra utlandet. Du kan også kontakte "
            "den norske ambassaden."
        )
        + HELP_NB,
    ),
    (
        "psychological_violence",
        "psykisk-vold",
        "Psykisk vold",
        "Psykisk vold er ord og handlinger som skader deg uten at noen slår. Det kan være "
        "like vondt som fysisk vold.",
        _h2("Eksempler")
        + _ul(
            "Noen kaller deg stygge ting eller gjør deg til latter hele tiden.",
            "Du blir truet, for eksempel med at du skal bli sendt bort.",
            "Du blir holdt utenfor familien, eller ingen snakker med deg.",
        )
        + HELP_NB,
    ),
]

# English versions of three theme pages: code → (slug, title, intro, body).
THEMES_EN: dict[str, tuple[str, str, str, str]] = {
    "forced_marriage": (
        "forced-marriage",
        "Forced marriage",
        "A forced marriage is when someone marries because they are pressured or "
        "threatened into it. It is against the law in Norway.",
        _h2("What is forced marriage?")
        + _p(
            "You decide yourself whether you want to marry, and whom. If your family "
            "pressures you, threatens you or tricks you into marrying, that is force, also "
            "when the marriage is only a religious ceremony."
        )
        + HELP_EN,
    ),
    "social_control": (
        "negative-social-control",
        "Negative social control",
        "Negative social control is when others watch you so closely that you cannot "
        "make ordinary choices in your own life.",
        _h2("Examples")
        + _ul(
            "You may not choose your own clothes, friends or hobbies.",
            "Someone checks your phone or follows where you are all the time.",
            "You are threatened with being sent to another country.",
        )
        + HELP_EN,
    ),
    "left_abroad": (
        "left-abroad",
        "Left behind abroad",
        "Some young people are taken to another country and not brought back home. It "
        "may be to marry, or to be “brought up properly”.",
        _h2("Before you travel")
        + _ul(
            "Take a photo of your passport and keep it somewhere safe.",
            "Write down the number of the embassy and of the helpline.",
            "Tell someone you trust where you are going and when you will be back.",
        )
        + _h2("Already abroad?")
        + _p(
            "You can send us a message on WhatsApp. WhatsApp is not anonymous, but it is "
            "often the easiest way to reach us from abroad."
        )
        + HELP_EN,
    ),
}

HISTORY_NB = (
    _p(
        "Nettleseren husker hvilke sider du har besøkt. Er du redd for at noen sjekker "
        "telefonen din, kan du slette spor etter besøket her. Du kan også bruke et "
        "privat vindu (inkognito), så blir ingenting lagret når du lukker det."
    )
    + _h2("Hva denne siden gjør for deg")
    + _ul(
        "Knappen «Gå ut raskt» tar deg til en annen side med én gang. Du kan også trykke "
        "Shift tre ganger.",
        "Når du går mellom våre sider, legger ikke siden nye steg i historikken. Trykker "
        "du Tilbake etter å ha gått ut raskt, kommer du ikke tilbake hit.",
        "Vi lagrer ingen informasjonskapsler (cookies) og ingenting annet på telefonen din.",
    )
    + _h2("Hva siden ikke kan gjøre")
    + _p(
        "Sidene du har lest hos oss står likevel i nettleserens logg (historikk), selv om "
        "Tilbake-knappen ikke tar deg hit. Nettleseren kan også foreslå adressen vår når "
        "noen begynner å skrive i adressefeltet. Har noen tilgang til ruteren hjemme eller "
        "på skolen, eller et overvåkingsprogram på telefonen, kan de se at du har vært "
        "her. Slett derfor historikken når du er ferdig, eller bruk et privat vindu."
    )
    + _h2("iPhone (Safari)")
    + _ul(
        "Åpne Innstillinger og velg Safari.",
        "Trykk «Fjern historikk og nettstedsdata».",
        "Vil du bare slette noen sider: åpne Safari, trykk på bok-ikonet og så "
        "klokke-ikonet, og sveip til venstre på siden du vil fjerne.",
    )
    + _h2("Android (Chrome)")
    + _ul(
        "Åpne Chrome og trykk på de tre prikkene.",
        "Velg «Logg», og trykk på krysset ved siden av sidene du vil fjerne.",
        "Eller velg «Slett nettleserdata» for å slette alt.",
    )
    + _h2("Samsung Internett")
    + _ul(
        "Trykk på menyen (tre streker) og velg «Logg».",
        "Trykk lenge på en side for å slette den, eller velg «Slett logg» for alt.",
    )
    + _h2("Firefox")
    + _ul(
        "Trykk på de tre prikkene og velg «Logg».",
        "Trykk på krysset ved siden av en side, eller slett hele loggen.",
    )
    + _h2("Datamaskin")
    + _p(
        "I de fleste nettlesere åpner du historikken med Ctrl + H (Cmd + Y på Mac). Der kan "
        "du slette enkeltsider eller alt."
    )
)
HISTORY_EN = (
    _p(
        "Your browser remembers the pages you have visited. If you are afraid someone "
        "checks your phone, you can remove the traces of your visit here. You can also "
        "use a private (incognito) window: nothing is kept when you close it."
    )
    + _h2("What this site does for you")
    + _ul(
        "The “Leave quickly” button takes you to another site at once. You can also press "
        "Shift three times.",
        "Moving between our pages adds no new steps to the history. If you press Back "
        "after leaving quickly, you do not come back here.",
        "We store no cookies and nothing else on your phone.",
    )
    + _h2("What the site cannot do")
    + _p(
        "The pages you read here are still in the browser's history list, even though the "
        "Back button does not bring you here. The browser may also suggest our address "
        "when someone starts typing in the address bar. Someone with access to the router "
        "at home or at school, or to monitoring software on the phone, can see that you "
        "visited. So clear the history when you are done, or use a private window."
    )
    + _h2("iPhone (Safari)")
    + _ul(
        "Open Settings and choose Safari.",
        "Tap “Clear History and Website Data”.",
        "To remove only some pages: open Safari, tap the book icon and then the clock "
        "icon, and swipe left on the page you want to remove.",
    )
    + _h2("Android (Chrome)")
    + _ul(
        "Open Chrome and tap the three dots.",
        "Choose “History” and tap the cross next to the pages you want to remove.",
        "Or choose “Delete browsing data” to remove everything.",
    )
    + _h2("Samsung Internet")
    + _ul(
        "Tap the menu (three lines) and choose “History”.",
        "Long-press a page to delete it, or choose “Clear history” for everything.",
    )
    + _h2("Firefox")
    + _ul(
        "Tap the three dots and choose “History”.",
        "Tap the cross next to a page, or delete the whole history.",
    )
)

PRIVACY_NB = _p(
    "Vi setter ingen informasjonskapsler (cookies) og bruker ingen analyseverktøy fra "
    "andre. Vi teller bare hvor mange som har sett hver side per dag. Vi lagrer ikke "
    "IP-adressen din eller noe annet som kan vise hvem du er.",
    "Videoer fra YouTube eller Vimeo lastes først når du trykker på dem. Før det får de "
    "ikke vite at du er her.",
    "I chatten er du anonym. Skriv bare det du selv vil dele.",
)
PRIVACY_EN = _p(
    "We set no cookies and use no analytics tool from anyone else. We only count how many "
    "times each page was seen per day. We keep neither your IP address nor anything else "
    "that could show who you are.",
    "Videos from YouTube or Vimeo load only when you tap them. Until then they do not know "
    "you are here.",
)


def _locales() -> tuple[Locale, Locale]:
    nb, _ = Locale.objects.get_or_create(language_code="nb")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nb, en


def _root(locale: Locale) -> Page:
    root = Page.objects.filter(depth=1).first()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def _child(parent: Page, model: type[Page], slug: str, **fields: Any) -> Any:
    """The child of `parent` with `slug`, created and published if it is not there."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    # Added live, without a revision: publishing each page through a revision would
    # triple the demo's saves, and the first edit in the admin makes a revision anyway.
    page = model(slug=slug, locale=parent.locale, live=True, **fields)
    parent.add_child(instance=page)
    return page


def _translation(
    source: Page, parent: Page, locale: Locale, model: type[Page], slug: str, **fields: Any
) -> Any:
    """The version of `source` in `locale` under `parent`, created if it is not there."""
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    page = model(
        slug=slug, locale=locale, translation_key=source.translation_key, live=True, **fields
    )
    parent.add_child(instance=page)
    return page


def _site(home: Page) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "Hjelpelinjen"
    site.save()
    return site


def _remove_welcome_page(root: Page) -> None:
    # Wagtail's first migration puts a plain "Welcome to your new Wagtail site!" page
    # under the root; our home page replaces it.
    plain = ContentType.objects.get_for_model(Page)
    for page in root.get_children().filter(content_type=plain):
        if not page.get_children().exists():
            page.delete()


def load(stdout: IO[str] | Any = None) -> dict[str, Any]:
    """Build the demo website; returns its pages by a short key (see the end)."""
    nb, en = _locales()
    root = _root(nb)
    home = root.get_children().type(HomePage).filter(locale=nb).first()
    if home is None:
        home = _child(
            root,
            HomePage,
            "hjelpelinjen",
            title="Hjelpelinjen",
            seo_title="Hjelp mot negativ sosial kontroll og æresrelatert vold",
            search_description="Anonym chat og telefon for unge og voksne som "
            "opplever tvang, kontroll eller vold fra familien. Du er ikke alene.",
            intro="Bestemmer familien hvem du skal gifte deg med, hvem du kan være venn "
            "med eller hva du skal ha på deg? Du er ikke alene. Snakk med oss på chat "
            "eller telefon. Du kan være anonym.",
            body=_p(
                "Vi hjelper unge og voksne som opplever tvang, kontroll eller vold fra "
                "familien. Vi hjelper også venner, familie og fagfolk som er bekymret for "
                "noen.",
                "Samtalen er gratis. Vi har taushetsplikt. Vi bestemmer ingenting for deg.",
            ),
        )
    home = home.specific
    _site(home)
    _remove_welcome_page(root)

    pages: dict[str, Any] = {"home": home}
    for code, slug, title, intro, body in THEMES_NB:
        pages[f"theme:{code}"] = _child(
            home, ThemePage, slug, title=title, theme_code=code, intro=intro, body=body
        )
    pages["professionals"] = _child(
        home,
        ProfessionalsPage,
        "for-fagfolk",
        title="For fagfolk",
        show_in_menus=True,
        intro="Er du lærer, helsesykepleier, ansatt i Nav, barnevernet eller politiet, "
        "og bekymret for noen? Ring oss for råd, anonymt om du vil.",
        body=_h2("Vi bygger bro")
        + _p(
            "Noen av dem vi hjelper synes det er vanskelig å møte hjelpeapparatet. De "
            "forstår ikke alltid hvordan systemet virker, føler seg ikke forstått, eller har "
            "blitt avvist før. Da kan vi være en bro mellom personen og det offentlige.",
            "Vi kan bli med på møter med for eksempel Nav, barnevernet, bydelen eller "
            "lege, gjøre kommunikasjonen tydeligere og følge opp etterpå.",
        )
        + _h2("Dette kan vi hjelpe deg med")
        + _ul(
            "Råd og veiledning i en konkret sak, også anonymt.",
            "Vurdering av risiko, og hvem som bør kobles inn: Kompetanseteamet, "
            "krisesenter, mangfoldsrådgiver, NOK-senter eller politi.",
            "Foredrag og kurs for skoler, tjenester og organisasjoner.",
        )
        + _h2("Husk avvergeplikten")
        + _p(
            "Alle har plikt til å prøve å hindre et tvangsekteskap eller kjønnslemlestelse "
            "som er i ferd med å skje, for eksempel ved å varsle politiet."
        ),
    )
    pages["about"] = _child(
        home,
        AboutPage,
        "om-oss",
        title="Om oss og kontakt",
        show_in_menus=True,
        intro="Vi er en landsdekkende hjelpelinje om negativ sosial kontroll og "
        "æresrelatert vold. Tre rådgivere og en leder svarer på telefon og chat.",
        address=DEMO_ADDRESS,
        walk_in="Du kan komme innom kontoret vårt i Oslo sentrum i åpningstiden. Ring "
        "gjerne først, så vet vi at du kommer.",
        email="post@hjelpelinjen.example",
        body=_h2("Slik når du oss")
        + _ul(
            "Telefon og chat: anonymt.",
            "E-post: du kan skrive når som helst, vi svarer i åpningstiden.",
            "WhatsApp: for deg som er i utlandet. WhatsApp er ikke anonymt.",
        ),
    )
    pages["news_index"] = _child(
        home,
        NewsIndexPage,
        "nyheter",
        title="Nyheter",
        show_in_menus=True,
        intro="Nytt fra hjelpelinjen.",
    )
    pages["news:1"] = _child(
        pages["news_index"],
        NewsPage,
        "lengre-apent-pa-torsdager",
        title="Lengre åpent på torsdager",
        date=datetime.date(2023, 9, 1),
        intro="Nå kan du ringe og chatte med oss til klokka 18 på torsdager.",
        body=_p("Resten av uka har vi åpent fra 9 til 16, som før."),
    )
    pages["news:2"] = _child(
        pages["news_index"],
        NewsPage,
        "kampanje-etterlatt-i-utlandet",
        title="Ny kampanje: Etterlatt i utlandet",
        date=datetime.date(2023, 6, 9),
        intro="Skal du på sommerferie og er redd for ikke å komme hjem igjen? Snakk med "
        "oss før du reiser.",
        body=_p("Les mer på siden om å bli etterlatt i utlandet."),
    )
    pages["video"] = _child(
        home,
        VideoPage,
        "video-hva-er-sosial-kontroll",
        title="Video: Hva er negativ sosial kontroll?",
        intro="En kort video der to unge forteller om et liv med strenge regler hjemme.",
        provider=PROVIDER_YOUTUBE,
        video_id=DEMO_VIDEO_ID,
        transcript=_p(
            "Amina: Jeg måtte alltid si hvor jeg var. Broren min sjekket telefonen min.",
            "Jonas: Jeg fikk ikke bli med på klassetur. Jeg trodde det var sånn for alle.",
            "Fortelleren: Kjenner du deg igjen? Du kan snakke med oss. Du kan være anonym.",
        ),
    )
    pages["history"] = _child(
        home,
        InfoPage,
        "slett-historikken",
        title="Slik sletter du nettleserhistorikken",
        show_in_menus=True,
        footer_role=ROLE_HISTORY,
        intro="Slik fjerner du spor etter at du har vært på denne siden.",
        body=HISTORY_NB,
    )
    pages["privacy"] = _child(
        home,
        InfoPage,
        "personvern",
        title="Personvern",
        footer_role=ROLE_PRIVACY,
        intro="Dette lagrer vi, og dette lagrer vi ikke.",
        body=PRIVACY_NB,
    )

    # The English key pages, each a translation of its Norwegian original.
    en_home = _translation(
        home,
        root,
        en,
        HomePage,
        "helpline-en",
        title="The Helpline",
        seo_title="Help with negative social control and honour-related violence",
        search_description="Anonymous chat and phone for young people and adults who "
        "face force, control or violence from their family. You are not alone.",
        intro="Does your family decide whom you marry, who your friends are or what you "
        "wear? You are not alone. Talk to us by chat or phone. You can stay anonymous.",
        body=_p(
            "We help young people and adults who face force, control or violence from their "
            "family. We also help friends, relatives and professionals who are worried about "
            "someone.",
        ),
    )
    pages["en:home"] = en_home
    for code, (slug, title, intro, body) in THEMES_EN.items():
        pages[f"en:theme:{code}"] = _translation(
            pages[f"theme:{code}"],
            en_home,
            en,
            ThemePage,
            slug,
            title=title,
            theme_code=code,
            intro=intro,
            body=body,
        )
    pages["en:professionals"] = _translation(
        pages["professionals"],
        en_home,
        en,
        ProfessionalsPage,
        "professionals",
        title="For professionals",
        show_in_menus=True,
        intro="Are you a teacher, school nurse, or work for NAV, child welfare or the "
        "police, and worried about someone? Call us for advice, anonymously if you wish.",
        body=_h2("We build bridges")
        + _p(
            "Some of the people we help find it hard to deal with public services. They may "
            "not understand the system, not feel understood, or have been turned away. Then "
            "we can be a bridge between the person and the services, and come along to "
            "meetings."
        ),
    )
    pages["en:about"] = _translation(
        pages["about"],
        en_home,
        en,
        AboutPage,
        "about",
        title="About us and contact",
        show_in_menus=True,
        intro="We are a national helpline on negative social control and honour-related violence.",
        address=DEMO_ADDRESS,
        walk_in="You can visit our office in central Oslo during opening hours. Please call "
        "first so we know you are coming.",
        email="post@hjelpelinjen.example",
    )
    pages["en:history"] = _translation(
        pages["history"],
        en_home,
        en,
        InfoPage,
        "clear-browser-history",
        title="How to clear your browser history",
        show_in_menus=True,
        footer_role=ROLE_HISTORY,
        intro="How to remove the traces of your visit to this site.",
        body=HISTORY_EN,
    )
    pages["en:privacy"] = _translation(
        pages["privacy"],
        en_home,
        en,
        InfoPage,
        "privacy",
        title="Privacy",
        footer_role=ROLE_PRIVACY,
        intro="What we keep, and what we do not.",
        body=PRIVACY_EN,
    )
    if stdout is not None:
        stdout.write(f"Website: {len(pages)} demo pages in Norwegian and English.\n")
    # The editors' groups hold page permissions on the tree's root: a tree built anew (a
    # fresh database, a test that emptied every table) needs them given again.
    from hjelpelinje.site.roles import sync_wagtail_groups

    sync_wagtail_groups()
    return pages
