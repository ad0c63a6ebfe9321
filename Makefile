# Two commands: `make run` (set up and serve the demo) and `make test` (set up and test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint setup setup-dev demo lock vendor serve-prod stop-prod

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Runtime dependencies, from the lock file.
$(VENV)/.deps-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	touch $@

# Runtime plus test and lint tools, from the dev lock file.
$(VENV)/.deps-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@ $(VENV)/.deps-run

setup: $(VENV)/.deps-run
setup-dev: $(VENV)/.deps-dev

demo: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --documents
	DEBUG=1 $(BIN)/python manage.py create_demo_users

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (SQLite, Celery eager). Ctrl-C stops."
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist, idle workers steal queued tests);
# PYTEST_WORKERS=0 runs it in one process (CI does for the PostgreSQL pass, whose integration
# tests load the machine themselves).
PYTEST_WORKERS ?= auto

test: setup-dev
	$(BIN)/lint-imports --no-logo
	SECRET_KEY=test-only-secret-key $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

# Re-lock after changing dependencies in pyproject.toml (needs network access to PyPI).
lock: setup-dev
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile -q pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock

# Refresh the vendored front-end assets from the npm registry (versions in package.json).
vendor:
	npm install --no-audit --no-fund
	mkdir -p static/vendor/htmx static/vendor/axe-core
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE static/vendor/axe-core/

# The production processes (gunicorn, Celery worker and beat) on the local PostgreSQL and Redis,
# in the background; settings from the environment (see .env.example and README "Deploy").
serve-prod: setup
	bash deploy/serve-prod.sh start

stop-prod:
	bash deploy/serve-prod.sh stop
