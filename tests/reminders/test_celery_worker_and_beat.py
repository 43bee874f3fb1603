"""A real Celery worker and beat against a private redis-server and a real SMTP server.

The processes run on the real clock, so the user's zone is chosen from the real current time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from reminders.models import Digest, SchedulerHeartbeat
from reminders.tasks import enqueue_digest
from tests.fixtures.processes import SWEEP_INTERVAL_SECONDS, broker_url, free_port, wait_for

pytestmark = pytest.mark.integration


def _zone_where_it_is_midday(now: dt.datetime) -> str:
    """A fixed-offset zone whose local time is 12:xx now: far from midnight either way, so the
    local date cannot change while the test runs, whatever the hour it is started at."""
    offset = (12 - now.hour + 12) % 24 - 12  # -12..+11 hours from UTC
    # POSIX-style names: Etc/GMT-5 is UTC+5.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _sweep_heartbeat() -> dt.datetime | None:
    return (
        SchedulerHeartbeat.objects.filter(name="sweep")
        .values_list("last_run_at", flat=True)
        .first()
    )


def _db_state() -> str:
    return f"digests: {list(Digest.objects.values('pk', 'state', 'attempts', 'last_error'))}, " + (
        f"last sweep heartbeat: {_sweep_heartbeat()}"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_and_beat_send_exactly_one_digest(celery_processes, smtp_server):
    started = timezone.now()
    zone = _zone_where_it_is_midday(started)
    user = user_signup(
        email="alice@example.com",
        password="correct horse battery staple",
        name="Alice Martin",
        time_zone=zone,
        now=started,
    )
    # Daily at 08:00 local (the default) and it is past noon there: today's digest is owed.
    assert user.settings.next_digest_at <= started
    local_today = started.astimezone(ZoneInfo(zone)).date()
    contact_save(
        contact=Contact(owner=user, name="Amara Diallo", cadence_days=7),
        today=local_today - dt.timedelta(days=30),
    )

    [received] = smtp_server.wait_for_messages(1, timeout=60)
    arrived = timezone.now()
    assert received.rcpt_tos == ["alice@example.com"]
    assert received.message["Subject"] == "Time to reach out to Amara Diallo"

    # Let beat run a few more sweeps: they must not send the day's digest again.
    seen: set[dt.datetime] = set()

    def sweeps_after_arrival() -> bool:
        if (last := _sweep_heartbeat()) and last > arrived:
            seen.add(last)
        return len(seen) >= 3

    wait_for(
        sweeps_after_arrival,
        timeout=8 * SWEEP_INTERVAL_SECONDS,
        interval=0.2,
        message=lambda: f"beat ran {len(seen)} sweep(s) after the email arrived. {_db_state()}",
    )
    celery_processes.assert_running()
    assert len(smtp_server.messages) == 1, [m.message["Subject"] for m in smtp_server.messages]

    digest = Digest.objects.get(owner=user)
    assert digest.local_date == local_today
    assert digest.state == Digest.State.SENT
    assert digest.attempts == 1
    assert digest.item_count == 1
    assert received.message["Message-ID"] == digest.message_id
    # Recorded by the worker's sweep (the test never runs one in-process), on the real clock.
    assert _sweep_heartbeat() >= started


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_runs_the_first_sweep_as_it_starts(celery_cluster, redis_server, smtp_server):
    # With a 10-minute interval, beat's schedule alone would sweep first 10 minutes from now.
    started = timezone.now()
    cluster = celery_cluster(
        broker_url=redis_server.url, smtp=smtp_server, env={"SWEEP_INTERVAL_SECONDS": "600"}
    )
    wait_for(
        lambda: _sweep_heartbeat() is not None,
        timeout=30,
        message=lambda: f"no sweep since beat started. {cluster.beat.describe()}",
    )
    assert _sweep_heartbeat() >= started
    assert "Queued the first sweep at start-up." in cluster.beat.log_text()
    cluster.assert_running()


# Slow only because kombu retries the connection for ~6 s before giving up (see the printout).
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_survives_a_broker_that_is_down(caplog, capsys):
    user = user_signup(
        email="alice@example.com",
        password="correct horse battery staple",
        name="Alice Martin",
        time_zone="UTC",
        now=timezone.now(),
    )
    caplog.set_level(logging.ERROR, logger="django.db.backends.base")
    with broker_url(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        started = time.monotonic()
        with transaction.atomic():
            digest = Digest.objects.create(owner=user, local_date=timezone.now().date())
            enqueue_digest(digest.pk)
        elapsed = time.monotonic() - started

    # Reported, not asserted (tests never assert wall-clock times); printed even without -s.
    with capsys.disabled():
        print(f"\n[on_commit enqueue with the broker down returned after {elapsed:.1f} s]")
    # The transaction committed; the row waits, pending, for a sweep to enqueue it again.
    digest.refresh_from_db()
    assert digest.state == Digest.State.PENDING
    assert digest.attempts == 0
    # The publish was attempted, failed, and was logged instead of raised.
    [record] = [r for r in caplog.records if "on_commit()" in r.getMessage()]
    assert "send_digest" in record.getMessage()
    assert "Connection refused" in record.getMessage()
    assert record.exc_info is not None
