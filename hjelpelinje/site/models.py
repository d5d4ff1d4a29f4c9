"""The website's page types.

Every page is edited by the team in Wagtail's admin. The bodies are rich text limited to
headings, paragraphs, lists and links: no embedded third-party content, because any
request to another host from a public page tells that host who reads about honour-related
violence. The one exception is the video page's click-to-load embed, which requests
nothing from the video host until the visitor has clicked (see site/static/site/video.js).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images.widgets import AdminImageChooser
from wagtail.models import Page

if TYPE_CHECKING:
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

# What an editor may put in a body: no images or embeds from other hosts.
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# The themes of the code list (hjelpelinje/taxonomy/seed.py, list "theme"), except
# "other": one theme page each, found by its stable code.
THEME_CHOICES = [
    ("forced_marriage", _("Tvangsekteskap")),
    ("fgm", _("Kjønnslemlestelse")),
    ("honour_violence", _("Æresrelatert vold")),
    ("social_control", _("Negativ sosial kontroll")),
    ("closed_religious", _("Lukket trossamfunn")),
    ("left_abroad", _("Etterlatt i utlandet")),
    ("psychological_violence", _("Psykisk vold")),
]

PROVIDER_YOUTUBE = "youtube"
PROVIDER_VIMEO = "vimeo"
PROVIDER_CHOICES = [(PROVIDER_YOUTUBE, "YouTube"), (PROVIDER_VIMEO, "Vimeo")]
# A video id goes into a URL on the video host; only the characters the hosts use.
VIDEO_ID_PATTERNS = {
    PROVIDER_YOUTUBE: re.compile(r"^[A-Za-z0-9_-]{6,20}$"),
    PROVIDER_VIMEO: re.compile(r"^[0-9]{3,15}$"),
}


class ShareImageChooser(AdminImageChooser):
    """Wagtail's image chooser without its inline script, which the staff pages' CSP
    (script-src 'self') blocks: a marker instead, which site/static/site/editing/choosers.js
    turns into the same `new ImageChooser(id, options)`."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        id_ = attrs["id"]
        value_data = self.get_value_data(value)
        options = json.dumps(self.get_js_init_options(id_, name, value_data))
        marker = format_html(
            '<span hidden data-hjelpelinje-chooser="ImageChooser" data-target="{}" '
            'data-config="{}"></span>',
            id_,
            options,
        )
        return self.render_html(name, value_data, attrs) + marker


class PageForm(WagtailAdminPageForm):
    """The editor's form for every page type: a page is not published without its search
    description. A draft may still be saved without one: Wagtail defers a required field
    to the publish for drafts (`defer_required_fields`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "search_description" in self.fields:
            self.fields["search_description"].required = True


class BasicPage(Page):
    """What every page type has: a short lead paragraph and a body, and what search
    engines and shared links show of it (site/seo.py)."""

    intro: models.TextField[str, str] = models.TextField(
        _("ingress"), blank=True, help_text=_("Ett eller to korte avsnitt øverst på siden.")
    )
    body = RichTextField(_("innhold"), blank=True, features=BODY_FEATURES)
    share_image: models.ForeignKey[Image | None, Image | None] = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("bilde når siden deles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Vises når noen deler en lenke til siden (Facebook, Snapchat, meldinger). "
            "Beskjæres til 1200 × 630 punkter. Uten bilde brukes forsidens, ellers logoen."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel(
                    "search_description",
                    help_text=_(
                        "Et par setninger som vises under tittelen i søkeresultater og når "
                        "siden deles. Kreves for å publisere; skriv under 155 tegn."
                    ),
                ),
                FieldPanel("share_image", widget=ShareImageChooser),
            ],
            heading=_("For søkemotorer og deling"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("Meny")),
    ]
    base_form_class = PageForm
    search_fields = list(Page.search_fields)

    class Meta:
        abstract = True


class HomePage(BasicPage):
    """The root of the site in each language: what the helpline is, and the themes."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "website.ThemePage",
        "website.ProfessionalsPage",
        "website.AboutPage",
        "website.NewsIndexPage",
        "website.VideoPage",
        "website.InfoPage",
    ]
    template = "site/home_page.html"

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["themes"] = ThemePage.objects.child_of(self).live().order_by("path")
        context["news"] = NewsPage.objects.descendant_of(self).live().order_by("-date", "-pk")[:3]
        return context


class ThemePage(BasicPage):
    """One theme of the code list: what it is, your rights, where to get help."""

    theme_code: models.CharField[str, str] = models.CharField(
        _("tema"),
        max_length=40,
        choices=THEME_CHOICES,
        help_text=_("Hvilket tema i kodelisten siden handler om."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme_code"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.InfoPage", "website.VideoPage"]
    template = "site/theme_page.html"

    class Meta:
        verbose_name = _("temaside")


class ProfessionalsPage(BasicPage):
    """For teachers, school nurses, NAV, police: how the helpline bridges to services."""

    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.InfoPage"]
    template = "site/professionals_page.html"

    class Meta:
        verbose_name = _("side for fagfolk")


class AboutPage(BasicPage):
    """About us and contact, with the office address for walk-ins."""

    address: models.TextField[str, str] = models.TextField(
        _("besøksadresse"), blank=True, help_text=_("Adressen til kontoret, én linje per linje.")
    )
    walk_in: models.TextField[str, str] = models.TextField(
        _("om å komme innom"),
        blank=True,
        help_text=_("Hvordan man kommer innom kontoret, for eksempel om man må avtale først."),
    )
    email: models.EmailField[str, str] = models.EmailField(_("e-post"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("walk_in"), FieldPanel("email")],
            heading=_("Kontakt"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.InfoPage"]
    template = "site/about_page.html"

    class Meta:
        verbose_name = _("om oss / kontakt")


class NewsIndexPage(BasicPage):
    """The list of news, newest first."""

    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.NewsPage", "website.VideoPage"]
    template = "site/news_index_page.html"

    class Meta:
        verbose_name = _("nyhetsoversikt")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["news"] = NewsPage.objects.child_of(self).live().order_by("-date", "-pk")
        return context


class NewsPage(BasicPage):
    """One piece of news."""

    date: models.DateField[datetime.date, datetime.date] = models.DateField(_("dato"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "site/news_page.html"

    class Meta:
        verbose_name = _("nyhet")


class VideoPage(BasicPage):
    """A video: self-hosted with captions, or a click-to-load embed.

    A self-hosted video is a Wagtail document (mp4 or webm) with a WebVTT document for
    its captions. An embed names the provider and the video's id; the page shows a button,
    and only a click loads the player from the host (site/static/site/video.js). Without
    JavaScript the visitor gets a plain link to the video on the host, labelled as leaving
    the site.
    """

    video_file: models.ForeignKey[Document | None, Document | None] = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("videofil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("En mp4- eller webm-fil lastet opp som dokument."),
    )
    captions: models.ForeignKey[Document | None, Document | None] = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("teksting (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tekstingen som en .vtt-fil lastet opp som dokument."),
    )
    provider: models.CharField[str, str] = models.CharField(
        _("videotjeneste"), max_length=10, choices=PROVIDER_CHOICES, blank=True
    )
    video_id: models.CharField[str, str] = models.CharField(
        _("video-id hos tjenesten"),
        max_length=20,
        blank=True,
        help_text=_("For eksempel delen etter «v=» i en YouTube-adresse."),
    )
    transcript = RichTextField(
        _("tekstversjon"),
        blank=True,
        features=BODY_FEATURES,
        help_text=_("Det som blir sagt i videoen, for dem som ikke kan se eller høre den."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("video_file"), FieldPanel("captions")],
            heading=_("Video på vår egen server"),
        ),
        MultiFieldPanel(
            [FieldPanel("provider"), FieldPanel("video_id")],
            heading=_("Eller: video hos YouTube eller Vimeo, lastes først ved klikk"),
        ),
        FieldPanel("transcript"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.HomePage", "website.ThemePage", "website.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "site/video_page.html"

    class Meta:
        verbose_name = _("videoside")

    def clean(self) -> None:
        super().clean()
        if bool(self.provider) != bool(self.video_id):
            raise ValidationError(_("Velg både videotjeneste og video-id, eller ingen av dem."))
        if self.provider and not VIDEO_ID_PATTERNS[self.provider].match(self.video_id):
            raise ValidationError({"video_id": _("Denne video-id-en ser ikke riktig ut.")})
        if self.video_file_id and self.provider:
            raise ValidationError(_("Velg enten en egen videofil eller en video hos en tjeneste."))

    @property
    def embed_url(self) -> str:
        """The player's address; the browser asks for it only after the click."""
        if self.provider == PROVIDER_YOUTUBE:
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        if self.provider == PROVIDER_VIMEO:
            return f"https://player.vimeo.com/video/{self.video_id}?dnt=1"
        return ""

    @property
    def host_url(self) -> str:
        """The video on the host's own site: the fallback link without JavaScript."""
        if self.provider == PROVIDER_YOUTUBE:
            return f"https://www.youtube.com/watch?v={self.video_id}"
        if self.provider == PROVIDER_VIMEO:
            return f"https://vimeo.com/{self.video_id}"
        return ""


ROLE_HISTORY = "browser_history"
ROLE_PRIVACY = "privacy"
ROLE_CHOICES = [
    (ROLE_HISTORY, _("Slik sletter du nettleserhistorikken")),
    (ROLE_PRIVACY, _("Personvern")),
]


class InfoPage(BasicPage):
    """A plain page: clearing the browser history, privacy, and the like."""

    # The footer links to these two on every page; a role rather than a slug, so an
    # editor may rename the page without breaking the footer.
    footer_role: models.CharField[str, str] = models.CharField(
        _("lenke i bunnen av siden"),
        max_length=20,
        choices=ROLE_CHOICES,
        blank=True,
        help_text=_("Bunnen av hver side lenker til siden med denne rollen."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("footer_role"),
    ]

    parent_page_types = [
        "website.HomePage",
        "website.ThemePage",
        "website.ProfessionalsPage",
        "website.AboutPage",
        "website.InfoPage",
    ]
    subpage_types = ["website.InfoPage"]
    template = "site/info_page.html"

    class Meta:
        verbose_name = _("informasjonsside")
