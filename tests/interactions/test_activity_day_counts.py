"""The dashboard's per-day counts (ActivityDay) always equal a count of the interactions
themselves, after every write that adds, moves or removes one: the app's own forms, the admin,
bulk delete, a restored backup and the demo seeder. Two requests logging on the same day at the
same moment both count."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import threading
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from contacts.services import contacts_bulk_delete
from interactions import services
from interactions.models import ActivityDay, Interaction
from reminders import selectors
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = FROZEN_NOW.date()


def log(owner, contacts, day: dt.date, **extra) -> Interaction:
    return services.interaction_log(
        owner=owner,
        contacts=contacts,
        kind="coffee",
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
        **extra,
    )


def counted_from_interactions(owner) -> dict[dt.date, tuple[int, int, int]]:
    """The truth: day -> (total, by me, by them), counted here in Python."""
    total, me, them = Counter(), Counter(), Counter()
    for day, initiator in Interaction.objects.filter(owner=owner).values_list(
        "occurred_on", "initiated_by"
    ):
        total[day] += 1
        me[day] += initiator == "me"
        them[day] += initiator == "them"
    return {day: (total[day], me[day], them[day]) for day in total}


def stored(owner) -> dict[dt.date, tuple[int, int, int]]:
    """What ActivityDay holds, leaving out days recounted down to nothing."""
    return {
        row.day: (row.total, row.by_me, row.by_them)
        for row in ActivityDay.objects.filter(owner=owner)
        if row.total
    }


def test_log_edit_and_delete_keep_the_days_counted(alice, bob):
    amara, kwame = ContactFactory(owner=alice), ContactFactory(owner=alice)
    monday, tuesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    first = log(alice, [amara], monday, initiated_by="me")
    log(alice, [amara, kwame], monday, initiated_by="them")
    log(alice, [kwame], tuesday)
    log(bob, [ContactFactory(owner=bob)], monday, initiated_by="me")
    assert stored(alice) == {monday: (2, 1, 1), tuesday: (1, 0, 0)}
    assert stored(bob) == {monday: (1, 1, 0)}

    # Moved to another day and re-attributed: both days follow.
    services.interaction_update(
        interaction=first,
        contacts=[amara],
        today=TODAY,
        occurred_at=dt.datetime.combine(tuesday, dt.time(9), tzinfo=dt.UTC),
        initiated_by="them",
    )
    assert stored(alice) == {monday: (1, 0, 1), tuesday: (2, 0, 1)}

    services.interaction_delete(interaction=first, today=TODAY)
    assert (
        stored(alice) == {monday: (1, 0, 1), tuesday: (1, 0, 0)} == counted_from_interactions(alice)
    )
    assert stored(bob) == {monday: (1, 1, 0)}


def test_the_chart_and_reciprocity_read_the_days(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    for days_ago, initiator in [(0, "me"), (1, "me"), (8, "them"), (400, "them")]:
        log(alice, [amara], TODAY - dt.timedelta(days=days_ago), initiated_by=initiator)

    weeks = selectors.weekly_activity(owner=alice, today=TODAY)
    assert sum(week.count for week in weeks) == 3  # 400 days ago is outside the year
    split = selectors.initiative_split(owner=alice, today=TODAY)
    assert (split.me, split.them, split.me_percent) == (2, 1, 67)

    html = alice_client.get("/", {"section": "health-section"}, headers={"HX-Request": "true"})
    assert "3 interactions in the last 52 weeks" in html.content.decode()
    assert "(2 of 3 interactions where you noted it this year)" in html.content.decode()


def test_bulk_delete_removes_the_days_of_interactions_left_with_nobody(alice):
    amara, kwame = ContactFactory(owner=alice), ContactFactory(owner=alice)
    alone = dt.date(2026, 10, 1)
    shared = dt.date(2026, 10, 2)
    log(alice, [amara], alone)
    log(alice, [amara, kwame], shared)
    contacts_bulk_delete(owner=alice, contact_ids=[amara.pk])
    assert stored(alice) == {shared: (1, 0, 0)} == counted_from_interactions(alice)


def test_deleting_in_the_admin_goes_through_the_service(client, alice):
    amara = ContactFactory(owner=alice, cadence_days=7)
    older = log(alice, [amara], dt.date(2026, 11, 1))
    latest = log(alice, [amara], dt.date(2026, 11, 20))
    client.force_login(alice)
    response = client.post(
        reverse("admin:interactions_interaction_changelist"),
        {"action": "delete_interactions", "_selected_action": [latest.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert list(Interaction.objects.filter(owner=alice)) == [older]
    amara.refresh_from_db()
    # The contact's clock falls back on the coffee that remains, as with the app's own delete.
    assert amara.last_interaction_on == dt.date(2026, 11, 1)
    assert amara.next_reach_out_on == dt.date(2026, 11, 8)
    assert stored(alice) == {dt.date(2026, 11, 1): (1, 0, 0)}


def test_a_restored_backup_brings_its_days(client, alice, bob):
    amara = ContactFactory(owner=alice)
    log(alice, [amara], dt.date(2026, 9, 1), initiated_by="me")
    log(alice, [amara], dt.date(2026, 9, 1))
    log(alice, [amara], dt.date(2026, 9, 3), initiated_by="them")
    client.force_login(alice)
    backup = b"".join(client.get(reverse("portability:backup")).streaming_content)
    client.force_login(bob)
    response = client.post(
        reverse("portability:restore"),
        {"backup": SimpleUploadedFile("backup.json", backup)},
    )
    assert response.status_code == 302
    assert json.loads(backup)["interactions"]
    assert stored(bob) == stored(alice) == counted_from_interactions(bob)


def test_the_demo_seeder_counts_its_history(alice, frozen_now):
    call_command(
        "seed_demo", user=alice.email, contacts=30, interactions=200, seed=3, stdout=StringIO()
    )
    truth = counted_from_interactions(alice)
    assert sum(total for total, _, _ in truth.values()) == 200
    assert stored(alice) == truth


def test_the_migration_counts_what_was_there_before(alice, bob):
    log(alice, [ContactFactory(owner=alice)], dt.date(2026, 3, 1), initiated_by="me")
    log(bob, [ContactFactory(owner=bob)], dt.date(2026, 3, 2), initiated_by="them")
    expected = {alice.pk: stored(alice), bob.pk: stored(bob)}
    ActivityDay.objects.all().delete()
    migration = importlib.import_module("interactions.migrations.0004_activity_day")
    migration.count_existing_days(django_apps, connection.schema_editor())
    assert {alice.pk: stored(alice), bob.pk: stored(bob)} == expected
    assert expected[alice.pk] == {dt.date(2026, 3, 1): (1, 1, 0)}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_requests_logging_on_the_same_day_both_count(alice):
    """Each log recounts its day; the owner's row lock makes the second count see the first."""
    people = [ContactFactory(owner=alice) for _ in range(4)]
    day = dt.date(2026, 11, 27)
    start = threading.Barrier(len(people), timeout=10)
    errors: list[BaseException] = []

    def log_one(contact) -> None:
        try:
            start.wait()
            log(alice, [contact], day, initiated_by="me")
        except BaseException as exc:  # reported below, from the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=log_one, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert stored(alice) == {day: (4, 4, 0)} == counted_from_interactions(alice)
