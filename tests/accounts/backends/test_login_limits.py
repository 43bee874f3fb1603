"""Guessing passwords: limited per account and address (django-axes), per account over all
addresses (a short, growing wait; a password reset ends it) and per address over all accounts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.accounts.conftest import reset_link
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def log_in(client, email: str, password: str, address: str):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


@pytest.fixture
def clock():
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


def test_wrong_passwords_from_many_addresses_make_the_account_wait(client, alice, settings, clock):
    assert settings.LOGIN_ACCOUNT_FAILURE_LIMIT == 20
    # 50 wrong passwords from 10 addresses (5 each: each pair stops at django-axes' limit).
    for n in range(50):
        log_in(client, "alice@example.com", "wrong", f"203.0.113.{n // 5 + 1}")
    refused = log_in(client, "Alice@example.com", PASSWORD, "203.0.113.11")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Wait 1 minute and try again, or" in text
    assert reverse("password_reset") in text
    assert not logged_in(client)

    # A minute after the last wrong password, the owner gets in from their own address.
    clock.shift(dt.timedelta(seconds=61))
    assert log_in(client, "alice@example.com", PASSWORD, "203.0.113.11").status_code == 302
    assert logged_in(client)


def test_the_wait_grows_with_each_further_wrong_password(client, alice, settings, clock):
    for n in range(20):
        log_in(client, "alice@example.com", "wrong", f"203.0.113.{n // 4 + 1}")
    clock.shift(dt.timedelta(seconds=61))
    log_in(client, "alice@example.com", "wrong", "203.0.113.50")  # the 21st: now 2 minutes
    clock.shift(dt.timedelta(seconds=61))
    refused = log_in(client, "alice@example.com", PASSWORD, "203.0.113.51")
    assert refused.status_code == 429
    assert "Wait 1 minute" in refused.content.decode()
    clock.shift(dt.timedelta(seconds=60))
    assert log_in(client, "alice@example.com", PASSWORD, "203.0.113.51").status_code == 302


def test_a_password_reset_ends_the_wait(client, alice, mailoutbox, ask_for_reset, clock):
    for n in range(50):
        log_in(client, "alice@example.com", "wrong", f"203.0.113.{n // 5 + 1}")
    assert log_in(client, "alice@example.com", PASSWORD, "203.0.113.11").status_code == 429

    ask_for_reset("alice@example.com", REMOTE_ADDR="203.0.113.11")
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new_password = {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    assert client.post(form_page.redirect_chain[-1][0], new_password).status_code == 302

    # Right away, even from an address django-axes had locked for this account.
    response = log_in(client, "alice@example.com", "brand-new-pass-42", "203.0.113.1")
    assert response.status_code == 302
    assert logged_in(client)


def test_trying_many_accounts_from_one_address_locks_that_address_out(
    client, alice, settings, clock
):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30
    statuses = [
        log_in(client, f"person{n}@example.com", "wrong", "198.51.100.7").status_code
        for n in range(60)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429] * 30
    refused = log_in(client, "alice@example.com", PASSWORD, "198.51.100.7")
    assert refused.status_code == 429
    assert "came from your network" in refused.content.decode()
    assert not logged_in(client)
    # Other addresses are not affected.
    assert log_in(client, "alice@example.com", PASSWORD, "198.51.100.8").status_code == 302
    client.logout()
    # Once the failures are LOGIN_LOCKOUT_MINUTES old, the address may try again.
    clock.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))
    assert log_in(client, "alice@example.com", PASSWORD, "198.51.100.7").status_code == 302


def test_an_ordinary_mistake_is_not_held_against_anyone(client, alice, clock):
    for _ in range(3):
        log_in(client, "alice@example.com", "wrong", "192.0.2.1")
    assert log_in(client, "alice@example.com", PASSWORD, "192.0.2.1").status_code == 302
