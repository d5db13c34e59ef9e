# Seat Finder under gunicorn, with the deploy settings, as a user without privileges.
# docker compose builds and runs it (docker-compose.yml, README: Docker); secrets come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=seatfinder.settings.deploy

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home seatfinder
WORKDIR /app

# The main dependencies only, in a layer of their own so that a change to the code does not reinstall them:
# no dev extra, so no embedded PostgreSQL and no test tools. The code runs from /app, not installed.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files collected, hashed and compressed once, here; whitenoise serves them. The deploy settings refuse
# to load without a SECRET_KEY and a DATABASE_URL, and collectstatic uses neither: a random key and an unused
# URL, kept in no layer. The site writes to two folders: var/ (the postcode look-up snapshots,
# SEATFINDER_POSTCODE_SNAPSHOT_DIR) and .gunicorn/ (gunicorn 27's control socket, in the working directory).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DATABASE_URL=postgresql://unused@localhost/unused \
    python manage.py collectstatic --noinput \
    && mkdir -p var .gunicorn \
    && chown seatfinder:seatfinder var .gunicorn

USER seatfinder
EXPOSE 8000
CMD ["gunicorn", "seatfinder.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
