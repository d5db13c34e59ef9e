"""The Docker files, read (no Docker engine runs here): the image keeps secrets, history and local data out and
runs the deploy settings as an unprivileged user; compose hard-codes no secret and builds DATABASE_URL from
.env, whose committed template is refused until it is given a key of its own."""

import json
import re

from tests.settings_helpers import A_SECRET_KEY, ROOT, run_python

SHOW_DATABASE = """
import json
import seatfinder.settings.deploy as deploy
database = deploy.DATABASES["default"]
print(json.dumps({key: database[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}))
"""


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def compose_value(name: str, env: dict[str, str]) -> str:
    """The value docker-compose.yml gives `name`, with compose's ${VAR}, ${VAR:-default} and ${VAR:?error}
    filled in from env (as compose fills them from .env)."""
    line = next(
        line for line in (ROOT / "docker-compose.yml").read_text().splitlines() if f" {name}: " in line
    )

    def fill(match):
        variable, kind, text = match.group(1), match.group(2), match.group(3)
        if env.get(variable):
            return env[variable]
        assert kind == ":-", f"compose would stop: {text}"
        return text

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", fill, line.split(f" {name}: ", 1)[1].strip())


def test_compose_hard_codes_no_secret_and_reads_dot_env():
    lines = (ROOT / "docker-compose.yml").read_text().splitlines()
    compose = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "SECRET_KEY" not in compose
    assert "env_file: .env" in compose
    assert re.findall(r"POSTGRES_PASSWORD: (.+)", compose) == [
        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (cp .env.example .env)}"
    ]
    assert compose_value("DJANGO_SETTINGS_MODULE", {}) == "seatfinder.settings.deploy"


def test_dot_env_is_ignored_by_git_and_kept_out_of_the_image():
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


def test_the_env_example_key_is_refused():
    env = {**env_example(), "POSTGRES_PASSWORD": "password1", "DATABASE_URL": "postgresql://x@db/seatfinder"}
    done = run_python(["-c", "import seatfinder.settings.deploy"], **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is a sample key" in done.stderr


def test_the_env_example_with_a_key_and_password_of_your_own_starts_on_composes_database():
    env = {**env_example(), "SECRET_KEY": A_SECRET_KEY, "POSTGRES_PASSWORD": "password1"}
    env["DATABASE_URL"] = compose_value("DATABASE_URL", env)
    done = run_python(["-c", SHOW_DATABASE], **env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "NAME": "seatfinder",
        "USER": "seatfinder",
        "PASSWORD": "password1",
        "HOST": "postgres",
        "PORT": 5432,
    }


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (the pattern forms it uses)."""
    for pattern in (ROOT / ".dockerignore").read_text().splitlines():
        if not pattern or pattern.startswith("#"):
            continue
        if path == pattern or path.startswith(pattern + "/"):
            return True
        if pattern.startswith("**/") and pattern[3:] in path.split("/"):
            return True
    return False


def test_the_image_leaves_out_history_local_data_and_caches():
    for path in (".git", ".venv", ".pgdata", "bench/data", "var", ".pytest_cache", ".ruff_cache"):
        assert dockerignored(path), path
    assert dockerignored("constituencies/__pycache__")
    assert not dockerignored("constituencies") and not dockerignored("manage.py")


def test_the_image_runs_the_deploy_settings_unprivileged_with_collected_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=seatfinder.settings.deploy" in dockerfile
    assert re.search(r"^USER seatfinder$", dockerfile, re.MULTILINE)
    assert "manage.py collectstatic --noinput" in dockerfile
    assert "[dev]" not in dockerfile  # no embedded PostgreSQL, no test tools
    assert dockerfile.rstrip().splitlines()[-1].startswith('CMD ["gunicorn", "seatfinder.wsgi:application"')


def test_the_unprivileged_server_owns_the_folders_it_writes():
    """var/ for the postcode snapshots; .gunicorn/ for gunicorn 27's control socket, made in the working
    directory, which the image's root-owned /app would refuse (an ERROR in every container's log)."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "mkdir -p var .gunicorn" in dockerfile
    assert "chown seatfinder:seatfinder var .gunicorn" in dockerfile
