"""Settings → API tokens (api/tokens_views.py): make one (shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

import pytest

from api.models import ApiToken
from api.services.tokens import api_token_create
from tests.api.conftest import client_with
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_settings_links_to_the_tokens_page(alice_client, alice):
    api_token_create(owner=alice, name="Backup")
    response = alice_client.get("/accounts/settings/")
    assert "API tokens" in response.text
    assert "1 token in use." in response.text
    assert "/accounts/settings/api-tokens/" in response.text


def test_a_new_token_is_shown_once_and_works(alice_client, alice):
    response = alice_client.post(
        "/accounts/settings/api-tokens/new/",
        {"name": "Backup script", "scope": "write", "expires_days": "30"},
    )
    token = ApiToken.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/settings/api-tokens/{token.pk}/new/"
    assert token.name == "Backup script"
    assert token.scope == ApiToken.Scope.WRITE
    assert token.expires_at == FROZEN_NOW + dt.timedelta(days=30)
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    text = page.context["text"]
    assert text.startswith(f"ncrm_{token.prefix}_")
    assert text in page.text
    assert "shown only now" in page.text
    assert 'data-copy="token-text"' in page.text
    assert client_with(text).get("/api/v1/me/").status_code == 200
    again = alice_client.get(response["Location"])
    assert again.status_code == 302
    assert text not in alice_client.get("/accounts/settings/api-tokens/").text


def test_a_token_without_expiry_never_expires(alice_client, alice):
    alice_client.post(
        "/accounts/settings/api-tokens/new/",
        {"name": "Forever", "scope": "read", "expires_days": ""},
    )
    token = ApiToken.objects.get(owner=alice)
    assert token.expires_at is None
    assert token.scope == ApiToken.Scope.READ


def test_a_bad_form_is_a_400_and_makes_nothing(alice_client, alice):
    response = alice_client.post(
        "/accounts/settings/api-tokens/new/", {"name": "", "scope": "admin", "expires_days": "5"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Select a valid choice." in response.text
    assert not ApiToken.objects.filter(owner=alice).exists()


def test_the_list_shows_prefix_scope_dates_and_no_revoked_token(alice_client, alice, bob):
    live, _ = api_token_create(owner=alice, name="Backup", scope=ApiToken.Scope.WRITE)
    expired, _ = api_token_create(
        owner=alice, name="Old", expires_at=FROZEN_NOW - dt.timedelta(days=1)
    )
    revoked, _ = api_token_create(owner=alice, name="Gone")
    revoked.revoked_at = FROZEN_NOW
    revoked.save()
    api_token_create(owner=bob, name="Bob's script")
    text = alice_client.get("/accounts/settings/api-tokens/").text
    assert f"ncrm_{live.prefix}_…" in text
    assert "Read and write" in text
    assert "never used" in text
    assert "never expires" in text
    assert f"ncrm_{expired.prefix}_…" in text
    assert "Expired" in text
    assert "Gone" not in text
    assert "Bob&#x27;s script" not in text and "Bob's script" not in text


def test_revoking_asks_first_then_refuses_the_token(alice_client, alice):
    token, text = api_token_create(owner=alice, name="Backup")
    confirm = alice_client.get(f"/accounts/settings/api-tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Revoke “Backup”?" in confirm.text
    response = alice_client.post(f"/accounts/settings/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == FROZEN_NOW
    assert client_with(text).get("/api/v1/me/").status_code == 401


def test_another_users_token_is_a_404(alice_client, bob):
    token, text = api_token_create(owner=bob, name="Bob's")
    assert alice_client.get(f"/accounts/settings/api-tokens/{token.pk}/revoke/").status_code == 404
    assert alice_client.post(f"/accounts/settings/api-tokens/{token.pk}/revoke/").status_code == 404
    assert alice_client.get(f"/accounts/settings/api-tokens/{token.pk}/new/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client_with(text).get("/api/v1/me/").status_code == 200


def test_the_pages_need_a_signed_in_user(client, db):
    response = client.get("/accounts/settings/api-tokens/")
    assert response.status_code == 302
    assert "login" in response["Location"]
