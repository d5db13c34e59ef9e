"""The supporters benchmark's settings: every benchmark's (site_settings.py), with the join form's rate limits
off (all its load comes from one loopback address, which a real visitor's limits would stop after 20 posts)
and emails built but not delivered, so the figures are the signup's own work."""

from bench.site_settings import *  # noqa: F403

RATELIMIT_ENABLE = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
