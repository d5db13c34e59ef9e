# Seat Finder: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrate demo seed-supporters stop-db bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Seat Finder needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Fake confirmed supporters (is_fake, @example.invalid addresses) in three demo seats, so counts show something.
seed-supporters: demo
	$(BIN)/python manage.py seed_supporters --demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The tests run on TEST_WORKERS pytest-xdist workers, each with its own test database; loadgroup keeps the groups
# of tests/conftest.py (XDIST_GROUPS: the browser tests, the shared data sets) on one worker each. TEST_WORKERS=0
# runs them all in this process.
TEST_WORKERS ?= 2
test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

# Runs every bench/*_bench.py (see README, Benchmarks); BENCH_ARGS=--quick skips the 2.7-million-row import.
bench: demo
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

# Stops the embedded PostgreSQL (it keeps running between commands to save start-up time): the one in
# EMBEDDED_POSTGRES_DIR, as the settings choose it (default .pgdata).
stop-db:
	@$(BIN)/python -c 'from seatfinder.embedded_db import embedded_data_dir, stop_embedded_server; print("stopped" if stop_embedded_server(embedded_data_dir().resolve()) else "not running")'

clean: stop-db
	rm -rf $(VENV) .pgdata staticfiles
