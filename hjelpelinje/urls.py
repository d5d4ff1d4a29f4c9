"""Where everything lives.

Two halves that never share a cookie:

- **Staff** pages are all under `/staff/` (`STAFF_PREFIX`): the console, the register,
  follow-up, statistics, the hours, the website's editor (Wagtail's admin at
  `/staff/cms/`) and the staff chat socket (`/staff/ws/chat/`). The session, CSRF and
  language cookies are set with `Path=/staff/`, so a browser never sends them anywhere
  else.
- **Public** pages are everything else: the website (Wagtail's pages, `/` in Norwegian and
  `/en/` in English), the chat at `/chat/` and its socket at `/ws/chat/visitor/`, the
  chat's live state, and `/health/`. No public page sets or reads a cookie.
"""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from hjelpelinje.chat import views as chat_views
from hjelpelinje.core import views as core_views
from hjelpelinje.core.middleware import STAFF_PREFIX
from hjelpelinje.site import launcher, wellknown
from hjelpelinje.site import views as site_views

staff_patterns: list[URLPattern | URLResolver] = [
    path("", core_views.home, name="home"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("hjelpelinje.accounts.urls")),
    path("codes/", include("hjelpelinje.taxonomy.urls")),
    path("inquiries/", include("hjelpelinje.inquiries.urls")),
    path("users/", include("hjelpelinje.followup.urls")),
    path("audit/", include("hjelpelinje.audit.urls")),
    path("hours/", include("hjelpelinje.hours.urls")),
    path("chat/", include("hjelpelinje.chat.urls")),
    path("outreach/", include("hjelpelinje.outreach.urls")),
    path("reports/", include("hjelpelinje.reporting.urls")),
    path("website/", include("hjelpelinje.site.visits.urls")),
    # Wagtail's admin, behind Hjelpelinje's own login (hjelpelinje/site/editing_urls.py).
    path("cms/", include("hjelpelinje.site.editing_urls")),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
    # For crawlers and browsers, at the addresses they ask for (hjelpelinje/site/wellknown.py).
    path("robots.txt", wellknown.robots_txt, name="robots_txt"),
    path("sitemap.xml", wellknown.sitemap_xml, name="sitemap"),
    path("favicon.ico", wellknown.favicon, name="favicon"),
    path(".well-known/security.txt", wellknown.security_txt, name="security_txt"),
    path("chat/", chat_views.visitor, name="chat_visitor"),
    path("chat/state/", launcher.state, name="chat_state"),
    path("chat/end/", chat_views.visitor_end, name="chat_visitor_end"),
    path("documents/", include(wagtaildocs_urls)),
    path(STAFF_PREFIX.strip("/") + "/", include(staff_patterns)),
]
# The website's pages, last: Wagtail answers every path not matched above. Norwegian at
# the root, English under /en/.
urlpatterns += i18n_patterns(
    # Before Wagtail's own: its front-end login and page passwords are not served (a 404,
    # as any page that is not there).
    path("_util/login/", site_views.not_served),
    path("_util/authenticate_with_password/<int:restriction>/<int:page>/", site_views.not_served),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# The error pages render without context processors (hjelpelinje/site/views.py).
handler404 = "hjelpelinje.site.views.page_not_found"
handler500 = "hjelpelinje.site.views.server_error"
