"""A `.env` in the project root configures every entry point; the environment wins over it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from network_crm.env import load_env_file, parse_env_file

ROOT = Path(__file__).resolve().parents[3]


def test_the_file_is_read_as_shells_and_other_tools_write_it():
    text = """
# A comment, then a blank line

PLAIN=value
export EXPORTED=yes
  SPACED = around the sign\t
COMMENTED=1 # the rest is a comment
HASH_IN_VALUE=a#b
EMPTY=
SINGLE='kept $AS is # too'
DOUBLE="a \\"quoted\\" word\\nnext line"  # comment after quotes
URL=postgres://crm:s3cr%40t@127.0.0.1:5432/crm
"""
    assert parse_env_file(text) == {
        "PLAIN": "value",
        "EXPORTED": "yes",
        "SPACED": "around the sign",
        "COMMENTED": "1",
        "HASH_IN_VALUE": "a#b",
        "EMPTY": "",
        "SINGLE": "kept $AS is # too",
        "DOUBLE": 'a "quoted" word\nnext line',
        "URL": "postgres://crm:s3cr%40t@127.0.0.1:5432/crm",
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("just words", "line 2: expected NAME=value"),
        ("2FA=on", "line 2: expected NAME=value"),
        ("OPEN='no end", "line 2: the value's ' is never closed"),
        ('MORE="quoted" trailing', "line 2: unexpected 'trailing' after the quoted value"),
    ],
)
def test_a_line_it_cannot_read_stops_start_up_with_its_number(line, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_env_file(f"OK=1\n{line}\n", source=".env")


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NETWORK_CRM_TEST_SET", "from the environment")
    monkeypatch.delenv("NETWORK_CRM_TEST_UNSET", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text(
        "NETWORK_CRM_TEST_SET=from the file\nNETWORK_CRM_TEST_UNSET=from the file\n"
    )
    try:
        assert load_env_file(env_file) == {"NETWORK_CRM_TEST_UNSET": "from the file"}
        assert os.environ["NETWORK_CRM_TEST_SET"] == "from the environment"
        assert os.environ["NETWORK_CRM_TEST_UNSET"] == "from the file"
    finally:
        os.environ.pop("NETWORK_CRM_TEST_UNSET", None)


def test_no_file_is_no_change(tmp_path):
    before = dict(os.environ)
    assert load_env_file(tmp_path / "missing.env") == {}
    assert dict(os.environ) == before


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_manage_py_commands_read_the_env_file(tmp_path):
    env_file = tmp_path / "crm.env"
    env_file.write_text(
        "# what make run, gunicorn, the worker and beat read too\n"
        "export SITE_URL='https://crm.example.org/'\n"
        'EMAIL_HOST="smtp.example.org"\n'
        "EMAIL_PORT=2525\n"
        "DEBUG=true\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SITE_URL"))},
        "ENV_FILE": str(env_file),
        "VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "false",  # the environment wins
    }
    code = (
        "from django.conf import settings; "
        "print(settings.SITE_URL, settings.MAILERS['default']['OPTIONS']['host'], "
        "settings.MAILERS['default']['OPTIONS']['port'], settings.DEBUG)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://crm.example.org", "smtp.example.org", "2525", "False"]


def test_a_broken_env_file_stops_start_up_naming_the_line(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=false\nEMAIL_HOST smtp.example.org\n")
    result = manage(
        "check", env={**os.environ, "ENV_FILE": str(env_file), "VAR_DIR": str(tmp_path / "var")}
    )
    assert result.returncode != 0
    assert f"{env_file}, line 2: expected NAME=value, not 'EMAIL_HOST smtp.example.org'" in (
        result.stderr
    )


def test_the_test_suite_reads_no_env_file():
    # A developer's .env (a real SMTP server, a real broker) must not reach the tests.
    assert os.environ["ENV_FILE"] == ""


def test_env_example_copied_as_it_is_configures_a_working_instance(tmp_path):
    # Its empty lines (SITE_URL=, DATABASE_URL=, CELERY_BROKER_URL=...) mean "the default".
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "SITE_URL", "WEB_PORT")
    }
    env.update(ENV_FILE=str(ROOT / ".env.example"), VAR_DIR=str(tmp_path / "var"))
    code = (
        "from django.conf import settings; "
        "print(settings.SITE_URL, settings.DATABASES['default']['NAME'], settings.CELERY_BROKER_URL)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    assert result.stdout.split() == [
        "http://127.0.0.1:8000",
        str(var / "db.sqlite3"),
        f"sqla+sqlite:///{var / 'celery-broker.sqlite3'}",
    ]
    assert manage("check", env=env).returncode == 0
