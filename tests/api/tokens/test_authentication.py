"""Tokens at the door (api/authentication.py, api/services/tokens.py, api/permissions.py):
scope, expiry, revocation, hashed at rest, last used; the browser's session keeps CSRF."""

from __future__ import annotations

import datetime as dt
import hashlib

import time_machine
from rest_framework.test import APIClient

from accounts.models import UserSettings
from api.models import ApiToken
from api.services.tokens import api_token_create, api_token_revoke
from tests.api.conftest import client_with
from tests.conftest import FROZEN_NOW


def test_a_token_is_stored_only_as_a_hash(alice):
    token, text = api_token_create(owner=alice, name="Backup", scope=ApiToken.Scope.READ)
    assert text.startswith(f"ncrm_{token.prefix}_")
    secret = text.split("_", 2)[2]
    token.refresh_from_db()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(secret in value for value in stored)


def test_a_token_authenticates_as_its_owner(alice):
    _, text = api_token_create(owner=alice, name="Backup")
    response = client_with(text).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"


def test_a_wrong_secret_a_malformed_header_and_no_header_get_401(alice):
    token, text = api_token_create(owner=alice, name="Backup")
    for header in (
        f"Bearer ncrm_{token.prefix}_wrong",
        "Bearer ncrm_nothing",
        "Bearer two words",
        "Bearer ",
    ):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/me/")
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_a_read_token_reads_but_may_not_write(alice, alice_api_read):
    assert alice_api_read.get("/api/v1/me/").status_code == 200
    response = alice_api_read.patch("/api/v1/me/", {"daily_limit": 9}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert UserSettings.objects.get(user=alice).daily_limit == 5


def test_a_write_token_writes(alice, alice_api):
    response = alice_api.patch("/api/v1/me/", {"daily_limit": 9}, format="json")
    assert response.status_code == 200
    assert UserSettings.objects.get(user=alice).daily_limit == 9


def test_a_token_stops_working_when_it_expires(alice):
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        _, text = api_token_create(
            owner=alice, name="Week", expires_at=FROZEN_NOW + dt.timedelta(days=7)
        )
        client = client_with(text)
        traveller.move_to(FROZEN_NOW + dt.timedelta(days=7) - dt.timedelta(seconds=1))
        assert client.get("/api/v1/me/").status_code == 200
        traveller.move_to(FROZEN_NOW + dt.timedelta(days=7))
        response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused_at_once(alice):
    token, text = api_token_create(owner=alice, name="Old script")
    client = client_with(text)
    assert client.get("/api/v1/me/").status_code == 200
    api_token_revoke(token=token)
    assert client.get("/api/v1/me/").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(alice):
    _, text = api_token_create(owner=alice, name="Backup")
    alice.is_active = False
    alice.save()
    assert client_with(text).get("/api/v1/me/").status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(alice):
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        token, text = api_token_create(owner=alice, name="Sync")
        client = client_with(text)
        assert token.last_used_at is None
        client.get("/api/v1/me/")
        token.refresh_from_db()
        assert token.last_used_at == FROZEN_NOW
        traveller.move_to(FROZEN_NOW + dt.timedelta(seconds=30))
        client.get("/api/v1/me/")
        token.refresh_from_db()
        assert token.last_used_at == FROZEN_NOW
        traveller.move_to(FROZEN_NOW + dt.timedelta(minutes=2))
        client.get("/api/v1/me/")
        token.refresh_from_db()
        assert token.last_used_at == FROZEN_NOW + dt.timedelta(minutes=2)


def test_the_session_reads_and_its_writes_need_the_csrf_token(alice):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.patch("/api/v1/me/", {"daily_limit": 9}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert UserSettings.objects.get(user=alice).daily_limit == 5
    client.get("/accounts/settings/")  # sets the csrftoken cookie, as any page does
    csrf = client.cookies["csrftoken"].value
    response = client.patch("/api/v1/me/", {"daily_limit": 9}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert UserSettings.objects.get(user=alice).daily_limit == 9
