"""Settings for the benchmark processes only: the project's own, plus the floor page's URL and a
private static root. Every other knob is the real one (DEBUG off, the manifest static storage,
WAL SQLite or PostgreSQL from DATABASE_URL, VAR_DIR from the environment)."""

from __future__ import annotations

import os

from network_crm.settings import *  # noqa: F403
from network_crm.settings import VAR_DIR

ROOT_URLCONF = "bench.urls"
# collectstatic writes here, not into the checkout's staticfiles/ (shared with `make run`).
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or str(VAR_DIR / "static")
