"""Newsroom settings: everything that differs between machines comes from the environment.

Production defaults are safe: DEBUG is off unless asked for, and then SECRET_KEY is required.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset.js import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",  # two-step sign-in for the desk (articles/desk/two_factor, docs/security.md)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served locally (no CDN)
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.NewsroomCSPMiddleware",
    "newsroom.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control's last word: anything with a cookie or a session is private, no-store.
    "newsroom.page_cache.CacheHeadersMiddleware",
    # The read beacon (/read/<id>/): counted before sessions and the page cache, no query;
    # before read-your-writes too, so that a beacon never pins a reader to the primary.
    "articles.readership.beacon.BeaconMiddleware",
    # With read replicas: the desk and reads right after a write go to the primary.
    "newsroom.db_router.ReadYourWritesMiddleware",
    # Anonymous readers' cached pages, before sessions, locale and URL resolution.
    "newsroom.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-step sign-in: whether the session gave a code, and the desk's door for it.
    "django_otp.middleware.OTPMiddleware",
    "articles.desk.two_factor.middleware.DeskTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Templates are compiled once per process (and re-read on change under DEBUG).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.site.context_processors.site",
            ],
        },
    },
]

# --- Database: DATABASE_URL, else a throwaway embedded PostgreSQL (never SQLite) ---
# Importing settings starts nothing: the development entry points (manage.py, make test,
# python -m bench) start the embedded PostgreSQL and set DATABASE_URL first (newsroom.dev).
DATABASE_URL = os.environ.get("DATABASE_URL")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set (manage.py and make test start an embedded PostgreSQL "
        "when it is not; production always sets it)."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The pages' hot queries are prepared on the server once per connection (newsroom/prepared.py);
# 0 behind a pooler that does not keep prepared statements (PgBouncer in transaction mode).
DATABASE_PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") != "0"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Faults: database timeouts ---
# A database that is down or stuck must cost a reader a quick 503 page, never a hung worker.
# Every process gives up connecting after DB_CONNECT_TIMEOUT seconds. Web processes (WSGI/ASGI,
# which set NEWSROOM_WEB_PROCESS, and runserver) also cancel a statement after
# DB_STATEMENT_TIMEOUT_MS and a wait for a lock after DB_LOCK_TIMEOUT_MS; management commands
# (migrate, make_corpus, rebuild_search_index, bench, backup, restore...) have no such limit.
# CONN_HEALTH_CHECKS (above) makes a process reconnect by itself once the database is back.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", 3))
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", 5000))
DB_LOCK_TIMEOUT_MS = int(os.environ.get("DB_LOCK_TIMEOUT_MS", 3000))
WEB_PROCESS = env_bool("NEWSROOM_WEB_PROCESS") or sys.argv[1:2] == ["runserver"]
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
if WEB_PROCESS:
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(
            None,
            [
                DATABASES["default"]["OPTIONS"].get("options"),
                f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
                f"-c lock_timeout={DB_LOCK_TIMEOUT_MS}",
            ],
        )
    )
# How long a 503 page asks clients (and crawlers) to wait before trying again.
DATABASE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("DATABASE_UNAVAILABLE_RETRY_AFTER", 30))

# --- Cache: CACHE_URL or REDIS_URL, else local memory ---
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Most read (articles/readership, docs/most-read.md): the counts since the last roll-up and the
# readers' hourly hashes live in this Redis (by default the cache's), else in a buffer table
# and this process's memory; an address sends at most this many counted beacons a minute.
READERSHIP_REDIS_URL = os.environ.get("READERSHIP_REDIS_URL") or (
    CACHE_URL if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://", "unix://")) else None
)
READERSHIP_KEY_PREFIX = os.environ.get(
    "READERSHIP_KEY_PREFIX", os.environ.get("CACHE_KEY_PREFIX", "newsroom") + ":reads"
)
READERSHIP_RATE_PER_MINUTE = int(os.environ.get("READERSHIP_RATE_PER_MINUTE", 120))
# Beacons wait this long in a server process, then go to Redis together (0: each at once).
READERSHIP_FLUSH_SECONDS = float(os.environ.get("READERSHIP_FLUSH_SECONDS", 0.5))
# Whole pages for anonymous readers (newsroom/page_cache.py): how long a page may be reused
# (0 turns the page cache off), and how long browsers may reuse one without revalidating.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", 0))
# When the next scheduled article goes live: the page cache keeps no page past that moment.
PAGE_CACHE_NEXT_CHANGE = "articles.querysets.next_go_live"
# What shared caches (a CDN, nginx's proxy_cache) may do with readers' pages and feeds:
# keep them for s-maxage, serve a stale copy while refetching, or while the site is down.
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("PAGE_CACHE_SHARED_MAX_AGE", 60))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", 30))
PAGE_CACHE_STALE_IF_ERROR = int(os.environ.get("PAGE_CACHE_STALE_IF_ERROR", 86400))
# Each process re-reads the cache generation this often (an edit reaches all processes within
# it) and keeps this many pages in memory in front of the shared cache.
PAGE_CACHE_STATE_SECONDS = float(os.environ.get("PAGE_CACHE_STATE_SECONDS", 1))
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", 200))
# How long an article flagged "breaking" stays in the home page's ticker.
BREAKING_NEWS_HOURS = float(os.environ.get("BREAKING_NEWS_HOURS", 6))
# How often readers' pages of a live coverage poll for entries (seconds, at least 5); every poll
# answer carries it, so raising it under load slows every open page (docs/live-and-corrections.md).
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", 15))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: Arabic first (no URL prefix), English under /en/ ---
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ar",)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# Digits in dates: Western (as agencies write them) unless the newsroom prefers Arabic-Indic.
NEWSROOM_ARABIC_INDIC_DIGITS = env_bool("NEWSROOM_ARABIC_INDIC_DIGITS")
# Pages show the Hijri (Umm al-Qura) date beside the Gregorian one (articles/text/hijri.py).
NEWSROOM_HIJRI_DATES = env_bool("NEWSROOM_HIJRI_DATES")

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = False

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Scaling: replicas, object storage, sessions ---
# Read replicas: each URL in DATABASE_REPLICA_URLS becomes an alias replica_1, replica_2...
# newsroom.db_router sends readers' reads there; writes, the desk (any request with a session),
# and every read for DATABASE_PIN_SECONDS after a write (across the redirect after a POST too)
# go to the primary. Without replicas there is no router at all.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=60),
        "CONN_HEALTH_CHECKS": True,
        # Tests read the replicas through the primary's test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICA_URLS else []
DATABASE_PIN_SECONDS = int(os.environ.get("DATABASE_PIN_SECONDS", 5))

# Sessions live in the database, which every app host shares; with Redis configured they are
# also read through the cache (cached_db), so a logged-in request costs no session query while
# a Redis restart still logs nobody out.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Media: on this host's disk (MEDIA_ROOT; several app hosts then need a shared volume), or with
# MEDIA_STORAGE=s3 in an S3-compatible bucket through django-storages, served from the bucket's
# URL or a CDN domain (AWS_S3_CUSTOM_DOMAIN). Originals and renditions never change under their
# names, so shared caches may keep them long.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
MEDIA_CACHE_CONTROL = os.environ.get("MEDIA_CACHE_CONTROL", "public, max-age=2592000")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),
            # Public media: plain URLs that a CDN can cache, no signatures that expire.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            # Readable by everyone through a bucket policy, or this ACL (e.g. public-read).
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            # Two uploads with the same name must not replace each other (as on disk).
            "file_overwrite": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")

# --- Security (production defaults; `check --deploy` clean when DEBUG is off) ---
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The desk's rich-text editor: our extension that puts its menu titles through Django's
# JavaScript catalogue (static/js/prose-editor-labels.js; README, "Rich text"). It makes no HTML.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose-editor-labels.js")],
        "extensions": {"DeskLabels": html_tags([])},
    }
]

# Media files are served by the web server in production; `make run` serves them itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# --- Security: CSP, login throttling, uploads ---
# Content-Security-Policy (django-csp) for every page: no inline script or eval anywhere, no
# inline style on reader pages. CSP_MEDIA_ORIGINS adds the origins media is served from when
# it lives on object storage or a CDN (comma-separated, e.g. https://media.example.org).
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *CSP_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The desk (/admin/) alone also allows inline styles (Django's admin templates and the article
# form carry style attributes and <style> blocks) and, for scripts, beyond 'self' only the
# rich-text editor's import map, by this request's nonce (newsroom/security.py); and blob:
# images, the focal point picker's preview of a photo chosen and not yet uploaded.
NEWSROOM_DESK_PATH = "/admin/"
NEWSROOM_DESK_CSP_UPDATE = {
    "script-src": [NONCE],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is refused for AXES_COOLOFF_TIME hours, with an Arabic page (429).
# On top, two ceilings (newsroom.security.NewsroomAxesHandler): LOGIN_ADDRESS_FAILURE_LIMIT
# failures from one address whatever the names (guessing many accounts), and
# LOGIN_ACCOUNT_FAILURE_LIMIT failures for one account whatever the addresses (a spread guess).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After signing in without a safe `next`, the desk (Django's default is /accounts/profile/).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
CSRF_FAILURE_VIEW = "newsroom.errors.csrf_failure"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", 30)) / 60  # hours
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", 20))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", 20))
# In this order: the pair, the address, the account (NewsroomAxesHandler reads them so).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "newsroom.security.NewsroomAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.login_lockout"
AXES_HTTP_RESPONSE_CODE = 429
# Two-step sign-in (django-otp: authenticator apps and single-use backup codes). With
# DESK_REQUIRE_2FA=1 chief editors and administrators must pass it before the desk opens;
# anyone may enrol (articles/desk/two_factor; recovery: manage.py reset_two_factor).
DESK_REQUIRE_2FA = env_bool("DESK_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Newsroom")

# Behind our reverse proxy the client's address is the last X-Forwarded-For entry; without
# the proxy the header is ignored, since any client can send it (newsroom/security.py).
NEWSROOM_BEHIND_PROXY = env_bool("BEHIND_PROXY")
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip_address"

# Uploads: a whole request at most NEWSROOM_MAX_REQUEST_BYTES (413 beyond); lead images are
# checked by content in articles/media/images.py (JPEG, PNG or WebP; bytes and pixels limited).
NEWSROOM_MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_MB", 20)) * 1024 * 1024

# modeltranslation's language tabs in the desk need jQuery UI: served from our static files, never a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Background work: Django's Tasks API (django-tasks backport) on PostgreSQL ---
# `manage.py db_worker` runs the tasks (make run starts one; production runs it under systemd,
# deploy/newsroom-worker.service). Retries and periodic schedules: articles/tasks (docs/tasks.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Content API (/api/v1/): Django REST framework, schema by drf-spectacular (docs/api.md) ---
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only (the API's views add ninjs); no browsable API, no forms.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Errors as {"error": {...}} in the caller's language (articles/api/errors.py).
    "EXCEPTION_HANDLER": "articles.api.errors.api_exception_handler",
    # Rate limits: anonymous callers per address, keyed callers per key (429 with Retry-After).
    "DEFAULT_THROTTLE_RATES": {
        "api_anonymous": os.environ.get("API_RATE_ANONYMOUS", "60/min"),
        "api_key": os.environ.get("API_RATE_KEY", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": "Read-only access to the newsroom's published articles, in Arabic and English, "
    "as JSON or IPTC ninjs 2.0. Reference: docs/api.md.",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["articles.api.schema.without_format_suffixes"],
}
