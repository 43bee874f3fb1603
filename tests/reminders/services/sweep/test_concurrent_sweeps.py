"""Two sweeps at once (two workers picking up overlapping beat ticks): still one reminder per
contact and one Digest per user and day. On the file SQLite database by default, and on
PostgreSQL when the suite runs with DATABASE_URL=postgres://...

Each sweep runs in a thread of its own, so on its own database connection (closed at the end).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from reminders.models import Digest, Reminder
from reminders.services.sweep import SweepReport, sweep_run
from tests.fixtures.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Digest hour 08:00 everywhere below.
BEFORE_THE_HOUR = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)  # 07:00 in Dubai
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
ZONES = ["UTC", "Europe/Paris", "Europe/Lisbon", "Africa/Nairobi", "Asia/Dubai"]
CONTACTS_EACH = 4
ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def users():
    """Five users in zones where 12:00 UTC is past 08:00, each with four people due."""
    people = []
    for number, zone in enumerate(ZONES):
        user = user_signup(
            email=f"user{number}@example.com",
            password="correct horse battery staple",
            name=f"User {number}",
            time_zone=zone,
            now=BEFORE_THE_HOUR - dt.timedelta(hours=5),
        )
        for index in range(CONTACTS_EACH):
            contact_save(
                contact=Contact(owner=user, name=f"Friend {number}.{index}", cadence_days=7),
                today=dt.date(2026, 11, 1),
            )
        people.append(user)
    return people


def in_threads(*work: Callable[[], SweepReport]) -> tuple[list[SweepReport], list[BaseException]]:
    """Run each callable in its own thread, all released together by a barrier."""
    start = threading.Barrier(len(work), timeout=10)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], SweepReport]) -> None:
        try:
            start.wait()
            reports.append(job())
        except BaseException as exc:  # reported by the test, in its own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a sweep is still running"
    return reports, errors


def assert_one_of_everything(users) -> None:
    live = Reminder.objects.filter(kind="reach_out", state__in=["open", "snoozed"])
    assert live.count() == len(users) * CONTACTS_EACH
    assert sorted(live.values_list("contact_id", flat=True)) == sorted(
        Contact.objects.values_list("pk", flat=True)
    )
    assert sorted(Digest.objects.values_list("owner_id", "local_date")) == sorted(
        (user.pk, NOW.date()) for user in users
    )
    for user in users:
        user.settings.refresh_from_db()
        assert user.settings.next_digest_at > NOW, user.settings.time_zone


def test_two_sweeps_racing_from_scratch(users):
    reports, errors = in_threads(lambda: sweep_run(now=NOW), lambda: sweep_run(now=NOW))

    assert reports, f"both sweeps failed: {errors!r}"
    assert_one_of_everything(users)
    created = [pk for report in reports for pk in report.digests_created]
    assert sorted(created) == sorted(Digest.objects.values_list("pk", flat=True))
    if len(reports) == 2:
        opened = sum(report.reminders_opened for report in reports)
        # The loser may have counted what the winner inserted (ignore_conflicts), never less.
        assert opened >= len(users) * CONTACTS_EACH


def test_two_sweeps_racing_at_the_digest_hour(users):
    # Reminders already opened before the hour: the race is about the digests alone.
    assert sweep_run(now=BEFORE_THE_HOUR).digests_created == []

    reports, errors = in_threads(lambda: sweep_run(now=NOW), lambda: sweep_run(now=NOW))

    # Neither sweep fails: one creates each digest, the other skips it.
    assert errors == [] and len(reports) == 2, errors
    assert_one_of_everything(users)
    created = [pk for report in reports for pk in report.digests_created]
    assert sorted(created) == sorted(Digest.objects.values_list("pk", flat=True))


def _postgres_lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="SQLite takes the write lock at BEGIN (IMMEDIATE), so two sweeps cannot interleave",
)
def test_a_sweep_that_finds_a_digest_being_created_skips_it_instead_of_failing(users):
    """Sweep A has created the day's Digest rows but not committed; sweep B, started meanwhile,
    must skip those users (or wait and skip), not fail with an IntegrityError that rolls back
    everything else it did."""
    assert sweep_run(now=BEFORE_THE_HOUR).digests_created == []
    a_has_swept = threading.Event()
    release_a = threading.Event()
    outcome: dict[str, object] = {}

    def sweep_a() -> None:
        try:
            with transaction.atomic():
                outcome["a"] = sweep_run(now=NOW)
                a_has_swept.set()
                release_a.wait(30)
        except BaseException as exc:
            outcome["a"] = exc
        finally:
            a_has_swept.set()
            connection.close()

    def sweep_b() -> None:
        try:
            a_has_swept.wait(30)
            outcome["b"] = sweep_run(now=NOW)
        except BaseException as exc:
            outcome["b"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_a), threading.Thread(target=sweep_b)]
    for thread in threads:
        thread.start()
    try:
        a_has_swept.wait(30)
        # B is blocked behind A's uncommitted Digest rows: now let A commit.
        wait_for(_postgres_lock_waiters, timeout=10, message="sweep B never waited for A")
    finally:
        release_a.set()
        for thread in threads:
            thread.join(60)

    assert isinstance(outcome["a"], SweepReport), outcome["a"]
    assert len(outcome["a"].digests_created) == len(users)
    assert_one_of_everything(users)
    assert isinstance(outcome["b"], SweepReport), outcome["b"]
    assert outcome["b"].digests_created == []
