"""The test suite's own files and configuration, set before Django's settings are read.

Loaded as a plugin (`-p tests.hermetic` in pyproject.toml's addopts), so it runs before
pytest-django imports the settings, which read VAR_DIR and .env at import time. Every test run
gets a VAR_DIR of its own in a temporary directory (the SQLite test databases, the embedded
broker, uploaded media, the generated secret key), removed at the end, and never reads a `.env`:
an instance's `var/` is left exactly as it was, and a developer's `.env` (a real SMTP server, a
real broker) cannot leak into the tests. The variables are set in the environment, so the
processes the tests start (gunicorn, Celery worker and beat) inherit them unless told otherwise.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

VAR_DIR = Path(tempfile.mkdtemp(prefix="network-crm-tests-"))
os.environ["VAR_DIR"] = str(VAR_DIR)
# No .env: an empty ENV_FILE means none is read (see settings.py).
os.environ["ENV_FILE"] = ""
# The embedded broker in the VAR_DIR above, whatever broker the shell that started pytest names:
# tasks the tests enqueue must never reach a running instance's workers.
os.environ.pop("CELERY_BROKER_URL", None)
# Nor an instance's address: `make test` runs pytest with make's exported WEB_PORT (8000), which
# the processes the tests start would otherwise take over the port the test gives them.
for name in ("PORT", "WEB_PORT", "SITE_URL"):
    os.environ.pop(name, None)


def pytest_unconfigure(config) -> None:
    shutil.rmtree(VAR_DIR, ignore_errors=True)
