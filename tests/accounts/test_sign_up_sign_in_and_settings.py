from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Invitation, User
from contacts.models import Circle
from tests.accounts.conftest import reset_link

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Zoë Laurent",
    "email": "Zoe@Example.com",
    "password": "a-long-password-1",
    "time_zone": "Europe/Paris",
}


def test_first_person_signs_up_owns_the_instance_and_gets_default_circles(client, frozen_now):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "zoe@example.com"
    assert user.is_superuser
    assert user.settings.time_zone == "Europe/Paris"
    assert user.settings.next_digest_at is not None
    assert set(Circle.objects.filter(owner=user).values_list("name", "cadence_days")) == {
        ("Close friends", 14),
        ("Friends", 30),
        ("Peers", 30),
        ("Mentors", 60),
        ("Acquaintances", 120),
    }
    dashboard = client.get(reverse("dashboard"))
    assert "Who do you want to keep in touch with?" in dashboard.content.decode()


def test_signup_rejects_an_unknown_time_zone_and_keeps_the_input(client):
    response = client.post(reverse("signup"), {**SIGNUP, "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "is not a known time zone" in response.content.decode()
    assert not User.objects.exists()


def test_second_signup_is_closed_without_an_invitation(client, alice):
    assert client.get(reverse("signup")).status_code == 403
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 403
    assert "Sign-up is by invitation" in response.content.decode()
    assert User.objects.count() == 1


def test_allow_signup_opens_it(client, alice, settings):
    settings.ALLOW_SIGNUP = True
    assert client.post(reverse("signup"), SIGNUP).status_code == 302
    assert not User.objects.get(email="zoe@example.com").is_superuser


def test_owner_invites_by_email_and_the_link_works_once(client, alice, mailoutbox):
    alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.post(reverse("invite"), {"email": "zoe@example.com"})
    assert response.status_code == 302
    (message,) = mailoutbox
    invitation = Invitation.objects.get()
    assert message.to == ["zoe@example.com"]
    assert f"?invite={invitation.token}" in message.body
    client.logout()
    url = reverse("signup") + f"?invite={invitation.token}"
    assert client.get(url).status_code == 200
    assert client.post(url, {**SIGNUP, "invite": invitation.token}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    client.logout()
    # Used: refused for the next person.
    again = client.post(url, {**SIGNUP, "email": "other@example.com", "invite": invitation.token})
    assert again.status_code == 403
    assert not User.objects.filter(email="other@example.com").exists()


def test_only_the_owner_can_invite(client, alice, bob, mailoutbox):
    client.force_login(bob)
    response = client.post(reverse("invite"), {"email": "x@example.com"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_login_with_email_and_logout(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "alice@example.com", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_password_reset_sends_a_working_link(client, alice, mailoutbox, ask_for_reset):
    ask_for_reset("alice@example.com")
    (message,) = mailoutbox
    form_page = client.get(reset_link(message), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-42")


def test_settings_change_moves_the_next_digest(alice_client, alice, frozen_now):
    # frozen at 2026-11-28 09:30 UTC; in Tokyo it is already 18:30.
    response = alice_client.post(
        reverse("settings"),
        {
            "form": "settings",
            "settings-time_zone": "Asia/Tokyo",
            "settings-digest_frequency": "daily",
            "settings-digest_weekday": "0",
            "settings-digest_hour": "20",
            "settings-daily_limit": "7",
            "settings-upcoming_days": "14",
            "settings-date_reminder_days": "3",
        },
    )
    assert response.status_code == 302
    alice.settings.refresh_from_db()
    assert alice.settings.time_zone == "Asia/Tokyo"
    assert alice.settings.daily_limit == 7
    # Today's 20:00 in Tokyo is 11:00 UTC.
    assert alice.settings.next_digest_at == dt.datetime(2026, 11, 28, 11, tzinfo=dt.UTC)


def test_settings_reject_an_absurd_daily_limit(alice_client, alice):
    response = alice_client.post(
        reverse("settings"),
        {
            "form": "settings",
            "settings-time_zone": "UTC",
            "settings-digest_frequency": "daily",
            "settings-digest_weekday": "0",
            "settings-digest_hour": "8",
            "settings-daily_limit": "0",
            "settings-upcoming_days": "14",
            "settings-date_reminder_days": "3",
        },
    )
    assert response.status_code == 200
    assert "Choose between 1 and 50" in response.content.decode()
    alice.settings.refresh_from_db()
    assert alice.settings.daily_limit == 5


def test_email_change_refuses_an_address_in_use(alice_client, alice, bob):
    response = alice_client.post(
        reverse("settings"),
        {"form": "profile", "profile-name": "Alice", "profile-email": "BOB@example.com"},
    )
    assert "Another account already uses this email address" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_a_brand_new_instance_sends_visitors_to_sign_up(client):
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("signup")
    assert "Create your account" in response.content.decode()


def test_once_someone_signed_up_the_login_page_stays(client, alice):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Log in" in response.content.decode()


def test_repeated_wrong_passwords_lock_that_account_from_that_address(client, alice, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "alice@example.com", "password": "wrong"})
        assert "Please enter a correct email address and password" in response.content.decode()
    last_try = client.post(url, {"username": "alice@example.com", "password": "wrong"})
    assert last_try.status_code == 429
    locked = client.post(
        url, {"username": "alice@example.com", "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in
    # The same account from another address still works: nobody can lock you out remotely.
    elsewhere = client.post(
        url,
        {"username": "alice@example.com", "password": "correct horse battery staple"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert elsewhere.status_code == 302


def test_passwords_are_hashed_with_argon2_in_production(settings):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='network_crm.settings'; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "VAR_DIR": str(settings.VAR_DIR)},
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_deleting_my_account_removes_every_row_i_own_and_nothing_else(client, alice, bob):
    from django.apps import apps

    from network_crm.owned import OwnedModel
    from tests.factories import ContactFactory, InteractionFactory

    mine = ContactFactory(owner=alice)
    InteractionFactory(owner=alice, contacts=[mine])
    theirs = ContactFactory(owner=bob)
    InteractionFactory(owner=bob, contacts=[theirs])
    client.force_login(alice)
    wrong = client.post(reverse("account_delete"), {"password": "nope"})
    assert "nothing was deleted" in wrong.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    done = client.post(reverse("account_delete"), {"password": "correct horse battery staple"})
    assert "Account deleted" in done.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    for model in apps.get_models():
        if issubclass(model, OwnedModel):
            assert not model.objects.filter(owner_id=alice.pk).exists(), model
    assert User.objects.filter(pk=bob.pk).exists()
    assert theirs.interactions.count() == 1
