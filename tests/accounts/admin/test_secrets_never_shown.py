"""Secrets are never shown in the admin, not even to the instance owner, for anyone's account,
theirs included: the calendar feed's token, authenticator keys, recovery codes. The owner may
only replace or turn them off."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from tests.accounts.test_two_factor import log_in_verified, turn_on

pytestmark = pytest.mark.django_db


def secrets_of(user) -> list[str]:
    user.settings.refresh_from_db()
    device = user.totpdevice_set.get()
    return [
        user.settings.calendar_token,
        device.key,  # hex, as stored
        base64.b32encode(device.bin_key).decode().rstrip("="),  # as authenticator apps take it
        *StaticToken.objects.filter(device__user=user).values_list("token", flat=True),
    ]


@pytest.fixture
def owner(client, alice, bob):
    """Alice owns the instance (a superuser, signed in with her code); both have two-factor
    sign-in and a calendar feed."""
    alice.is_superuser = True
    alice.save()
    device, _codes = turn_on(alice)
    turn_on(bob)
    log_in_verified(client, alice, device)
    return client


def admin_pages(alice, bob) -> list[str]:
    pages = [reverse("admin:index"), reverse("admin:accounts_user_changelist")]
    for user in (alice, bob):
        for view in ("change", "history"):
            pages.append(reverse(f"admin:accounts_user_{view}", args=[user.pk]))
    return pages


def test_no_admin_page_shows_anyones_secrets(owner, alice, bob):
    secrets = secrets_of(alice) + secrets_of(bob)
    for url in admin_pages(alice, bob):
        response = owner.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [secret for secret in secrets if secret in html]
        assert leaked == [], f"{url} shows a secret"
    # django-otp's device pages, which list keys and recovery codes, are not there at all.
    for url in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{bob.totpdevice_set.get().pk}/change/",
        "/admin/otp_static/staticdevice/",
        "/admin/otp_static/statictoken/",
    ):
        assert owner.get(url).status_code == 404, url


def test_saving_a_users_page_keeps_their_calendar_token(owner, bob):
    """The settings inline has no token field, so saving the page cannot blank or set it."""
    token = bob.settings.calendar_token
    page = owner.get(reverse("admin:accounts_user_change", args=[bob.pk]))
    assert 'name="settings-0-calendar_token"' not in page.content.decode()
    bob.settings.refresh_from_db()
    assert bob.settings.calendar_token == token


def test_the_owner_can_only_make_a_new_calendar_address(owner, client, alice, bob):
    old = bob.settings.calendar_token
    alices = alice.settings.calendar_token
    feed = reverse("reminders:calendar", args=[old])
    assert client.get(feed).status_code == 200
    response = owner.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "new_calendar_address", "_selected_action": [bob.pk]},
        follow=True,
    )
    assert "New calendar address for 1 account(s)" in response.content.decode()
    bob.settings.refresh_from_db()
    assert bob.settings.calendar_token != old
    assert bob.settings.calendar_token not in response.content.decode()
    assert client.get(feed).status_code == 404
    alice.settings.refresh_from_db()
    assert alice.settings.calendar_token == alices  # only the selected accounts'
