"""Invitations: only the instance owner manages them, each works once (even when several
sign-ups race with one link) and only for the address it was sent to."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import EmailTaken, user_signup

SIGNUP = {"name": "Zoë Laurent", "password": "a-long-password-1", "time_zone": "Europe/Paris"}


@pytest.fixture
def owner(alice):
    alice.is_superuser = True
    alice.save()
    return alice


def signup(client: Client, invitation: Invitation, email: str):
    url = reverse("signup") + f"?invite={invitation.token}"
    return client.post(url, {**SIGNUP, "email": email, "invite": invitation.token})


# --- The admin ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_who_is_not_the_owner_cannot_make_invitations_in_the_admin(client, owner, bob):
    client.force_login(bob)
    add = reverse("admin:accounts_invitation_add")
    assert client.get(add).status_code == 403
    response = client.post(add, {"email": "sockpuppet@example.com"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert client.get(reverse("admin:accounts_invitation_changelist")).status_code == 403
    assert "accounts/invitation" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_the_owner_sees_invitations_in_the_admin_but_never_their_token(client, owner):
    invitation = Invitation.objects.create(owner=owner, email="zoe@example.com")
    client.force_login(owner)
    # Invitations are sent from Settings, which emails them; the admin lists and revokes them.
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403
    listing = client.get(reverse("admin:accounts_invitation_changelist"))
    assert listing.status_code == 200
    assert "zoe@example.com" in listing.content.decode()
    page = client.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert page.status_code == 200
    assert "zoe@example.com" in page.content.decode()
    assert invitation.token not in page.content.decode()
    assert invitation.token not in listing.content.decode()
    delete = reverse("admin:accounts_invitation_delete", args=[invitation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Invitation.objects.exists()


# --- Sign-up with an invitation --------------------------------------------------------------


@pytest.mark.django_db
def test_an_invitation_works_only_for_the_address_it_was_sent_to(client, owner):
    invitation = Invitation.objects.create(owner=owner, email="zoe@example.com")
    response = signup(client, invitation, "sockpuppet@example.com")
    assert response.status_code == 200
    assert "This invitation is for zoe@example.com" in response.content.decode()
    assert not User.objects.filter(email="sockpuppet@example.com").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_the_invited_address_matches_in_any_case(client, owner, mailoutbox):
    client.force_login(owner)
    client.post(reverse("invite"), {"email": "Zoe@Example.COM"})
    client.logout()
    invitation = Invitation.objects.get()
    assert invitation.email == "zoe@example.com"
    assert signup(client, invitation, "ZOE@example.com").status_code == 302
    assert User.objects.filter(email="zoe@example.com").exists()


def _race(invitation: Invitation, emails: list[str]) -> list[int | BaseException]:
    """Post the sign-up form once per address, all at the same moment, each from its own thread
    (and so its own database connection)."""
    barrier = threading.Barrier(len(emails))
    results: list[int | BaseException] = [0] * len(emails)

    def attempt(index: int, email: str) -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            results[index] = signup(client, invitation, email).status_code
        except BaseException as error:  # reported by the test below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i, e)) for i, e in enumerate(emails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_six_sign_ups_at_once_with_one_invitation_make_one_account(owner):
    invitation = Invitation.objects.create(owner=owner, email="zoe@example.com")
    emails = ["zoe@example.com", "Zoe@example.com", "ZOE@EXAMPLE.COM"] * 2
    results = _race(invitation, emails)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    # One signs up; the others are told the invitation was used (403) or, if they came in after
    # that account existed, that the address is taken (200, the form again).
    assert results.count(302) == 1, results
    assert set(results) <= {302, 403, 200}, results
    assert User.objects.exclude(pk=owner.pk).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.django_db
def test_a_sign_up_that_loses_a_race_for_its_address_is_refused_and_changes_nothing(owner):
    # Both sign-ups passed the form's "already has an account" check; the other one committed
    # first. The loser is told, and no half-made account or used invitation is left behind.
    invitation = Invitation.objects.create(owner=owner, email="zoe@example.com")
    User.objects.create_user(email="zoe@example.com", password="x-long-password-2", name="Zoë")
    users_before = User.objects.count()
    with pytest.raises(EmailTaken):
        user_signup(
            email="zoe@example.com",
            password=SIGNUP["password"],
            name="Zoë Laurent",
            time_zone="Europe/Paris",
            now=dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC),
            invitation=invitation,
        )
    assert User.objects.count() == users_before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
