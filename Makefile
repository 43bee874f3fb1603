# network-crm: `make run` serves the app, `make test` runs the whole suite.
# Each target installs what it needs first (a virtualenv in .venv from the hash-locked requirements).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
# The port `make run` and `make dev` serve on: PORT (PORT=9000 make run), else WEB_PORT, from the
# command line or the environment, else WEB_PORT in .env (or in the file ENV_FILE names, as for
# settings.py), else 8000. It reaches every process as WEB_PORT because honcho gives each
# Procfile process a PORT of its own (web N, worker N+100, beat N+200): gunicorn binds WEB_PORT
# and settings.py makes the default SITE_URL from it, so the digests the worker sends link to the
# port that is served.
ENV_FILE_READ := $(if $(filter undefined,$(origin ENV_FILE)),.env,$(ENV_FILE))
WEB_PORT := $(or $(PORT),$(WEB_PORT),$(shell sed -nE 's/^[[:space:]]*(export[[:space:]]+)?WEB_PORT[[:space:]]*=[[:space:]]*["'\'']?([0-9]+).*/\2/p' $(ENV_FILE_READ) 2>/dev/null | tail -n 1),8000)
export WEB_PORT
# The processes read .env themselves (settings.py), where the environment wins; honcho's own
# reading of it would let the file override the environment (DEBUG=true for make dev, say).
HONCHO := $(VENV)/bin/honcho --env /dev/null

help:
	@echo "make run    - serve network-crm (gunicorn, Celery worker + beat) on http://127.0.0.1:$(WEB_PORT)"
	@echo "make dev    - the same with Django's autoreloading runserver and DEBUG on"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff check + ruff format --check + lint-imports (the layers)"
	@echo "make bench  - run the benchmarks in bench/"

# uv is used where present; otherwise it is bootstrapped with pip into .tools/ (never downloads Python).
$(STAMP): requirements-dev.lock scripts/find-python
	@set -euo pipefail; \
	base=$$(scripts/find-python); \
	if uv --version >/dev/null 2>&1; then uv=uv; \
	else \
	  if ! .tools/bin/uv --version >/dev/null 2>&1; then \
	    echo "Bootstrapping uv $(UV_VERSION) into .tools/ ..."; \
	    "$$base" -m venv .tools && .tools/bin/pip install -q "uv==$(UV_VERSION)"; \
	  fi; \
	  uv=.tools/bin/uv; \
	fi; \
	if ! $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
	  rm -rf $(VENV); $$uv venv -q --python "$$base" $(VENV); \
	fi; \
	$$uv pip sync -q --python $(PY) requirements-dev.lock; \
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(HONCHO) -f Procfile start

dev: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(HONCHO) -f Procfile.dev start

# The suite keeps its files (databases, broker, media, secret key) in a temporary directory of
# its own and never reads .env (tests/hermetic.py), so it leaves var/ as it was.
test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the hash-locked requirements after editing pyproject.toml.
lock: $(STAMP)
	@uv=$$(uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv); \
	$$uv pip compile pyproject.toml --python-version 3.12 --universal --generate-hashes --no-header -q -o requirements.lock && \
	$$uv pip compile pyproject.toml --group dev --python-version 3.12 --universal --generate-hashes --no-header -q -o requirements-dev.lock

# Seeds 100, 1,000 and 10,000 contacts (and 100,000 for the sweep) in temporary databases under
# /tmp/bench-var-*, needs wrk (apt-get install wrk) and uses PostgreSQL when it is reachable.
# BENCH_ARGS="--quick" shortens the load test to 10 s; see bench/run.py --help.
bench: $(STAMP)
	$(PY) bench/run.py --sizes 100,1000,10000 --repeat 15 --duration 60 $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools staticfiles .pytest_cache .import_linter_cache

.PHONY: help install run dev test lint fmt lock clean bench
