"""Email addresses are stored in lower case; people type them however they like."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_login_accepts_the_address_in_any_case(client, alice):
    response = client.post(
        reverse("login"), {"username": " Alice@Example.COM ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_admin_login_path_accepts_it_too(client, alice):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="ALICE@example.com", password=PASSWORD) == alice


def test_wrong_passwords_in_any_case_share_one_lockout(client, alice, settings):
    url = reverse("login")
    spellings = ["ALICE@example.com", "alice@EXAMPLE.com", "Alice@Example.com", "alice@example.com"]
    for spelling in (spellings * 2)[: settings.AXES_FAILURE_LIMIT]:
        client.post(url, {"username": spelling, "password": "wrong"})
    locked = client.post(url, {"username": "alice@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()


def test_an_account_made_in_the_admin_with_capitals_is_stored_in_lower_case(client, alice):
    alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "Grace@Example.com", "usable_password": "false"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="grace@example.com").exists()
