"""Whose writes outdate whose pages; what a page served from the cache still does (CSRF, the
CSP nonce, messages); and that a version changes inside the writer's transaction."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from contacts.models import Contact, Interest
from network_crm import owner_cache
from tests.factories import ContactFactory
from tests.network_crm.owner_cache.helpers import fetch, warm

LIST = reverse("contacts:list")
INTERESTS = reverse("contacts:interests")


def version(user: User) -> int:
    return User.objects.get(pk=user.pk).data_version


@pytest.mark.django_db
def test_a_users_request_bumps_their_version_only(alice_client, alice, bob):
    bob_client = Client()
    bob_client.force_login(bob)
    ada = ContactFactory(owner=alice, name="Ada Lovelace")
    bobs = ContactFactory(owner=bob, name="Bob's friend")
    alice_page = reverse("contacts:detail", args=[ada.pk])
    warm(alice_client, alice_page)
    alice_before, bob_before = version(alice), version(bob)

    bob_client.post(reverse("contacts:interest_add", args=[bobs.pk]), {"name": "Chess"})

    assert Interest.objects.filter(owner=bob, name="Chess").exists()
    assert version(bob) != bob_before
    assert version(alice) == alice_before
    # Alice's page is still served from the cache.
    assert fetch(alice_client, alice_page)[1] == "hit"


@pytest.mark.django_db
def test_a_write_of_unknown_owner_bumps_everyone(alice, bob):
    before = version(alice), version(bob)
    ContactFactory(owner=alice)  # outside any request: a worker, a command, a shell
    after = version(alice), version(bob)
    assert after[0] != before[0] and after[1] != before[1]


@pytest.mark.django_db
def test_another_session_gets_its_own_page_and_its_form_posts(alice, client):
    """A cached page carries a CSRF token; each browser (secret) has its own copy."""
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(alice)
    phone.force_login(alice)
    warm(laptop, INTERESTS)
    html, cached = fetch(phone, INTERESTS)
    assert cached == "miss"  # a different secret, a different page
    html, cached = fetch(phone, INTERESTS)
    assert cached == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = phone.post(
        INTERESTS,
        {"form": "interests", "csrfmiddlewaretoken": token, "mine-interests": "jazz, Lisbon"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The message after the redirect shows, on a page that isn't stored with it.
    assert "Your interests are saved." in html
    assert response.headers.get(owner_cache.HEADER, "") == ""
    html, cached = fetch(phone, INTERESTS)
    assert (cached, "Your interests are saved." in html, "Lisbon" in html) == ("miss", False, True)


@pytest.mark.django_db
def test_a_hit_carries_this_requests_csp_nonce(alice_client, alice):
    warm(alice_client, LIST)
    response = alice_client.get(LIST)
    assert response.headers[owner_cache.HEADER] == "hit"
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert f'nonce="{nonce}"' in html
    assert "owner-cache-nonce" not in html


@pytest.mark.django_db
def test_switched_off(alice_client, settings):
    settings.OWNER_CACHE_ENABLED = False
    assert [fetch(alice_client, LIST)[1] for _ in range(2)] == ["", ""]


@pytest.mark.django_db
def test_time_only_text_is_at_most_five_minutes_old(alice_client, time_machine):
    time_machine.move_to("2026-11-28 09:30:00+00:00", tick=False)
    warm(alice_client, LIST)
    time_machine.move_to("2026-11-28 09:34:59+00:00", tick=False)
    assert fetch(alice_client, LIST)[1] == "hit"
    time_machine.move_to("2026-11-28 09:35:00+00:00", tick=False)
    assert fetch(alice_client, LIST)[1] == "miss"


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_inside_the_writers_transaction(alice):
    """Never a new version with old data: the bump commits or rolls back with the write."""
    ada = ContactFactory(owner=alice, name="Ada Lovelace")
    token = owner_cache._request.set(_RequestOf(alice))  # as in alice's request
    try:
        before = User.objects.get(pk=alice.pk).data_version
        with transaction.atomic():
            Contact.objects.filter(pk=ada.pk).update(name="Ada King")
            inside = User.objects.get(pk=alice.pk).data_version  # same connection, not committed
            assert connection.in_atomic_block
        assert inside != before
        assert User.objects.get(pk=alice.pk).data_version == inside

        try:
            with transaction.atomic():
                Contact.objects.filter(pk=ada.pk).update(name="Never Saved")
                assert User.objects.get(pk=alice.pk).data_version != inside
                raise RuntimeError
        except RuntimeError:
            pass
        assert User.objects.get(pk=alice.pk).data_version == inside
        assert Contact.objects.get(pk=ada.pk).name == "Ada King"
    finally:
        owner_cache._request.reset(token)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_bumps_once_before_its_first_write(alice, django_capture_on_commit_callbacks):
    token = owner_cache._request.set(_RequestOf(alice))
    try:
        with (
            django_capture_on_commit_callbacks() as callbacks,
            CaptureQueriesContext(connection) as captured,
            transaction.atomic(),
        ):
            for name in "ABC":
                with transaction.atomic():  # a savepoint released keeps the bump
                    Contact.objects.filter(owner=alice).update(name=name)
        assert callbacks == []  # the tracking adds no on_commit hook
        statements = [
            query["sql"]
            for query in captured.captured_queries
            if not query["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
        ]
        assert len(statements) == 4
        assert "data_version" in statements[0]  # the bump, then the three updates
        assert not any("data_version" in sql for sql in statements[1:])
    finally:
        owner_cache._request.reset(token)


class _RequestOf:
    """Just what the write tracking reads of a request."""

    path = "/contacts/"

    def __init__(self, user):
        self.user = user


@pytest.mark.parametrize(
    ("sql", "tracked"),
    [
        ('INSERT INTO "contacts_contact" ("name") VALUES (%s)', True),
        ('  update "contacts_contact" SET name = %s', True),
        ('DELETE FROM "interactions_interaction" WHERE id = 1', True),
        ('REPLACE INTO "contacts_contact" VALUES (1)', True),
        ('WITH x AS (SELECT 1) UPDATE "contacts_contact" SET name = 1', True),
        ('WITH x AS (SELECT 1) SELECT * FROM "contacts_contact"', False),
        ('SELECT "updated_at" FROM "contacts_contact"', False),
        ('UPDATE "django_session" SET session_data = %s', False),
        ('INSERT INTO "axes_accessattempt" VALUES (1)', False),
        ('DELETE FROM "api_idempotencyrecord"', False),
        # Beat's every-minute bookkeeping (test_beat_keeps_pages.py).
        ('UPDATE "reminders_schedulerheartbeat" SET last_run_at = %s', False),
        ('UPDATE "notify_delivery" SET state = %s', False),
        ('DELETE FROM "api_webhookdelivery" WHERE id = 1', False),
        ('UPDATE "reminders_reminder" SET state = %s', True),
    ],
)
def test_which_statements_count_as_writes(sql, tracked):
    assert owner_cache.is_tracked_write(sql) is tracked
