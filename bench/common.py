"""Helpers shared by the benchmark steps: environments, Django set-up, PostgreSQL databases."""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BENCH_USER = "bench@example.com"
PG_BASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def step_env(*, var_dir: str | Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of one benchmark process: real settings, DEBUG off, its own VAR_DIR."""
    env = {
        key: value
        for key, value in os.environ.items()
        # A developer's own configuration must not leak into the measurement.
        if key not in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "CONN_MAX_AGE")
    }
    env.update(
        VAR_DIR=str(var_dir),
        # Nor a .env in the project root (settings.py reads none when ENV_FILE is empty).
        ENV_FILE="",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.setdefault("BENCH_STATIC_ROOT", str(Path(var_dir) / "static"))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def django_setup() -> None:
    """Set Django up inside a step process (run by run.py with step_env)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def ensure_static() -> None:
    """Collect static files into the bench's private STATIC_ROOT once (the manifest storage that
    production uses needs its manifest to render any page)."""
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def write_json(path: str | Path, data: object) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2, default=str) + "\n")


def pg_url(name: str) -> str:
    return f"{PG_BASE_URL}/{name}"


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(pg_url("postgres"), connect_timeout=3):
            return True
    except Exception:
        return False


def pg_recreate(name: str) -> str:
    """Drop and create a scratch database (only ever one named bench_*)."""
    assert name.startswith("bench_"), name
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_url(name)


def pg_drop(name: str) -> None:
    assert name.startswith("bench_"), name
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
