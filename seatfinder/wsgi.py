"""The WSGI application for gunicorn. Without DJANGO_SETTINGS_MODULE it runs the deploy settings, which refuse to
start without a SECRET_KEY and DATABASE_URL of their own, so a server never runs the development settings by
mistake. (The benchmarks' gunicorn sets DJANGO_SETTINGS_MODULE=bench.site_settings.)"""

import os

from seatfinder.wsgi_handler import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seatfinder.settings.deploy")
application = get_wsgi_application()
