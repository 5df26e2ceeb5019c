"""Settings for Lifeline, read from the environment.

Every value has a safe default for the embedded demo (SQLite, no broker, email
to the console). A production install sets ``LIFELINE_ENV=production`` and the
variables listed in docs/operators/install.md.
"""

import json
import os
from pathlib import Path

import dj_database_url
import django.conf.locale

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default="0"):
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(env(name, str(default)))


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("LIFELINE_ENV", "demo") == "production"
# Off unless asked for (DEBUG=1 on a developer's machine): the demo, too, shows the product's own
# error pages and never Django's debug pages.
DEBUG = envbool("DEBUG", "0")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when LIFELINE_ENV=production")
    SECRET_KEY = "demo-only-secret-key-never-use-in-production-0123456789abcdef"

# Fernet keys (comma separated, newest first) for personal data at rest.
ENCRYPTION_KEYS = envlist("LIFELINE_ENCRYPTION_KEYS")
if not ENCRYPTION_KEYS:
    if PRODUCTION:
        raise RuntimeError("LIFELINE_ENCRYPTION_KEYS must be set when LIFELINE_ENV=production")
    # Demo key: fixed so that demo data survives restarts. Never used in production.
    ENCRYPTION_KEYS = ["ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q="]
# Keys taken out of LIFELINE_ENCRYPTION_KEYS by a rotation: they never encrypt, but still decrypt,
# so that a backup made before the rotation can be restored. Keep each as long as such a backup.
RETIRED_KEYS = envlist("LIFELINE_RETIRED_KEYS")

# Key for the blind indexes that find duplicate documents and phones without
# decrypting them. Unlike the encryption keys it does not rotate: changing it
# means computing every index again from the decrypted values.
INDEX_KEY = env("LIFELINE_INDEX_KEY")
if not INDEX_KEY:
    if PRODUCTION:
        raise RuntimeError("LIFELINE_INDEX_KEY must be set when LIFELINE_ENV=production")
    INDEX_KEY = "demo-only-index-key"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "lifeline.core",
    "lifeline.geo",
    "lifeline.directory",
    "lifeline.communities",
    "lifeline.interpreters",
    "lifeline.nationals",
    "lifeline.crises",
    "lifeline.evacuation",
    "lifeline.cases",
    "lifeline.advice",
    "lifeline.alerts",
    "lifeline.messaging",
    "lifeline.messaging.channels.apps.ChannelsConfig",
    "lifeline.plans",
    "lifeline.training",
    "lifeline.risk",
    "lifeline.pwa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lifeline.core.http.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lifeline.core.http.RequestBodyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lifeline.core.middleware.SecondFactorMiddleware",
    "lifeline.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lifeline.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lifeline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lifeline.core.context_processors.deployment",
            ],
        },
    },
]

WSGI_APPLICATION = "lifeline.wsgi.application"

if PRODUCTION and not env("DATABASE_URL"):
    raise RuntimeError("DATABASE_URL must be set when LIFELINE_ENV=production")
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", "") or None}
else:
    DATABASES["default"]["TEST"] = {"NAME": env("PG_TEST_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Per account, whatever the address (lifeline/core/signin.py): after this many failures each attempt
# waits 2, 4, 8 … seconds after the last failure, at most LOGIN_ACCOUNT_MAX_DELAY; never a lock-out.
LOGIN_ACCOUNT_FREE_FAILURES = envint("LOGIN_ACCOUNT_FREE_FAILURES", 10)
LOGIN_ACCOUNT_MAX_DELAY = envint("LOGIN_ACCOUNT_MAX_DELAY", 60)
LOGIN_ACCOUNT_WINDOW = envint("LOGIN_ACCOUNT_WINDOW", 3600)

# Sessions expire after a period without activity and at browser close.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = env("OTP_ISSUER", "Lifeline")

LANGUAGE_CODE = "en"
# The interface languages the product ships; LANGUAGES adds those a deployment adds (below).
BASE_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("pt", "Português"),
]
# What migrants read (the nationals' app, public alert, advice and subscription pages, briefings,
# the emails and SMS sent to them) is offered also in these languages. Their catalogs carry only the
# migrant-facing texts (lifeline/core/catalogs.py says which sources those are); staff pages keep
# to STAFF_LANGUAGES.
MIGRANT_LANGUAGES = [
    ("fil", "Filipino"),
    ("bn", "বাংলা"),
    ("ne", "नेपाली"),
    ("si", "සිංහල"),
    ("hi", "हिन्दी"),
    ("ur", "اردو"),
    ("am", "አማርኛ"),
    ("id", "Bahasa Indonesia"),
]
STAFF_LANGUAGES = list(BASE_LANGUAGES)
LANGUAGES = list(BASE_LANGUAGES) + list(MIGRANT_LANGUAGES)
# Django ships no locale data for these codes: name, local name and direction.
EXTRA_LANG_INFO = {
    "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
    "si": {"bidi": False, "code": "si", "name": "Sinhala", "name_local": "සිංහල"},
    "am": {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"},
}
django.conf.locale.LANG_INFO.update(
    {code: info for code, info in EXTRA_LANG_INFO.items() if code not in django.conf.locale.LANG_INFO}
)
LOCALE_PATHS = [BASE_DIR / "lifeline" / "locale"]
# Languages a deployment adds (see docs/operators/install.md, "Adding a language"): their catalogs
# live outside the checkout, so that upgrades never touch them. LIFELINE_LANGUAGES is "bn:বাংলা,ne:नेपाली".
if env("LIFELINE_LOCALE_DIR"):
    LOCALE_PATHS.insert(0, Path(env("LIFELINE_LOCALE_DIR")))
# The deployment's own word for a crisis (LIFELINE_TERMS=emergency): an overlay catalog of whole
# sentences written by translators, searched before every other (lifeline/core/terms.py). A deployment's
# own overlays live in LIFELINE_TERMS_DIR, outside the checkout; the product ships lifeline/terms.
TERMS = env("LIFELINE_TERMS").strip()
TERMS_DIR = env("LIFELINE_TERMS_DIR")
if TERMS:
    from lifeline.core.terms import SHIPPED_DIR, locale_dir

    LOCALE_PATHS.insert(0, locale_dir(TERMS, [Path(TERMS_DIR)] * bool(TERMS_DIR) + [SHIPPED_DIR]))
# LIFELINE_MIGRANT_LANGUAGES, in the same form, adds languages for what migrants read only.
# A shipped migrant language listed in LIFELINE_LANGUAGES (with its full catalog) becomes a staff
# language too.
for _item in envlist("LIFELINE_LANGUAGES"):
    _code, _sep, _name = _item.partition(":")
    _code = _code.strip()
    if _code and _code not in dict(STAFF_LANGUAGES):
        STAFF_LANGUAGES.append((_code, _name.strip() or dict(LANGUAGES).get(_code, _code)))
        if _code not in dict(LANGUAGES):
            LANGUAGES.append(STAFF_LANGUAGES[-1])
for _item in envlist("LIFELINE_MIGRANT_LANGUAGES"):
    _code, _sep, _name = _item.partition(":")
    _code = _code.strip()
    if _code and _code not in dict(LANGUAGES):
        LANGUAGES.append((_code, _name.strip() or _code))
        MIGRANT_LANGUAGES.append(LANGUAGES[-1])
for _code, _name in LANGUAGES:  # a deployment's language Django knows nothing of: its name at least
    django.conf.locale.LANG_INFO.setdefault(
        _code, {"bidi": False, "code": _code, "name": str(_name), "name_local": str(_name)}
    )
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Number formats that differ from Django's (Arabic groups thousands); figures use floatformat:"g".
FORMAT_MODULE_PATH = ["lifeline.formats"]

STATIC_URL = "static/"
# Third-party browser files come from npm at set-up (package.json, `make setup`), served from here.
STATICFILES_DIRS = [
    BASE_DIR / "lifeline" / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# WhiteNoise serves the static files; outside production it reads them where they are (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Error pages (templates 403.html, 404.html, 500.html, 403_csrf.html; JSON under /api/).
CSRF_FAILURE_VIEW = "lifeline.core.errors.csrf_failure"

# Uploads: refuse anything larger than this before it reaches a parser.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 200_000)
# Counted as a table is read, whatever the file says of itself.
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", 1000)
IMPORT_MAX_CELLS = envint("IMPORT_MAX_CELLS", 5_000_000)
# An XLSX is a zip: the most all of its parts together may unpack to.
IMPORT_MAX_UNZIPPED_BYTES = envint("IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
# Uploaded images (case photos, the logo): refused above this many pixels, read from the
# header before decoding; kept at most this many pixels a side.
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", 25_000_000)
IMAGE_MAX_SIDE = envint("IMAGE_MAX_SIDE", 2048)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
# The public address of this deployment, for absolute links in emails and alerts.
SITE_URL = env("SITE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lifeline@localhost")

# Background work: Celery on a broker in production; in the embedded default
# tasks run in the calling process with the same code.
CELERY_BROKER_URL = env("BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 10_000_000

# Product rules a deployment can tune.
CONTACT_VERIFY_AFTER_DAYS = envint("CONTACT_VERIFY_AFTER_DAYS", 180)
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90)
# The check-in fast lane: "are you safe?" answers from the app taken in front of Django's stack
# (lifeline/wsgi.py and lifeline/asgi.py); and written in one PostgreSQL statement (crises.services.record_answer).
# Off: Django's full stack, or the ORM, does it, with the same effect.
CHECKIN_FAST_LANE = envbool("CHECKIN_FAST_LANE", "1")
CHECKIN_ONE_STATEMENT = envbool("CHECKIN_ONE_STATEMENT", "1")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# Logs go to standard error (the journal under systemd), at LOG_LEVEL (INFO by default).
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Messaging channels (see docs/operators/messaging.md).
MESSAGING_RATES = json.loads(env("MESSAGING_RATES", '{"email": 20, "sms": 200, "push": 200}'))
MESSAGING_EMAIL_FROM = env("MESSAGING_EMAIL_FROM")  # default: DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
EMAIL_BATCH_SIZE = envint("EMAIL_BATCH_SIZE", 50)
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_METHOD = env("SMS_GATEWAY_METHOD", "POST")
SMS_GATEWAY_HEADERS = env("SMS_GATEWAY_HEADERS", "{}")
SMS_GATEWAY_TEMPLATE = env("SMS_GATEWAY_TEMPLATE", '{"to": "{to}", "text": "{text}", "reference": "{id}"}')
SMS_GATEWAY_BATCH = env("SMS_GATEWAY_BATCH")  # e.g. '{"messages": "{messages}"}'
SMS_GATEWAY_BATCH_URL = env("SMS_GATEWAY_BATCH_URL")
SMS_GATEWAY_BATCH_SIZE = envint("SMS_GATEWAY_BATCH_SIZE", 100)
SMS_GATEWAY_RESPONSE_ID = env("SMS_GATEWAY_RESPONSE_ID", "id")
SMS_GATEWAY_BATCH_RESPONSE_ITEMS = env("SMS_GATEWAY_BATCH_RESPONSE_ITEMS", "messages")
SMS_GATEWAY_BATCH_ITEM_ID = env("SMS_GATEWAY_BATCH_ITEM_ID", "id")
SMS_GATEWAY_BATCH_ITEM_ERROR = env("SMS_GATEWAY_BATCH_ITEM_ERROR", "error")
SMS_GATEWAY_TIMEOUT = float(env("SMS_GATEWAY_TIMEOUT", "10"))
SMS_GATEWAY_CONCURRENCY = envint("SMS_GATEWAY_CONCURRENCY", 8)
SMS_DEFAULT_REGION = env("SMS_DEFAULT_REGION")  # ISO2, for inbound numbers without +
SMS_WEBHOOK_SECRET = env("SMS_WEBHOOK_SECRET")  # empty: webhooks refuse everything
SMS_WEBHOOK_HEADER = env("SMS_WEBHOOK_HEADER", "X-Webhook-Signature")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY")
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY")
VAPID_SUBJECT = env("VAPID_SUBJECT")  # default mailto:DEFAULT_FROM_EMAIL
VAPID_KEYS_FILE = env("VAPID_KEYS_FILE", str(BASE_DIR / "var" / "vapid.json"))
# CAP signing (lifeline/alerts/signing.py): <organisation id>.key.pem / .cert.pem per signing
# organisation; a PEM bundle of certificates whose signatures on imported messages count as trusted.
CAP_SIGNING_KEYS_DIR = env("CAP_SIGNING_KEYS_DIR", "")
CAP_TRUSTED_CERTIFICATES = env("CAP_TRUSTED_CERTIFICATES", "")
PUSH_TTL = envint("PUSH_TTL", 86400)
PUSH_TIMEOUT = float(env("PUSH_TIMEOUT", "10"))
PUSH_CONCURRENCY = envint("PUSH_CONCURRENCY", 8)

# Alerts: the OASIS CAP 1.2 schema (default: ../shared/data/cap/CAP-v1.2.xsd beside the project).
CAP_SCHEMA = env("CAP_SCHEMA", "")
# Let CAP feeds be fetched from private/loopback addresses (off: a feed URL must not reach the server's own network).
ALERTS_ALLOW_PRIVATE_FEEDS = envbool("ALERTS_ALLOW_PRIVATE_FEEDS", "0")

# Nationals abroad: just-in-case registrations lapse this many days after the trip or residence review;
# reminders to renew go this many days before.
REGISTRATION_RETENTION_DAYS = envint("REGISTRATION_RETENTION_DAYS", 30)
REGISTRATION_REMINDER_DAYS = envint("REGISTRATION_REMINDER_DAYS", 14)

# Assistance cases: hours from opening to the due time, per priority.
CASE_DUE_HOURS = {"critical": 2, "high": 24, "normal": 72, "low": 168}

# Messaging engine: batches per task, fallback after this many seconds without delivery, retries.
MESSAGING_BATCH_SIZE = envint("MESSAGING_BATCH_SIZE", 500)
MESSAGING_SEND_CHUNK = envint("MESSAGING_SEND_CHUNK", 500)
MESSAGING_FALLBACK_LANGUAGES = envlist("MESSAGING_FALLBACK_LANGUAGES", "en")
MESSAGING_FALLBACK_AFTER = envint("MESSAGING_FALLBACK_AFTER", 900)
MESSAGING_MAX_ATTEMPTS = envint("MESSAGING_MAX_ATTEMPTS", 4)
MESSAGING_CLAIM_TIMEOUT = envint("MESSAGING_CLAIM_TIMEOUT", 300)
MESSAGING_QUEUE = env("MESSAGING_QUEUE", "celery")
# A list of addresses typed into a send ("static" audience): above this many, only a coordinator sends it.
MESSAGING_STATIC_LIMIT = envint("MESSAGING_STATIC_LIMIT", 50)

# A plan is "migrant-inclusive" (plans/figures.py) when its newest assessment with the migrant
# checklist scores at least this many per cent.
PLANS_INCLUSIVE_SCORE = envint("PLANS_INCLUSIVE_SCORE", 60)

# How often the scheduler's heartbeat runs; /readyz fails after three missed ones.
HEARTBEAT_SECONDS = envint("LIFELINE_HEARTBEAT_SECONDS", 60)

# Periodic work (celery beat in production; `manage.py messaging_tick` from cron without a broker).
CELERY_BEAT_SCHEDULE = {
    "alerts-poll-feeds": {
        "task": "lifeline.alerts.tasks.poll_feeds",
        "schedule": envint("ALERTS_POLL_SECONDS", 120),
    },
    "advice-purge-unconfirmed": {"task": "advice.purge_unconfirmed_subscriptions", "schedule": 86400},
    "nationals-renewal-reminders": {"task": "nationals.send_renewal_reminders", "schedule": 86400},
    "nationals-purge-expired": {"task": "nationals.purge_expired_registrations", "schedule": 86400},
    "risk-poll-gdacs": {
        "task": "lifeline.risk.tasks.poll_gdacs",
        "schedule": envint("RISK_GDACS_POLL_SECONDS", 900),
    },
    "plans-action-reminders": {"task": "plans.send_action_reminders", "schedule": 86400},
    "plans-review-reminders": {"task": "plans.send_review_reminders", "schedule": 86400},
    "messaging-sweep": {"task": "messaging.sweep", "schedule": 60.0},
    "messaging-fallbacks": {"task": "messaging.check_fallbacks", "schedule": 60.0},
    # Proves to /readyz and `lifeline status` that the scheduler runs and a worker takes its work.
    "core-heartbeat": {"task": "core.heartbeat", "schedule": HEARTBEAT_SECONDS},
}

# The request edge (see docs/operators/install.md).
# How many reverse proxies of this deployment stand in front of the application. 0: the client is
# REMOTE_ADDR and X-Forwarded-For is ignored; N: the client is the Nth address from the right of
# X-Forwarded-For (each proxy appends the address it saw). Lock-outs, limits and the audit log use it.
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 0)
AXES_CLIENT_IP_CALLABLE = "lifeline.core.http.client_ip"
# Public forms that send a code or a link to an address someone typed (alert subscriptions, advice
# subscriptions, the app's sign-in codes): at most this many an hour per client address, per
# destination address, and in all. Counted in the cache: set CACHE_URL (redis://...) when several
# processes serve requests, so that they share one count.
PUBLIC_SENDS_PER_CLIENT = envint("PUBLIC_SENDS_PER_CLIENT", 10)
PUBLIC_SENDS_PER_ADDRESS = envint("PUBLIC_SENDS_PER_ADDRESS", 3)
PUBLIC_SENDS_PER_HOUR = envint("PUBLIC_SENDS_PER_HOUR", 1000)
if env("CACHE_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
    }
# Gateway webhooks: every call carries its Unix time in this header, signed with the body (see
# docs/operators/messaging.md); calls further than SMS_WEBHOOK_MAX_AGE seconds from now, or seen
# before, are refused.
SMS_WEBHOOK_TIMESTAMP_HEADER = env("SMS_WEBHOOK_TIMESTAMP_HEADER", "X-Webhook-Timestamp")
SMS_WEBHOOK_MAX_AGE = envint("SMS_WEBHOOK_MAX_AGE", 300)
# Content-Security-Policy of every page: scripts only from this site's own files, no inline script;
# the one inline style (the deployment's colours) carries the per-request {nonce}. The interactive
# API documentation page loads its viewer from elsewhere and keeps no policy.
# An alert whose author gives no expiry stops being current this many hours after it takes effect.
ALERT_DEFAULT_HOURS = envint("ALERT_DEFAULT_HOURS", 24)
# A count of people shown to someone who may not see them (the languages read in an area, from
# other organisations' registrations) leaves out a group smaller than this, so none is singled out.
AGGREGATE_MIN_PEOPLE = envint("AGGREGATE_MIN_PEOPLE", 5)
# Risk analysis (docs/operators/risk.md). Where "which languages are spoken in this area" looks
# (lifeline/risk/languages.py): each a function (user, areas) giving figures per language or origin.
RISK_LANGUAGE_SOURCES = [
    "lifeline.risk.languages.profiles_source",
    "lifeline.risk.languages.presence_source",
    "lifeline.risk.languages.registrations_source",
]
# An origin group's languages from the table: those spoken by at least this share (%) of the
# country's population, and the official ones.
RISK_MIN_LANGUAGE_SHARE = envint("RISK_MIN_LANGUAGE_SHARE", 5)
# GDACS: the RSS or GeoJSON documents polled (empty: none; nothing is fetched), how often, the alert
# level from which posts get a proposal for their nationals inside, and the level from which that
# proposal is a check-in rather than an advice review.
RISK_GDACS_URLS = envlist("RISK_GDACS_URLS", "")
RISK_GDACS_POLL_SECONDS = envint("RISK_GDACS_POLL_SECONDS", 900)  # the scheduler entry "risk-poll-gdacs"
RISK_GDACS_PROPOSE_FROM = env("RISK_GDACS_PROPOSE_FROM", "Orange")
RISK_GDACS_CHECKIN_FROM = env("RISK_GDACS_CHECKIN_FROM", "Red")
# Map background (docs/operators/maps.md): a tile server's URL template such as
# https://tiles.example.org/{z}/{x}/{y}.png, and the credit its licence asks for. Empty: the
# administrative boundaries alone are drawn, and nothing is fetched from elsewhere.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")
_TILE_ORIGIN = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL.replace("{s}", "a"))
    if _tiles.scheme in ("http", "https") and _tiles.netloc:
        # Tile servers with {s} sub-domains: a.x, b.x, c.x, all allowed by a wildcard.
        _host = _tiles.netloc.replace("a.", "*.", 1) if "{s}" in MAP_TILE_URL else _tiles.netloc
        _TILE_ORIGIN = f" {_tiles.scheme}://{_host}"
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; "
    f"img-src 'self' data: blob:{_TILE_ORIGIN}; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
CSP_EXEMPT_PATHS = envlist("CSP_EXEMPT_PATHS", "/api/docs")
# Defaults of settings that the code reads directly and the environment does not set.
PUSH_BATCH_SIZE = envint("PUSH_BATCH_SIZE", 100)
PUSH_ALLOW_HTTP = envbool("PUSH_ALLOW_HTTP", "0")  # push endpoints over plain http (tests, never production)
MESSAGING_RETRY_BASE = envint("MESSAGING_RETRY_BASE", 2)  # seconds, doubled at every retry
MESSAGING_CHANNEL_CLASSES = {}  # channel name -> dotted class path, to replace a built-in channel
MESSAGING_AUDIENCE_MODULES = []  # extra modules that register audience kinds
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN")  # empty: the host name

# Right-to-left interface languages, by the one rule (lifeline.core.languages.is_rtl), so that
# Django's get_language_bidi agrees with every page, PDF, email and the app. Kept last: it reads
# LANGUAGES as a deployment has extended it.
from lifeline.core.languages import rtl_codes  # noqa: E402

LANGUAGES_BIDI = rtl_codes(
    [code for code, _name in LANGUAGES] + ["he", "fa", "ur", "ckb", "ps", "sd", "ug", "dv", "yi"]
)
