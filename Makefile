# network-crm: `make run` serves the app, `make test` runs the whole suite.
# Each target installs what it needs first (a virtualenv in .venv from the hash-locked requirements).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
export PORT

help:
	@echo "make run    - serve network-crm (gunicorn, Celery worker + beat) on http://127.0.0.1:$(PORT)"
	@echo "make dev    - the same with Django's autoreloading runserver and DEBUG on"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff check + ruff format --check"
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
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/honcho -f Procfile start

dev: $(STAMP)
	@mkdir -p var
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(VENV)/bin/honcho -f Procfile.dev start

test: $(STAMP)
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
	rm -rf $(VENV) .tools staticfiles .pytest_cache

.PHONY: help install run dev test lint fmt lock clean bench
