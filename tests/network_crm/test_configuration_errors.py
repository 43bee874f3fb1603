"""Configuration errors fail at start-up with a message that says what to set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "VAR_DIR": str(tmp_path), **env}
    environment.pop("DATABASE_URL", None) if "DATABASE_URL" not in env else None
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number, not 'twenty-five'"),
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must be sqlite:///path or postgres://"),
        ("CELERY_BROKER_URL", "kafka://x", "CELERY_BROKER_URL must be redis://"),
        ("SWEEP_INTERVAL_SECONDS", "0", "SWEEP_INTERVAL_SECONDS must be at least 1"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    result = run_check(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    for _ in range(2):
        subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={**env, "VAR_DIR": str(tmp_path)},
            check=True,
            capture_output=True,
            timeout=60,
        )
        key = (tmp_path / "secret_key").read_text()
        assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_env_example_lists_every_variable_settings_read():
    settings_source = (ROOT / "network_crm" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    read.discard("TESTING")  # set by the test runner only
    assert read - listed == set(), "add these to .env.example"
