"""The shape of docker-compose.yml, read with PyYAML (no Docker engine runs here): `docker compose up --scale
web=3` gives several app servers behind nginx, which alone publishes a port; the migrations and demo data run
once, in a one-shot service the app servers wait for; the app servers share PostgreSQL and Redis and need
nothing from the host."""

import re

import pytest
import yaml

from tests.settings_helpers import ROOT

NGINX_CONFIG = "deploy/nginx/nginx.conf"


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_only_nginx_publishes_a_port_so_web_can_be_scaled(services):
    assert services["nginx"]["ports"] == ["127.0.0.1:8000:80"]
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]
    assert "container_name" not in services["web"]  # a fixed name would stop --scale web=3
    assert services["web"]["expose"] == ["8000"]


def test_nginx_runs_the_committed_config_and_reaches_web_where_gunicorn_listens(services):
    assert services["nginx"]["volumes"] == [f"./{NGINX_CONFIG}:/etc/nginx/nginx.conf:ro"]
    config = (ROOT / NGINX_CONFIG).read_text()
    assert re.search(r"^\s*server web:8000 ", config, re.MULTILINE)
    assert "--bind 0.0.0.0:8000" in command_text(services["web"])


def test_migrations_and_demo_data_run_once_before_any_app_server(services):
    migrate = services["migrate"]
    assert command_text(migrate) == "sh -c python manage.py migrate --noinput && python manage.py load_demo"
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    web = command_text(services["web"])
    assert web.startswith("gunicorn seatfinder.wsgi:application") and "manage.py" not in web
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "redis": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    # nginx resolves every replica when it starts, so it starts once they all answer.
    assert services["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "urlopen" in " ".join(services["web"]["healthcheck"]["test"])


def test_the_app_servers_share_one_image_database_and_redis_and_nothing_from_the_host(services):
    migrate, web = services["migrate"], services["web"]
    assert migrate["image"] == web["image"] and migrate["build"] == web["build"] == "."
    assert migrate["environment"] == web["environment"]
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "seatfinder.settings.deploy"
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["environment"]["SEATFINDER_FORWARDED_FOR_PROXIES"] == "1"  # nginx, and nothing else, in front
    assert web["environment"]["DATABASE_URL"].split("@")[1] == "postgres:5432/${POSTGRES_DB:-seatfinder}"
    assert "healthcheck" in services["redis"] and "healthcheck" in services["postgres"]
    for name in ("migrate", "web"):
        assert "volumes" not in services[name], f"{name} must need nothing from the host"
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "snapshot" not in compose  # no per-host step: each process builds its own look-up data
