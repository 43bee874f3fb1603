"""The one settings module. Every knob is an environment variable listed in .env.example.

Every entry point (manage.py, gunicorn through wsgi.py, the Celery worker and beat) imports this
module before anything reads a setting, so a `.env` in the project root, read here, configures
them all alike; variables already in the environment win over the file.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from network_crm.env import env_bool, env_int, env_list, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
# ENV_FILE names another file to read instead; set to nothing, no file is read (the test suite
# does that, so a developer's .env never leaks into it).
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    load_env_file(Path(_env_file))
# A relative VAR_DIR (as in .env.example) is relative to the project root, wherever a process starts.
VAR_DIR = BASE_DIR / (env_str("VAR_DIR") or "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept in var/."""
    if key := env_str("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form gets a page in the app's look that says why and how to try again.
CSRF_FAILURE_VIEW = "network_crm.views.csrf_failure"
# Where links in emails point (digest actions, invitations, password reset). Without SITE_URL,
# the local address `make run` serves on: it passes its port to every process as WEB_PORT, not
# PORT, which honcho sets differently for each (web N, worker N+100, beat N+200), so the digests
# a worker sends would link to a port nobody serves.
SITE_URL = (
    env_str("SITE_URL") or f"http://127.0.0.1:{env_int('WEB_PORT', 8000, minimum=1)}"
).rstrip("/")
ALLOW_SIGNUP = env_bool("ALLOW_SIGNUP", False)
# Pages served from a per-owner cache while the owner's data is unchanged (owner_cache.py).
OWNER_CACHE_ENABLED = env_bool("OWNER_CACHE_ENABLED", True)

# Behind a TLS-terminating proxy (nginx, Caddy): set BEHIND_PROXY=true.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# The client's address for login throttling: behind one proxy, the last X-Forwarded-For hop.
AXES_IPWARE_PROXY_COUNT = 1 if BEHIND_PROXY else 0
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", SECURE_SSL_REDIRECT)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy: scripts from this server or with the per-request nonce,
# styles from this server only (no inline style attributes anywhere), no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

INSTALLED_APPS = [
    "network_crm.apps.CRMAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    # Optional two-factor sign-in: authenticator apps (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "contacts",
    "interactions",
    "giving",
    "reminders",
    "portability",
    "notify",
    "pwa",
    "demo",
    "dav",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Whose data version a write changes (the signed-in user's, or the global one): owner_cache.
    "network_crm.owner_cache.OwnerCacheMiddleware",
    # Dates in the user's format (network_crm.dates), and the page's lang.
    "accounts.middleware.DateLocaleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A query cut by DB_STATEMENT_TIMEOUT_SECONDS answers a "took too long" page (503).
    "network_crm.db.QueryTimeoutMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns repeated failed logins into a lockout page.
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Form fields render through templates/django/forms/ (labels without a trailing colon).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "network_crm.urls"
WSGI_APPLICATION = "network_crm.wsgi.application"

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
                "django.template.context_processors.csp",
                "network_crm.context_processors.site",
            ],
            "builtins": ["network_crm.templatetags.crm", "network_crm.templatetags.dates"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
try:
    # Connections are kept between requests (each web thread and worker its own): a new one per
    # request cost ~5 ms of CPU on SQLite (schema read, an empty page cache) and a new server
    # process on PostgreSQL, a quarter of an average request (bench/NOTES.md, "Issue 21").
    _db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,  # a connection the server dropped is replaced, not an error
    )
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock up
    # front so concurrent writers queue on busy_timeout instead of failing with "database is locked".
    # Reads through a memory map of up to 256 MiB: pages come from the OS's cache, shared by every
    # process and thread, not copied into each connection's 2 MB page cache, which a large address
    # book outgrows (search at 100,000 people: bench/NOTES.md, "Issue 21, fourth pass").
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA mmap_size=268435456"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not :memory:, so Celery workers and browser tests started as subprocesses see it.
    # Named per process so two test runs on one machine don't delete each other's database.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:///path or postgres://user@host/db.")
# No single SQL statement may run longer than this (0: no limit), so no request holds a worker
# for long. PostgreSQL cuts it itself; on SQLite a progress handler does (network_crm.db).
DB_STATEMENT_TIMEOUT_SECONDS = env_int("DB_STATEMENT_TIMEOUT_SECONDS", 30, minimum=0)
if _db["ENGINE"] == "django.db.backends.postgresql":
    _options = _db.setdefault("OPTIONS", {})  # keeps any ?options= the URL gives
    # JIT compiles any plan whose estimated cost is high, and a stale estimate (statistics not
    # yet gathered after an import) is enough: 0.3 s of compiling for a statement that runs in
    # a millisecond, on every DAV sync request (bench/NOTES.md, "Phone sync"). Queries here are
    # short and indexed; JIT never pays.
    _server_settings = ["-c jit=off"]
    if DB_STATEMENT_TIMEOUT_SECONDS:
        _server_settings.append(f"-c statement_timeout={DB_STATEMENT_TIMEOUT_SECONDS * 1000}")
    _options["options"] = " ".join([_options.get("options", ""), *_server_settings]).strip()
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins over a limit (django-axes' per account and address, and the two below)
    # before any password is checked.
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Lock out the pair (account, address): a stranger can't lock you out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lockout page says which limit applies and how long to wait.
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The login form posts the email address as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
# Counted per address as stored (lower case), however it was typed.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_VERBOSE = False
# Failed sign-ins for one account from all addresses within a day: from this many on, each try
# waits 1, 2, 4... minutes (at most LOGIN_LOCKOUT_MINUTES) after the last failure; a password
# reset clears it.
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
# Failed sign-ins from one address over all accounts within LOGIN_LOCKOUT_MINUTES that lock the
# address out until they are that old.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
# Password reset emails per hour to one email address, and asked for from one client address.
PASSWORD_RESET_EMAILS_PER_ACCOUNT = env_int("PASSWORD_RESET_EMAILS_PER_ACCOUNT", 3, minimum=1)
PASSWORD_RESET_EMAILS_PER_ADDRESS = env_int("PASSWORD_RESET_EMAILS_PER_ADDRESS", 10, minimum=1)
# Two-factor sign-in: the name authenticator apps show next to the account's email address.
OTP_TOTP_ISSUER = "network-crm"

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Email -----------------------------------------------------------------------------------
# Read from the classic EMAIL_* variables, configured through Django 6.1's MAILERS.
# Without EMAIL_HOST, mail is printed to the console (fine for trying it out).
_email_host = env_str("EMAIL_HOST")
_email_use_tls = env_bool("EMAIL_USE_TLS", False)
_email_use_ssl = env_bool("EMAIL_USE_SSL", False)
if _email_use_tls and _email_use_ssl:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
# Shorter than DIGEST_CLAIM_TIMEOUT_SECONDS so a hung SMTP server cannot outlive a worker's claim.
EMAIL_TIMEOUT_SECONDS = env_int("EMAIL_TIMEOUT", 20, minimum=1)
_email_port = env_int(
    "EMAIL_PORT", 465 if _email_use_ssl else 587 if _email_use_tls else 25, minimum=1
)
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": _email_use_tls,
                "use_ssl": _email_use_ssl,
                "timeout": EMAIL_TIMEOUT_SECONDS,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "network-crm <network-crm@localhost>")

# --- Celery and the reminder engine ----------------------------------------------------------
CELERY_BROKER_URL = (
    env_str("CELERY_BROKER_URL") or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
if not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sqla+sqlite://", "amqp://")):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must be redis://host:port/db or sqla+sqlite:///path (the default)."
    )
# How often beat runs the sweep (seconds). The sweep catches up by itself after downtime.
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 60, minimum=1)
# A digest claimed by a worker longer ago than this is taken up again by the sweep.
DIGEST_CLAIM_TIMEOUT_SECONDS = env_int("DIGEST_CLAIM_TIMEOUT_SECONDS", 300, minimum=30)
if EMAIL_TIMEOUT_SECONDS >= DIGEST_CLAIM_TIMEOUT_SECONDS:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be shorter than DIGEST_CLAIM_TIMEOUT_SECONDS.")

CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Enqueueing must never hang a web request when the broker is down: fail fast, and the sweep
# re-enqueues from the database once the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# max_retries/interval_start: kombu otherwise retries the first connect with growing sleeps, so a
# publish with Redis down blocked a request for seconds (bench/NOTES.md); now it fails within the
# timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1, "interval_start": 0}
    if CELERY_BROKER_URL.startswith("redis")
    else {}
)
# Beat's record of when each entry last ran lives with the rest of the instance's files.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep": {
        "task": "reminders.tasks.sweep",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
        # A sweep that could not start in time is superseded by the next one.
        "options": {"expires": float(SWEEP_INTERVAL_SECONDS)},
    },
    "prune-broker": {"task": "reminders.tasks.prune_broker", "schedule": 3600.0},
    # Webhook retries that came due and stale claims (api/tasks.py, docs/architecture.md
    # "Webhooks"); a run that could not start in time is superseded by the next.
    "deliver-webhooks": {
        "task": "api.tasks.deliver_webhooks",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # Idempotency records (kept 24 h) and old webhook deliveries (kept 30 days).
    "purge-api-records": {"task": "api.tasks.purge_api_records", "schedule": 86400.0},
    # Digests to channels and devices: fan-out, retries that came due, stale claims
    # (notify/tasks.py, docs/architecture.md "Notifications").
    "deliver-notifications": {
        "task": "notify.tasks.deliver_notifications",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}

# Largest contacts file accepted for import (MB).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20, minimum=1) * 1024 * 1024
# Files with more cards than this import in a Celery task, with a progress bar.
IMPORT_SYNC_LIMIT = env_int("IMPORT_SYNC_LIMIT", 1000, minimum=0)

# Largest request body the DAV server (dav.views) reads: a card with a photo fits; more is 413.
DAV_MAX_BODY_BYTES = 2 * 1024 * 1024

# The REST API (api/, docs/architecture.md "The API"): personal access tokens (Bearer) or the
# browser's session with CSRF; cursor pages; per-token throttling answered with Retry-After.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_RATE", "600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# The API's request counts (api/throttling.py) must be shared by every web worker: Redis when the
# broker is Redis, otherwise files under VAR_DIR (one host). Django's own default stays in memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Whole pages per owner (network_crm/owner_cache.py): per process is enough, since the key
    # holds the data versions read from the database on every request.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "owner-pages",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": env_int("OWNER_CACHE_MAX_ENTRIES", 500, minimum=1)},
    },
    "api": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
            "KEY_PREFIX": "network-crm-api",
            "TIMEOUT": 3600,
        }
        if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "api"),
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "network-crm API",
    "DESCRIPTION": "Everything you keep in network-crm: people, interactions, reminders, import "
    "and export. Authenticate with a personal access token (Settings → API tokens): "
    "`Authorization: Bearer <token>`.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Webhooks' events and their deliveries' event are one choice set: one name in the schema.
    "ENUM_NAME_OVERRIDES": {"WebhookEventEnum": "api.models.Webhook.Event"},
    # JSON bodies, the errors every view can answer, create → object links (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.json_request_bodies",
        "api.schema.add_error_responses",
        "api.schema.add_links",
    ],
}
# Webhook URLs that resolve to private, loopback or link-local addresses are refused unless this
# is on (tests, home networks): docs/architecture.md "Webhooks".
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# Notifications (docs/architecture.md "Notifications"). Targets and push endpoints that resolve
# to private or loopback addresses are refused unless this is on (tests, home servers).
NOTIFY_ALLOW_PRIVATE = env_bool("NOTIFY_ALLOW_PRIVATE", False)
# Things to share (docs/architecture.md "Give first"): the worker reads a saved link's page for its
# title only on public addresses unless this is on (tests, a home network's wiki).
THINGS_ALLOW_PRIVATE = env_bool("THINGS_ALLOW_PRIVATE", False)
# The Apprise schemes a user may add (both forms where a service has http and https).
NOTIFY_SCHEMES = env_list("NOTIFY_SCHEMES", []) or [
    # Chat and push apps, cloud or self-hosted (both forms where a service has http and https).
    *("tgram", "ntfy", "ntfys", "signal", "signals", "matrix", "matrixs", "discord", "slack"),
    *("gotify", "gotifys", "pover", "rocket", "rockets", "mmost", "mmosts", "msteams", "zulip"),
    # Email through another server, and a JSON POST to a URL of yours.
    *("mailto", "mailtos", "json", "jsons"),
]
# The key that encrypts channel URLs at rest (Fernet, urlsafe base64 of 32 bytes); when unset,
# one is generated into VAR_DIR/notify.key on first use. Old keys still decrypt during a
# rotation (README "Rotating the notification key"; manage.py notify_rotate_key).
NOTIFY_SECRET_KEY = env_str("NOTIFY_SECRET_KEY")
NOTIFY_OLD_SECRET_KEYS = env_list("NOTIFY_OLD_SECRET_KEYS", [])
NOTIFY_KEY_FILE = VAR_DIR / "notify.key"
# Web Push (RFC 8292): the VAPID key pair, generated into VAR_DIR/vapid-private.pem on first use
# unless VAPID_PRIVATE_KEY (a PEM) is given; the subject is how push services reach the admin.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_KEY_FILE = VAR_DIR / "vapid-private.pem"
VAPID_SUBJECT = env_str("VAPID_SUBJECT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Radicale (dav) logs every request at INFO and refused preconditions at WARNING.
        "radicale": {"level": "ERROR"},
    },
}
