"""A worker killed between send and mark: a real subprocess claims the row and sends; the
receiver SIGKILLs it as the message arrives, so the row is never marked. Once the claim is stale
the row is sent again: at most one repeat, with the same text. And the task wiring: the sweep's
new digest queues deliver_digest on commit, which fans out and sends."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

import pytest

from notify.models import Delivery
from notify.services.deliveries import (
    CLAIM_TIMEOUT,
    deliveries_run,
    digest_fan_out,
    digests_to_fan_out,
)
from notify.tasks import deliver_digest, deliver_notifications
from reminders.services.sweep import sweep_run
from tests.fixtures.processes import BASE_DIR, subprocess_database_url
from tests.notify.deliveries.conftest import (
    make_channel,
    make_subscription,
    sweep_digest,
    user_with_people_due,
)

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)

WORKER = """
import datetime as dt, sys
import django
django.setup()
from tests.notify.deliveries import standins
standins.install()
from notify.services.deliveries import delivery_send
print("outcome", delivery_send(int(sys.argv[1]), dt.datetime.fromisoformat(sys.argv[2])))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", ["channel", "device"])
def test_a_worker_killed_between_send_and_mark_repeats_once_with_the_same_text(
    receiver, tmp_path, target
):
    owner = user_with_people_due("killed@example.com", zone="UTC", now=NOW, names=("Ana Lopez",))
    if target == "channel":
        make_channel(owner, receiver.apprise_url("chat"))
    else:
        make_subscription(owner, receiver.url("push/phone"))
    digest = sweep_digest(owner, NOW)
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 1
    row = Delivery.objects.get()

    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(row.pk), NOW.isoformat()],
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "network_crm.settings",
            "DATABASE_URL": subprocess_database_url(),
            "NOTIFY_ALLOW_PRIVATE": "true",
            "SITE_URL": "https://crm.example.com",
        },
        start_new_session=True,
    )
    # The message has arrived; the worker dies before it can hear the answer or mark the row.
    receiver.before_answer = lambda: os.kill(worker.pid, signal.SIGKILL)
    try:
        assert worker.wait(timeout=60) == -signal.SIGKILL, (tmp_path / "worker.log").read_text()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
    receiver.before_answer = None
    assert len(receiver.received) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sending", 0)

    # Not yet stale: nobody takes it.
    soon = NOW + CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    assert deliveries_run(now=soon, clock=lambda: soon) == {}
    later = NOW + CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert deliveries_run(now=later, clock=lambda: later) == {"sent": 1}
    assert deliveries_run(now=later, clock=lambda: later) == {}
    first, second = receiver.wait_for(2)
    assert len(receiver.received) == 2  # one repeat, no more
    assert first.body == second.body and b"Ana Lopez" in first.body
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at) == ("sent", 1, later)


@pytest.mark.django_db
def test_the_sweep_queues_deliver_digest_on_commit_and_the_task_sends(
    receiver, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(NOW, tick=False)
    owner = user_with_people_due("task@example.com", zone="UTC", now=NOW)
    make_channel(owner, receiver.apprise_url())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = sweep_run(now=NOW)
    [digest_id] = report.digests_created
    queued = [c for c in callbacks if getattr(c, "func", None) == deliver_digest.delay]
    assert [c.args for c in queued] == [(digest_id,)]
    # What the worker runs for that message:
    assert deliver_digest(digest_id) == "1 new, {'sent': 1}"
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_beat_fans_out_a_digest_whose_task_was_lost_and_sends_it(receiver, time_machine):
    time_machine.move_to(NOW, tick=False)
    user_with_people_due("no-targets@example.com", zone="UTC", now=NOW)
    owner = user_with_people_due("lost@example.com", zone="UTC", now=NOW)
    make_channel(owner, receiver.apprise_url())
    sweep_digest(owner, NOW)  # its deliver_digest never ran (broker down)
    assert deliver_notifications() == "1 new, {'sent': 1}, 0 purged"
    assert deliver_notifications() == "0 new, {}, 0 purged"
    assert len(receiver.received) == 1
    # Digests of owners without any target are not even looked at.
    assert digests_to_fan_out(now=NOW) == [Delivery.objects.get().digest_id]
    # A digest made more than two hours ago is not fanned out to a target added now.
    time_machine.move_to(NOW + dt.timedelta(hours=3), tick=False)
    make_channel(owner, receiver.apprise_url("new"), name="New")
    assert deliver_notifications() == "0 new, {}, 0 purged"
