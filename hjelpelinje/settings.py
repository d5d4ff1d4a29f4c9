"""Hjelpelinje's settings: everything comes from the environment, safe by default.

`DEBUG` is off unless the environment turns it on (`make run` does). With `DEBUG` off a
`SECRET_KEY` and the field-encryption keys must be given, or the process refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HJELPELINJE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-make-run-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Field encryption keys (Fernet), newest first. `make run` generates one into var/.
HJELPELINJE_FIELD_KEYS = env_list("HJELPELINJE_FIELD_KEYS")
if not HJELPELINJE_FIELD_KEYS:
    key_file = VAR_DIR / "field_keys"
    if DEBUG and key_file.exists():
        HJELPELINJE_FIELD_KEYS = [k for k in key_file.read_text().split() if k]
    else:
        raise ImproperlyConfigured(
            "HJELPELINJE_FIELD_KEYS must be set: comma-separated Fernet keys, newest first."
        )

# Two-factor login is required for every staff account unless DEBUG is on; it can be
# forced on in development with HJELPELINJE_REQUIRE_2FA=1.
HJELPELINJE_REQUIRE_2FA = env_bool("HJELPELINJE_REQUIRE_2FA", default=not DEBUG)

INSTALLED_APPS = [
    "hjelpelinje.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "channels",
    "django_htmx",
    "hjelpelinje.core",
    "hjelpelinje.audit",
    "hjelpelinje.taxonomy",
    "hjelpelinje.inquiries",
    "hjelpelinje.followup",
    "hjelpelinje.hours",
    "hjelpelinje.chat",
    "hjelpelinje.inbox",
    "hjelpelinje.outreach",
    "hjelpelinje.reporting",
    # The public website (hjelpelinje/site): Wagtail for its pages, edited under /staff/cms/.
    "hjelpelinje.site",
    "hjelpelinje.site.visits",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

MIDDLEWARE = [
    # Counting comes first so it sees every public page view, cached or not, and costs
    # nothing else a request does (hjelpelinje/site/visits).
    "hjelpelinje.site.visits.middleware.CountingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Public pages: strict headers, no cookies, served from the page cache.
    "hjelpelinje.site.middleware.PublicPageMiddleware",
    # Django's, except that a request a page makes by itself renews no session.
    "hjelpelinje.core.sessions.PersonSessionMiddleware",
    "hjelpelinje.core.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hjelpelinje.site.editing.EditingGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hjelpelinje.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hjelpelinje.urls"
ASGI_APPLICATION = "hjelpelinje.asgi.application"
WSGI_APPLICATION = "hjelpelinje.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hjelpelinje" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hjelpelinje.accounts.context_processors.permissions",
                "hjelpelinje.site.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hjelpelinje.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before its first use in each request or socket
        # call: after a database restart the first socket on each worker thread would
        # otherwise fail on a connection that died with the old server.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes without activity: each request a person makes renews the
# expiry (not the editor's own pings: hjelpelinje/core/sessions.py).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions whose renewal never fails a page (hjelpelinje/core/sessions.py).
SESSION_ENGINE = "hjelpelinje.core.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Staff cookies are sent to staff pages only (hjelpelinje/urls.py): a visitor's browser on
# the public website never carries a staff session, a CSRF token or a language choice.
SESSION_COOKIE_PATH = "/staff/"
CSRF_COOKIE_PATH = "/staff/"
LANGUAGE_COOKIE_PATH = "/staff/"

# Lockout after repeated failed logins (django-axes): five failures lock the
# username for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Axes must not keep visitors' IP addresses or user agents beyond what lockout needs.
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
# Lockout is by username alone on purpose: staff sign in from shared office and phone
# networks, and rotating addresses must not reset the count for an account under attack.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "Hjelpelinje"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hjelpelinje" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "hjelpelinje" / "static"]

REDIS_URL = os.environ.get("REDIS_URL", "")
# Pub/sub channels are shared by all databases of a Redis server: installations (or test
# runs) that share one server need a prefix of their own.
REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "hjelpelinje")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: a message to a group is one PUBLISH, and each process reads
            # every message of its sockets from one subscription. The list-based layer
            # (channels_redis.core) hands its receive lock from socket to socket, a few
            # Redis round trips per message delivered, and with a thousand open chats one
            # process fell seconds behind (see benchmarks/chat_bench.py). Nothing is lost
            # by pub/sub's at-most-once delivery: every message is stored first, and a
            # page that reconnects catches up from the database.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL}], "prefix": f"{REDIS_PREFIX}:chat"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Every worker must see the same cache (drawn charts, the statistics of a year), so with
# Redis the cache lives there; a single `make run` process keeps it in memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The public website (docs/website.md).
WAGTAIL_SITE_NAME = "Hjelpelinje"
WAGTAILADMIN_BASE_URL = os.environ.get("HJELPELINJE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp4", "webm", "vtt"]
# A document or image in use on a live page is replaced or deleted only by someone who may
# publish, and audited (hjelpelinje/site/media.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "hjelpelinje.site.media_forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "hjelpelinje.site.media_forms.ImageForm"
# Wagtail's admin is reached through Hjelpelinje's own login with its second factor
# (hjelpelinje/site/editing.py, docs/editing.md): Wagtail's login, password reset and
# password or e-mail management are never a second door into the staff pages.
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
# No moderation workflow: counsellors save drafts, managers publish them (docs/editing.md).
WAGTAIL_WORKFLOW_ENABLED = False
# /.well-known/security.txt (RFC 9116): where to report a security problem, and until when
# that holds (an ISO 8601 date or date-time, under a year ahead). Both must be set for the
# file to be served; `hjelpelinje check --deploy` warns when either is missing or stale.
# Contact is one or more URIs, comma-separated: "mailto:security@example.org".
HJELPELINJE_SECURITY_CONTACT = env_list("HJELPELINJE_SECURITY_CONTACT")
HJELPELINJE_SECURITY_EXPIRES = os.environ.get("HJELPELINJE_SECURITY_EXPIRES", "")
# Visit counting (docs/visits.md): on unless turned off; counters are written to the
# database in batches this many seconds apart (and when the server stops, asgi.py).
HJELPELINJE_VISITS_COUNTING = env_bool("HJELPELINJE_VISITS_COUNTING", default=True)
HJELPELINJE_VISITS_FLUSH_SECONDS = float(os.environ.get("HJELPELINJE_VISITS_FLUSH_SECONDS", "20"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Security headers; the strict ones only when served over HTTPS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no referrer at all browsers send `Origin: null`
# on form posts, which Django's CSRF check rightly refuses. Other sites still learn nothing.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs never carry personal data: request bodies are never logged, and the server's
# request log is left to the reverse proxy, which is told not to keep client addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One short line at most for what an attacker sends for free (hjelpelinje/core/logs.py).
    "filters": {
        "short_database_faults": {"()": "hjelpelinje.core.dbfaults.ShortDatabaseFaults"},
        "short_lines": {"()": "hjelpelinje.core.logs.ShortLines"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["short_lines"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["short_database_faults"],
        },
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint and fontTools narrate every page they lay out at INFO.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The helpline's phone number, shown on the chat page when the chat is closed.
HJELPELINJE_PHONE_NUMBER = os.environ.get("HJELPELINJE_PHONE_NUMBER", "")
# Which sites may show the chat in a frame (CSP frame-ancestors), e.g.
# "https://www.example.org"; none by default.
HJELPELINJE_CHAT_FRAME_ANCESTORS = os.environ.get("HJELPELINJE_CHAT_FRAME_ANCESTORS", "")
# Where the chat's quick exit sends a visitor: a neutral page.
HJELPELINJE_EXIT_URL = os.environ.get("HJELPELINJE_EXIT_URL", "https://www.yr.no/")
# Small-number protection in published reports: counts below this are shown as "<N".
HJELPELINJE_REPORT_MIN_COUNT = int(os.environ.get("HJELPELINJE_REPORT_MIN_COUNT", "0"))
# The audit log's witness: its length and last hash at the last `verify_audit`, kept
# outside the database so a log cut short is noticed. Put it where a database user cannot
# write (another disk or host is better still).
HJELPELINJE_AUDIT_WITNESS = Path(
    os.environ.get("HJELPELINJE_AUDIT_WITNESS", VAR_DIR / "audit-witness.json")
)

# The written channels (docs/written-channels.md). E-mail in: the mailbox fetch_mail reads
# (imaps://user:password@host/INBOX), what happens to a mail on the server once it is
# stored ("delete" or "move:FOLDER"), the largest mail downloaded (larger ones stay on the
# server and the inbox names them), and how often --watch looks when the server has no IDLE.
HJELPELINJE_IMAP_URL = os.environ.get("HJELPELINJE_IMAP_URL", "")
HJELPELINJE_IMAP_AFTER = os.environ.get("HJELPELINJE_IMAP_AFTER", "delete")
HJELPELINJE_MAIL_MAX_MB = float(os.environ.get("HJELPELINJE_MAIL_MAX_MB", "25"))
HJELPELINJE_IMAP_POLL_SECONDS = float(os.environ.get("HJELPELINJE_IMAP_POLL_SECONDS", "60"))

# Every input bounded (see hjelpelinje/core/bounds.py and core/tabular.py).
# Dates before 1 January of this year are refused in every form, filter and import.
HJELPELINJE_FIRST_YEAR = int(os.environ.get("HJELPELINJE_FIRST_YEAR", "2000"))
# The largest spreadsheet an import accepts, in megabytes; the upload is cut off beyond it.
HJELPELINJE_UPLOAD_MAX_MB = int(os.environ.get("HJELPELINJE_UPLOAD_MAX_MB", "50"))
# A spreadsheet declaring more rows or columns than this is refused before it is read.
HJELPELINJE_IMPORT_MAX_ROWS = int(os.environ.get("HJELPELINJE_IMPORT_MAX_ROWS", "500000"))
HJELPELINJE_IMPORT_MAX_COLUMNS = int(os.environ.get("HJELPELINJE_IMPORT_MAX_COLUMNS", "100"))
# Form fields other than files: Django's default of 2.5 MB, said out loud. Files above
# the in-memory size go to a temporary file; the handler first in line refuses any upload
# larger than HJELPELINJE_UPLOAD_MAX_MB while it arrives.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "hjelpelinje.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
