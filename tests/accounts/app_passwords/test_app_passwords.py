"""App passwords: one per device, shown once, stored hashed, revocable, the only way into DAV,
and guessing them is limited like signing in (accounts/services.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts import services
from accounts.models import AppPassword, LoginFailure
from tests.conftest import FROZEN_NOW

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
ADDRESS = "203.0.113.7"


def authenticate(email, password, *, now=FROZEN_NOW, ip_address=ADDRESS):
    return services.app_password_authenticate(
        email=email, password=password, ip_address=ip_address, now=now
    )


def test_the_secret_is_stored_only_as_a_hash(alice):
    app_password, secret = services.app_password_create(owner=alice, name="  Alice's phone ")

    row = AppPassword.objects.get(pk=app_password.pk)
    assert row.name == "Alice's phone"
    assert secret not in str(list(AppPassword.objects.values()))
    assert row.secret_hash != secret and len(row.secret_hash) == 64
    assert secret.startswith(row.prefix + "-")
    assert authenticate("alice@example.com", secret) == app_password


def test_it_works_for_its_own_account_only_and_in_any_case_of_the_address(alice, bob):
    _, secret = services.app_password_create(owner=alice, name="Phone")

    assert authenticate("ALICE@example.com", secret) is not None
    assert authenticate("bob@example.com", secret) is None


def test_the_account_password_never_works(alice):
    services.app_password_create(owner=alice, name="Phone")

    assert authenticate("alice@example.com", PASSWORD) is None
    assert authenticate("alice@example.com", "") is None


def test_a_revoked_password_stops_working_at_once_and_is_not_counted_as_guessing(alice):
    app_password, secret = services.app_password_create(owner=alice, name="Old phone")
    _, other_secret = services.app_password_create(owner=alice, name="New phone")

    services.app_password_revoke(app_password=app_password, now=FROZEN_NOW)

    assert authenticate("alice@example.com", secret) is None
    assert authenticate("alice@example.com", other_secret) is not None
    assert not LoginFailure.objects.exists()
    assert list(services.app_passwords_live(owner=alice)) == [
        AppPassword.objects.get(name="New phone")
    ]


def test_last_used_is_noted_at_most_once_a_minute(alice):
    app_password, secret = services.app_password_create(owner=alice, name="Phone")

    authenticate("alice@example.com", secret)
    authenticate("alice@example.com", secret, now=FROZEN_NOW + dt.timedelta(seconds=30))
    assert AppPassword.objects.get(pk=app_password.pk).last_used_at == FROZEN_NOW

    later = FROZEN_NOW + dt.timedelta(minutes=2)
    authenticate("alice@example.com", secret, now=later)
    assert AppPassword.objects.get(pk=app_password.pk).last_used_at == later


def test_an_inactive_account_gets_nothing(alice):
    _, secret = services.app_password_create(owner=alice, name="Phone")
    alice.is_active = False
    alice.save()

    assert authenticate("alice@example.com", secret) is None


def test_guessing_one_account_from_many_addresses_is_slowed_down(alice):
    _, secret = services.app_password_create(owner=alice, name="Phone")
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    for n in range(limit):
        moment = FROZEN_NOW + dt.timedelta(seconds=n)
        authenticate("alice@example.com", f"guess-{n}", now=moment, ip_address=f"198.51.100.{n}")

    # Now even the right password is refused, without being checked, until the wait is over.
    just_after = FROZEN_NOW + dt.timedelta(seconds=limit)
    assert authenticate("alice@example.com", secret, now=just_after) is None
    refusal = services.app_password_refusal(
        email="alice@example.com", ip_address=ADDRESS, now=just_after
    )
    assert refusal is not None and refusal.reason == services.LoginRefusal.ACCOUNT
    assert authenticate("alice@example.com", secret, now=just_after + dt.timedelta(minutes=2))


def test_guessing_from_one_address_is_refused_for_every_account(alice, bob):
    _, secret = services.app_password_create(owner=bob, name="Phone")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        email = "alice@example.com" if n % 2 else f"nobody{n}@example.com"
        authenticate(email, f"guess-{n}", now=FROZEN_NOW + dt.timedelta(seconds=n))

    soon = FROZEN_NOW + dt.timedelta(minutes=1)
    assert authenticate("bob@example.com", secret, now=soon) is None
    assert authenticate("bob@example.com", secret, now=soon, ip_address="192.0.2.1") is not None
    after = FROZEN_NOW + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    assert authenticate("bob@example.com", secret, now=after) is not None


def test_dav_failures_do_not_slow_down_signing_in_to_the_web_app(alice):
    for n in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT + 5):
        authenticate(
            "alice@example.com",
            f"guess-{n}",
            now=FROZEN_NOW + dt.timedelta(seconds=n),
            ip_address=f"198.51.100.{n}",
        )

    assert (
        services.login_refusal(
            username="alice@example.com",
            ip_address="192.0.2.1",
            now=FROZEN_NOW + dt.timedelta(minutes=1),
        )
        is None
    )


def test_the_command_prints_a_working_password_on_its_last_line(alice):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_app_password", "--user", "Alice@Example.com", "--name", "CI", stdout=out, stderr=err
    )

    secret = out.getvalue().strip().splitlines()[-1]
    assert authenticate("alice@example.com", secret).name == "CI"
    assert secret not in err.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_account():
    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("create_app_password", "--user", "nobody@example.com", "--name", "CI")
