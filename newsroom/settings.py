"""Newsroom settings, read from the environment (12-factor).

Every knob is an environment variable; `.env.example` lists them all.
"""
import os
from datetime import datetime, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom.embed_providers import reader_frame_origins

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def _missing(name):
    raise ImproperlyConfigured(f"Set the {name} environment variable (required when DEBUG is off).")


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEBUG and "dev-only-not-secret") or _missing("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "django_prose_editor",
    "articles",
    "pagecache",
    "frontpage",  # the desk's front page layout (articles/front_page.py reads it)
    "newsroom",  # ops commands: `manage.py release`
    "wire",
    "readership",
    "newsletter",
    "django_tasks",
    "django_rq",  # RQ's connections and commands for the django-tasks RQ backend
    "pipeline",
    "django_prometheus",
    "monitoring",
    "ninja",  # serves the API docs page's Swagger UI from our own static files (no CDN)
    "api",
    # Staff sign-in: lockout (axes), two-factor (allauth MFA), session expiry; the audit log.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "accounts",
    "audit",
    "desk",  # the desk: dashboard, editorial comments, notifications
]

MIDDLEWARE = [
    # A reader's reads: from the replica when there is one, with generic plans (db_plans.py). First,
    # so the page cache reads the generation from the database its pages are built from.
    "newsroom.db_router.ReaderReadsMiddleware",
    # One log line and a request id for every request, cache hits included.
    "newsroom.middleware.RequestLogMiddleware",
    # Probes answer before host checks, the HTTPS redirect and the page cache (docs/deploying.md).
    "newsroom.health.HealthCheckMiddleware",
    "monitoring.middleware.MetricsMiddleware",
    # Anonymous public pages from the cache (pagecache/middleware.py), above everything that does
    # real work: a hit needs nothing below. The stored response already carries what security,
    # CSP and the rest added.
    "pagecache.middleware.PageCacheMiddleware",
    # Request latency and counts for Prometheus (/metrics): first and last but the page cache.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The request's address, for absolute links when NEWSROOM_SITE_URL is empty (development).
    "newsroom.links.RequestOriginMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "audit.middleware.AuditActorMiddleware",
    # Last but the metrics, as django-axes asks: it turns a lockout found during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
                "newsroom.context_processors.desk_names",
            ],
        },
    },
]

_db_options = {"conn_max_age": env_int("DB_CONN_MAX_AGE", 60), "conn_health_checks": True}
# Unset (or empty) DATABASE_URL: a SQLite file, so the quick start needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", **_db_options
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def quiet_health_checks(database):
    """PostgreSQL through newsroom/postgresql: its per-request health check asks the server only when
    the connection's socket says something happened."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "newsroom.postgresql"
    return database


def prepared_statements(database):
    """PostgreSQL plans each repeated query once per connection (psycopg's server-side binding and
    prepared statements) instead of on every execution: the planning of a page's queries cost
    about as much as running them (a reader's queries keep one generic plan: newsroom/db_plans.py).
    Off (DB_PREPARED_STATEMENTS=0) behind a pooler in transaction mode that cannot keep prepared
    statements (PgBouncer before 1.21)."""
    if database["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
        from newsroom.db_cursors import PlannedSearchCursor  # searches are planned for their words

        database.setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=2, cursor_factory=PlannedSearchCursor
        )
    return database


quiet_health_checks(prepared_statements(DATABASES["default"]))
# Optional read replica for anonymous GETs of public pages (newsroom/db_router.py); off when unset.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = quiet_health_checks(
        prepared_statements(dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], **_db_options))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]

# Redis when REDIS_URL is set (shared by every web replica), else a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
# Seconds to wait for Redis to connect or answer before a call counts as failed (a miss).
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25"))


def redis_cache(location, key_prefix):
    """django-redis that fails open: with Redis unreachable a read is a miss and a write does nothing,
    so every page is built uncached instead of answering 500 (docs/deploying.md, "When a part fails")."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
        },
    }


def cache_settings(redis_url):
    """CACHES for a Redis URL (or none). `ratelimit` holds the rate-limit counters (django-ratelimit)."""
    if redis_url:
        return {
            "default": redis_cache(redis_url, CACHE_KEY_PREFIX),
            "ratelimit": redis_cache(redis_url, f"{CACHE_KEY_PREFIX}-ratelimit"),
        }
    return {
        # Read counts wait in the cache until flushed; the default 300 entries would drop them.
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
    }


CACHES = cache_settings(REDIS_URL)
# Failed cache calls are logged by django-redis on this logger, once per interval (LOGGING below).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "newsroom.cache"
NEWSROOM_CACHE_ERROR_LOG_SECONDS = env_int("NEWSROOM_CACHE_ERROR_LOG_SECONDS", 60)

# Rate limits (django-ratelimit) count in the `ratelimit` cache and FAIL OPEN: when the cache cannot
# count, the request is allowed. A Redis outage then costs the limits, not every reader's search or
# sign-up; what the limits protect stays guarded elsewhere (sign-up mails per address are limited in
# the database, beacon reads cannot be stored without the cache anyway). docs/deploying.md.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
if REDIS_URL:
    # The app only adds django-ratelimit's system check that its cache is shared and atomic, which
    # holds with Redis. Without Redis no such cache exists: counters are per process (exact for the
    # single-process quick start, N times looser with N gunicorn workers; docs/deploying.md).
    INSTALLED_APPS.append("django_ratelimit")
# Anonymous searches per client address (staff are not limited); "N/s", "N/m" or "N/h".
NEWSROOM_SEARCH_RATE = os.environ.get("NEWSROOM_SEARCH_RATE", "30/m")
# Read-beacon hits counted per client address (hits past it are ignored, so one address cannot push a
# story up the Top 10; generous because offices and mobile carriers share addresses).
NEWSROOM_READS_RATE = os.environ.get("NEWSROOM_READS_RATE", "120/h")

# Background tasks (pipeline/queue.py, docs/deploying.md): RQ on Redis, worked by `manage.py worker`,
# when TASKS_REDIS_URL is set (it defaults to REDIS_URL; compose gives the queue its own Redis that
# never evicts keys). Without one (make run, tests) the immediate backend runs each task at once.
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", REDIS_URL)
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if TASKS_REDIS_URL else "immediate")
TASK_QUEUES = ["default", "media", "mail"]
TASK_TIMEOUT = env_int("TASK_TIMEOUT", 600)  # seconds one task may run before RQ stops it
if TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'rq' or 'immediate'.")
# Continuous wire intake (wire/intake.py, docs/wire-ingest.md): how often the scheduler looks for due
# intakes, how long a dropped file must stay unchanged before it is taken, a feed request's timeout.
WIRE_INTAKE_POLL_SECONDS = env_int("WIRE_INTAKE_POLL_SECONDS", 30)
WIRE_INTAKE_SETTLE_SECONDS = env_int("WIRE_INTAKE_SETTLE_SECONDS", 10)
WIRE_INTAKE_TIMEOUT = env_int("WIRE_INTAKE_TIMEOUT", 15)
# Bearer token a Prometheus scraper (and monitors reading /admin/pipeline.json) must send; while it is
# empty /metrics answers 404 unless DEBUG is on (docs/deploying.md, "Pipeline health and metrics").
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "")
# Task failures stay visible (admin, pipeline health) this many days, then the daily purge drops them.
PIPELINE_KEEP_FAILURES_DAYS = env_int("PIPELINE_KEEP_FAILURES_DAYS", 30)
RQ_QUEUES = {
    name: {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": TASK_TIMEOUT}
    for name in TASK_QUEUES
}

# Sessions live in the database only. cached_db would, after a Redis outage, serve sessions that
# were logged out or changed while Redis could not be told; staff sessions are few and cheap to read.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")

# Staff sign-in (docs/security.md). Every login goes through django-allauth's view, so its
# second-factor step also guards the Django admin (accounts/urls.py points /admin/login/ at it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before any password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/admin/"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapter.StaffAccountAdapter"  # no self sign-up: admins create staff accounts
ACCOUNT_FORMS = {"login": "accounts.forms.StaffLoginForm"}
ACCOUNT_LOGOUT_REDIRECT_URL = "/admin/"
# Failed passwords and failed second-factor codes are counted by django-axes alone (accounts/forms.py):
# one rule, kept in the database. allauth's own sign-in limits count in the cache and, with Redis
# down, would refuse every sign-in. Its other limits (password reset, ...) stay on.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
MFA_FORMS = {
    "authenticate": "accounts.forms.StaffAuthenticateForm",
    "reauthenticate": "accounts.forms.StaffReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# WebAuthn needs a secure origin; plain http://127.0.0.1 is accepted only in DEBUG development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Roles that must sign in with a second factor; staff in them are sent to enrol first.
# Off in DEBUG development so `make run`'s demo logins stay one step.
NEWSROOM_2FA_REQUIRED_ROLES = env_list("NEWSROOM_2FA_REQUIRED_ROLES", "" if DEBUG else "Editor,Admin")

# Login throttling (django-axes): AXES_FAILURE_LIMIT failures for one username from one client
# address lock that pair out for AXES_COOLOFF_MINUTES; an admin unlocks early in the admin
# ("Axes › Access attempts": delete the row) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The same trusted-proxy rule as rate limits and the Top 10 (NEWSROOM_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_VERBOSE = False

# Staff sessions end after NEWSROOM_SESSION_IDLE_MINUTES without a request, and in any case
# NEWSROOM_SESSION_MAX_HOURS after sign-in (accounts/middleware.py).
NEWSROOM_SESSION_IDLE_MINUTES = env_int("NEWSROOM_SESSION_IDLE_MINUTES", 60)
NEWSROOM_SESSION_MAX_HOURS = env_int("NEWSROOM_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = NEWSROOM_SESSION_MAX_HOURS * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
# The newsroom's own zone (an IANA name such as Asia/Seoul): pages, the admin, schedules and the
# newsletter's send time show and read times in it. UTC unless set, so a fresh checkout's admin
# agrees with the machine's clock instead of warning "You are 9 hours behind server time".
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded originals are never served; readers get re-encoded renditions from MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# NEWSROOM_STORAGE=s3: media and private originals in S3-compatible buckets via django-storages
# (`pip install ".[s3]"`); see docs/deploying.md.
NEWSROOM_STORAGE = os.environ.get("NEWSROOM_STORAGE", "filesystem")
if NEWSROOM_STORAGE == "s3":
    _s3 = {
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3 | {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME") or _missing("AWS_STORAGE_BUCKET_NAME"),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    STORAGES["originals"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3 | {
            "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME") or _missing("AWS_PRIVATE_BUCKET_NAME"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
elif NEWSROOM_STORAGE != "filesystem":
    raise ImproperlyConfigured("NEWSROOM_STORAGE must be 'filesystem' or 's3'.")

# One upload limit for nginx (client_max_body_size) and Django's photo checks.
NEWSROOM_MAX_UPLOAD_MB = env_int("NEWSROOM_MAX_UPLOAD_MB", 50)

TAGGIT_CASE_INSENSITIVE = True

# Story bodies (from the admin or the wire) larger or more deeply nested than this are refused
# with a clear error before the HTML sanitizer runs, so no item holds a worker for long.
NEWSROOM_BODY_MAX_KB = env_int("NEWSROOM_BODY_MAX_KB", 512)
NEWSROOM_BODY_MAX_DEPTH = env_int("NEWSROOM_BODY_MAX_DEPTH", 100)

# Embeds in story bodies (articles/embeds.py): a link pasted alone in a paragraph becomes a
# click-to-load embed when its provider is on this allow-list (newsroom/embed_providers.py names
# them). The oEmbed request is made when the story is saved, and gives up after this many seconds
# (the link then stays a plain link). Instagram's oEmbed needs a Meta app access token.
NEWSROOM_EMBED_PROVIDERS = env_list("NEWSROOM_EMBED_PROVIDERS", "youtube,vimeo,x,instagram")
NEWSROOM_EMBED_TIMEOUT_SECONDS = env_int("NEWSROOM_EMBED_TIMEOUT_SECONDS", 3)
NEWSROOM_EMBED_INSTAGRAM_TOKEN = os.environ.get("NEWSROOM_EMBED_INSTAGRAM_TOKEN", "")

# The body editor's own extensions (not knobs): each group names the ES modules that define them.
# The body's allow-list is articles/html.py either way (the field's sanitizer is html.sanitize_html).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    # A photo inside the body, <figure data-photo="<id>">, inserted from the photo chooser.
    {
        "js": [static_lazy("desk/photo-figure.js")],
        "extensions": {"PhotoFigure": html_tags(["figure"], {"figure": ["data-photo"]})},
    },
    # Embeds (articles/embeds.py): the editor keeps <figure class="embed"> as one block.
    {"js": [static_lazy("articles/body-embed.js")], "extensions": {"NewsroomEmbed": "articles.html.embed_allowlist"}},
]

# Public site identity, used by templates, feeds and structured data.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# Empty: links use the address of the request being answered (development; newsroom/links.py).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").rstrip("/")

# Reader features (docs/reader-features.md): Top 10 window, trusted client-address header, eNewsletter.
# Photo rights and provenance (docs/photos.md). IPTC digital source types whose photos carry a
# reader label under the figure (AI-generated and AI-edited by default); a PEM file of C2PA trust
# anchors (empty: manifests are checked but no signer counts as trusted); how many days ahead the
# photo desk's "expiring soon" list looks.
NEWSROOM_PHOTO_LABELLED_SOURCE_TYPES = env_list(
    "NEWSROOM_PHOTO_LABELLED_SOURCE_TYPES",
    "trainedAlgorithmicMedia,compositeWithTrainedAlgorithmicMedia,compositeSynthetic,algorithmicMedia",
)
NEWSROOM_C2PA_TRUST_ANCHORS = os.environ.get("NEWSROOM_C2PA_TRUST_ANCHORS", "")
NEWSROOM_PHOTO_EXPIRING_DAYS = env_int("NEWSROOM_PHOTO_EXPIRING_DAYS", 7)
# Refuse to publish a story whose lead photo has no alt text (off: the desk is only warned; articles/alt_text.py).
NEWSROOM_REQUIRE_LEAD_ALT_TEXT = env_bool("NEWSROOM_REQUIRE_LEAD_ALT_TEXT", False)
# Pixel limit for PNG/WebP/AVIF uploads, which decode at full size (JPEG keeps NEWSROOM_PHOTO_MAX_PIXELS).
NEWSROOM_PHOTO_MAX_FULL_DECODE_PIXELS = env_int("NEWSROOM_PHOTO_MAX_FULL_DECODE_PIXELS", 40_000_000)

NEWSROOM_TOP_STORIES_HOURS = env_int("NEWSROOM_TOP_STORIES_HOURS", 24)
NEWSROOM_CLIENT_IP_HEADER = os.environ.get("NEWSROOM_CLIENT_IP_HEADER", "")  # only if the proxy overwrites it
NEWSLETTER_CONFIRM_MAX_AGE = env_int("NEWSLETTER_CONFIRM_MAX_AGE", 3 * 24 * 3600)
NEWSLETTER_SIGNUPS_PER_HOUR = env_int("NEWSLETTER_SIGNUPS_PER_HOUR", 10)
# The daily edition goes out at NEWSLETTER_SEND_AT (HH:MM, TIME_ZONE) from the scheduler, in batches
# of NEWSLETTER_BATCH_SIZE mails paced at NEWSLETTER_MAILS_PER_SECOND (the SMTP provider's limit).
NEWSLETTER_SEND_AT = os.environ.get("NEWSLETTER_SEND_AT", "07:00")
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
NEWSLETTER_MAILS_PER_SECOND = env_int("NEWSLETTER_MAILS_PER_SECOND", 20)
# At most one sign-up mail per address per this many seconds (counted in the outbox, not the cache).
NEWSLETTER_MAIL_INTERVAL_SECONDS = env_int("NEWSLETTER_MAIL_INTERVAL_SECONDS", 15 * 60)
# Attempts at one queued sign-up mail (a minute, then doubling up to an hour apart) before it is left.
NEWSLETTER_MAIL_MAX_ATTEMPTS = env_int("NEWSLETTER_MAIL_MAX_ATTEMPTS", 12)
# How long the Top 10 box is cached (dropped earlier by any story or section save).
NEWSROOM_TOP_STORIES_CACHE_SECONDS = env_int("NEWSROOM_TOP_STORIES_CACHE_SECONDS", 60)
NEWSROOM_SITEMAP_PAGE_SIZE = env_int("NEWSROOM_SITEMAP_PAGE_SIZE", 1000)
# The publisher logo in structured data (a static file path) and its size in pixels.
NEWSROOM_PUBLISHER_LOGO = os.environ.get("NEWSROOM_PUBLISHER_LOGO", "img/logo.png")
NEWSROOM_PUBLISHER_LOGO_WIDTH = env_int("NEWSROOM_PUBLISHER_LOGO_WIDTH", 600)
NEWSROOM_PUBLISHER_LOGO_HEIGHT = env_int("NEWSROOM_PUBLISHER_LOGO_HEIGHT", 60)
# Read counting for the Top 10 (readership/counting.py): bucket length, one read per reader and story
# per repeat window, flush delay after a bucket closes, and how long hourly counts are kept.
NEWSROOM_READS_BUCKET_SECONDS = env_int("NEWSROOM_READS_BUCKET_SECONDS", 60)
NEWSROOM_READS_REPEAT_SECONDS = env_int("NEWSROOM_READS_REPEAT_SECONDS", 30 * 60)
NEWSROOM_READS_FLUSH_GRACE_SECONDS = env_int("NEWSROOM_READS_FLUSH_GRACE_SECONDS", 5)
NEWSROOM_READS_KEEP_DAYS = env_int("NEWSROOM_READS_KEEP_DAYS", 90)

# Editorial workflow (docs/workflow.md): share links' default and longest lifetime in hours.
NEWSROOM_SHARE_LINK_HOURS = env_int("NEWSROOM_SHARE_LINK_HOURS", 48)
NEWSROOM_SHARE_LINK_MAX_HOURS = env_int("NEWSROOM_SHARE_LINK_MAX_HOURS", 24 * 14)

# Wire photos (docs/photos.md): decoded pixels and file size a photo may have (0 bytes: the upload
# limit above), and whether AVIF renditions are made when Pillow can write them.
NEWSROOM_PHOTO_MAX_PIXELS = env_int("NEWSROOM_PHOTO_MAX_PIXELS", 100_000_000)
NEWSROOM_PHOTO_MAX_BYTES = env_int("NEWSROOM_PHOTO_MAX_BYTES", 0)
NEWSROOM_PHOTO_AVIF = env_bool("NEWSROOM_PHOTO_AVIF", True)

# Wire ingest (docs/wire-ingest.md): worker lanes of `manage.py ingest`, size limits of one item and
# one picture, the section for items no section matches (a slug or name), a revision recorded on
# import, and asynchronous commit of ingest transactions (faster; a crash may lose the last items).
NEWSROOM_INGEST_WORKERS = env_int("NEWSROOM_INGEST_WORKERS", 2)
NEWSROOM_INGEST_MAX_ITEM_BYTES = env_int("NEWSROOM_INGEST_MAX_ITEM_BYTES", 5 * 1024 * 1024)
NEWSROOM_INGEST_MAX_PICTURE_BYTES = env_int("NEWSROOM_INGEST_MAX_PICTURE_BYTES", 50 * 1024 * 1024)
NEWSROOM_INGEST_SECTION = os.environ.get("NEWSROOM_INGEST_SECTION", "")
NEWSROOM_INGEST_IMPORT_REVISION = env_bool("NEWSROOM_INGEST_IMPORT_REVISION", False)
NEWSROOM_INGEST_ASYNC_COMMIT = env_bool("NEWSROOM_INGEST_ASYNC_COMMIT", False)

# Editorial integrity (docs/workflow.md). An agency's withdrawal of a live story waits for an editor
# ("pending") unless the site chooses "unpublish" (killed at once). Autosave and presence heartbeat
# intervals of the story form, in seconds.
NEWSROOM_WIRE_WITHDRAWAL = os.environ.get("NEWSROOM_WIRE_WITHDRAWAL", "pending")
if NEWSROOM_WIRE_WITHDRAWAL not in ("pending", "unpublish"):
    raise ImproperlyConfigured("NEWSROOM_WIRE_WITHDRAWAL must be 'pending' or 'unpublish'.")
NEWSROOM_AUTOSAVE_SECONDS = env_int("NEWSROOM_AUTOSAVE_SECONDS", 5)
NEWSROOM_PRESENCE_SECONDS = env_int("NEWSROOM_PRESENCE_SECONDS", 15)
# Desk notifications (desk/notifications.py) also go out by email, through the mail queue, to desk
# users with an address. Off by default: the admin header's count and list always show them.
NEWSROOM_DESK_EMAIL = env_bool("NEWSROOM_DESK_EMAIL", False)

# Content API (docs/api.md): rate limits ("requests/period"), page sizes, cache lifetime, webhooks.
NEWSROOM_API_ANON_RATE = os.environ.get("NEWSROOM_API_ANON_RATE", "60/m")
NEWSROOM_API_KEY_RATE = os.environ.get("NEWSROOM_API_KEY_RATE", "600/m")  # for keys without a limit of their own
NEWSROOM_API_PAGE_SIZE = env_int("NEWSROOM_API_PAGE_SIZE", 20)
NEWSROOM_API_MAX_PAGE_SIZE = env_int("NEWSROOM_API_MAX_PAGE_SIZE", 100)
NEWSROOM_API_CACHE_SECONDS = env_int("NEWSROOM_API_CACHE_SECONDS", 60)  # keys' private max-age
NEWSROOM_WEBHOOK_MAX_ATTEMPTS = env_int("NEWSROOM_WEBHOOK_MAX_ATTEMPTS", 8)
NEWSROOM_WEBHOOK_RETRY_SECONDS = env_int("NEWSROOM_WEBHOOK_RETRY_SECONDS", 30)  # doubles after each failure
NEWSROOM_WEBHOOK_TIMEOUT_SECONDS = env_int("NEWSROOM_WEBHOOK_TIMEOUT_SECONDS", 10)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a hung SMTP server counts as down (the mail stays queued and is retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Feed items first published from this time on get permanent ids (tag: URIs on the story id) as RSS
# <guid> and Atom <id>; older ones keep their URL, so aggregators see no duplicates (ISO 8601).
NEWSROOM_FEED_PERMANENT_IDS_SINCE = datetime.fromisoformat(
    os.environ.get("NEWSROOM_FEED_PERMANENT_IDS_SINCE", "2026-12-02T00:00:00+09:00")
)

# A story page's own HTML is rendered once per change and stored with the story (articles/fragments.py;
# PostgreSQL only: its triggers blank a fragment in the transaction that changes what it shows).
NEWSROOM_STORY_FRAGMENTS = env_bool("NEWSROOM_STORY_FRAGMENTS", True)

# Public caching (pagecache/, docs/deploying.md): seconds a whole anonymous page or a search result
# page is kept server-side (entries also end at the next content change; 0 = off), what shared
# caches may keep (s-maxage, stale-while-revalidate; a CDN is purged on change), nginx's
# micro-cache (X-Accel-Expires), the surrogate-key header name, and the CDN purge backend.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 120)
NEWSROOM_SEARCH_CACHE_SECONDS = env_int("NEWSROOM_SEARCH_CACHE_SECONDS", 30)
# With Redis, the content generation is read from the cache, published by every write as it
# commits (pagecache/generation.py); the published copy is re-read from the database after this
# many seconds, the bound on how long a write made outside Django (psql) can go unseen.
NEWSROOM_GENERATION_RECHECK_SECONDS = env_int("NEWSROOM_GENERATION_RECHECK_SECONDS", 5)
# With Redis: each serving process is pushed the generation and holds a lease this long (renewed every
# third of it), so a hot hit asks Redis nothing; a write waits until every lease holder has applied
# its generation, at most this long when a process died holding one (pagecache/push.py; 0 = off:
# every hot hit reads the generation from Redis).
NEWSROOM_GENERATION_LEASE_SECONDS = float(os.environ.get("NEWSROOM_GENERATION_LEASE_SECONDS", "2"))
# With Redis: how many pages each process also keeps in its own memory (pagecache/hot.py), so a hit
# fetches only the generation from Redis, not the page (0 = off). About 50 KB a page.
NEWSROOM_PAGE_HOT_ENTRIES = env_int("NEWSROOM_PAGE_HOT_ENTRIES", 200)
NEWSROOM_SHARED_CACHE_SECONDS = env_int("NEWSROOM_SHARED_CACHE_SECONDS", 60)
NEWSROOM_STALE_WHILE_REVALIDATE_SECONDS = env_int("NEWSROOM_STALE_WHILE_REVALIDATE_SECONDS", 30)
NEWSROOM_PROXY_CACHE_SECONDS = env_int("NEWSROOM_PROXY_CACHE_SECONDS", 1)
NEWSROOM_SURROGATE_KEY_HEADER = os.environ.get("NEWSROOM_SURROGATE_KEY_HEADER", "Surrogate-Key")
NEWSROOM_CDN_PURGE_BACKEND = os.environ.get("NEWSROOM_CDN_PURGE_BACKEND", "pagecache.purge.NoPurge")
NEWSROOM_CDN_API_URL = os.environ.get("NEWSROOM_CDN_API_URL", "https://api.fastly.com")
NEWSROOM_CDN_SERVICE_ID = os.environ.get("NEWSROOM_CDN_SERVICE_ID", "")
NEWSROOM_CDN_API_TOKEN = os.environ.get("NEWSROOM_CDN_API_TOKEN", "")

# Production hardening behind the TLS-terminating proxy; secure by default whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): enforced when DEBUG is off, report-only in development so
# the browser console shows what production would block. Public pages allow no inline code; a
# template that needs some uses {{ request.csp_nonce }}. The admin's extras: newsroom/middleware.py.
_media_origins = [f"https://{d}" for d in [os.environ.get("AWS_S3_CUSTOM_DOMAIN")] if d and NEWSROOM_STORAGE == "s3"]
_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_media_origins, *env_list("CSP_IMG_SRC")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Exactly the embed providers switched on; readers' browsers load them only on a click.
        "frame-src": reader_frame_origins(NEWSROOM_EMBED_PROVIDERS) or [NONE],
    }
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp if DEBUG else None
CONTENT_SECURITY_POLICY = None if DEBUG else _csp

# One line per record on stdout; JSON in production (request id, status, duration per request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "newsroom.middleware.RequestIdFilter"},
        "once_per_interval": {"()": "newsroom.logs.OncePerInterval", "seconds": NEWSROOM_CACHE_ERROR_LOG_SECONDS},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "loggers": {
        "newsroom.cache": {"filters": ["once_per_interval"]},
        # Two INFO lines per job run (about 30 a minute) drown the scheduler's log; a job that raises
        # is still logged (ERROR), and the health page shows the scheduler's heartbeat.
        "apscheduler": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
