"""``manage.py create_api_token`` (api/management/commands/create_api_token.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiToken
from tests.api.conftest import client_with
from tests.conftest import FROZEN_NOW


def _run(*args) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_the_token_is_on_the_last_line_and_works(alice, frozen_now):
    text = _run(
        "--user", "Alice@Example.com", "--scope", "write", "--name", "CI", "--expires-days", "3"
    )
    token = ApiToken.objects.get(owner=alice)
    assert text.startswith(f"ncrm_{token.prefix}_")
    assert token.name == "CI"
    assert token.scope == ApiToken.Scope.WRITE
    assert token.expires_at == FROZEN_NOW + dt.timedelta(days=3)
    assert client_with(text).get("/api/v1/me/").status_code == 200


def test_defaults_never_expire(alice):
    _run("--user", "alice@example.com", "--scope", "read")
    token = ApiToken.objects.get(owner=alice)
    assert (token.name, token.scope, token.expires_at) == ("API token", "read", None)


def test_an_unknown_user_or_a_bad_expiry_is_refused(alice):
    with pytest.raises(CommandError, match="No active account"):
        _run("--user", "nobody@example.com", "--scope", "read")
    with pytest.raises(CommandError, match="1 or more"):
        _run("--user", "alice@example.com", "--scope", "read", "--expires-days", "0")
    with pytest.raises(CommandError):
        _run("--user", "alice@example.com", "--scope", "admin")
    assert not ApiToken.objects.exists()
