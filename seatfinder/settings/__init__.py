"""Seat Finder's settings, one module per use; choose one with DJANGO_SETTINGS_MODULE.

- `base`: everything common, read from the environment (no database of its own).
- `dev`: `manage.py` and `make run`; DEBUG on by default, the embedded PostgreSQL when DATABASE_URL is unset.
- `test`: pytest (pyproject.toml); dev's database rule, DEBUG off, a fast password hasher.
- `deploy`: the Docker image and `seatfinder/wsgi.py`; refuses to start without a SECRET_KEY of its own and a
  DATABASE_URL, and over HTTPS redirects to it, sends HSTS and marks cookies secure.
"""
