"""Settings for working on the site: `manage.py` and `make run` use them unless DJANGO_SETTINGS_MODULE says
otherwise. DEBUG is on unless DEBUG=false; without DATABASE_URL the embedded PostgreSQL is started (or reused)
with its data in EMBEDDED_POSTGRES_DIR (default .pgdata/, which git ignores)."""

from seatfinder.embedded_db import embedded_data_dir, embedded_database_settings
from seatfinder.settings.base import *  # noqa: F403
from seatfinder.settings.base import (
    BASE_DIR,
    DATABASE_URL,
    DEVELOPMENT_SECRET_KEY,
    EMAIL_CONFIGURED,
    SECRET_KEY,
    database,
    env_bool,
)

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

EMBEDDED_POSTGRES_DIR = embedded_data_dir()
if not DATABASE_URL:
    DATABASES = {"default": database(embedded_database_settings(EMBEDDED_POSTGRES_DIR))}

if not EMAIL_CONFIGURED:
    # Each email a file in var/mail/ (git ignores var/): read them with `ls var/mail` and any text viewer.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / "var" / "mail")
