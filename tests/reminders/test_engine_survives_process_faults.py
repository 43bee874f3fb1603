"""The reminder engine as deployed: real Celery workers and beat (sweep every 2 s), a private
redis-server and a real SMTP server, on the test database. What is checked is what users get:
each digest that is due arrives, and arrives once, whatever happens to the processes around it.

The processes run on the real clock, so users live in a zone where it is midday now.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from reminders import tasks
from reminders.models import Digest, SchedulerHeartbeat
from tests.fixtures.processes import SWEEP_INTERVAL_SECONDS, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def zone_where_it_is_midday(now: dt.datetime) -> str:
    """A fixed-offset zone whose local time is 12:xx now: the local date cannot change while the
    test runs, whatever the hour it is started at."""
    offset = (12 - now.hour + 12) % 24 - 12
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def user_with_people_due(email: str, zone: str, *names: str):
    """A user (daily digest at 08:00, so owed now) with ``names`` due for a while."""
    user = user_signup(
        email=email,
        password="correct horse battery staple",
        name=email.split("@")[0].title(),
        time_zone=zone,
        now=timezone.now(),
    )
    assert user.settings.next_digest_at <= timezone.now()
    month_ago = timezone.now().astimezone(ZoneInfo(zone)).date() - dt.timedelta(days=30)
    contacts = [
        contact_save(contact=Contact(owner=user, name=name, cadence_days=7), today=month_ago)
        for name in names
    ]
    return user, contacts


def last_sweep() -> dt.datetime | None:
    return (
        SchedulerHeartbeat.objects.filter(name="sweep")
        .values_list("last_run_at", flat=True)
        .first()
    )


def wait_for_sweeps_after(moment: dt.datetime, count: int = 3) -> None:
    """Let beat run ``count`` more sweeps (recorded by the worker) after ``moment``."""
    seen: set[dt.datetime] = set()

    def enough() -> bool:
        if (last := last_sweep()) and last > moment:
            seen.add(last)
        return len(seen) >= count

    wait_for(
        enough,
        timeout=10 * SWEEP_INTERVAL_SECONDS,
        interval=0.2,
        message=lambda: f"{len(seen)} sweep(s) after {moment}; digests: {digest_states()}",
    )


def digest_states() -> list[dict]:
    return list(Digest.objects.values("pk", "owner__email", "state", "attempts", "last_error"))


def body(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def test_two_workers_send_every_due_digest_exactly_once(
    celery_cluster, redis_server, smtp_server, celery_broker, capsys
):
    redis_server.flushall()
    cluster = celery_cluster(broker_url=redis_server.url, smtp=smtp_server, workers=2)
    celery_broker(redis_server.url)  # the test publishes duplicate deliveries too
    zone = zone_where_it_is_midday(timezone.now())
    with transaction.atomic():  # all due at once, for the first sweep that sees them
        users = [
            user_with_people_due(f"user{number}@example.com", zone, f"Friend of {number}")[0]
            for number in range(6)
        ]

    # Each digest's delivery is also published twice more as it appears (a broker that
    # delivers a message twice, a sweep re-enqueueing it): the two workers race to claim them.
    duplicated: set[int] = set()

    def all_arrived() -> bool:
        for digest_id in Digest.objects.values_list("pk", flat=True):
            if digest_id not in duplicated:
                duplicated.add(digest_id)
                tasks.send_digest.delay(digest_id)
                tasks.send_digest.delay(digest_id)
        return len(smtp_server.messages) >= len(users)

    wait_for(
        all_arrived,
        timeout=45,
        interval=0.05,
        message=lambda: f"{len(smtp_server.messages)} email(s); digests: {digest_states()}",
    )
    wait_for_sweeps_after(timezone.now())
    cluster.assert_running()

    received = list(smtp_server.messages)
    assert sorted(r for message in received for r in message.rcpt_tos) == sorted(
        user.email for user in users
    )
    digests = {digest.owner.email: digest for digest in Digest.objects.select_related("owner")}
    assert len(digests) == len(users)
    for message in received:
        [email] = message.rcpt_tos
        digest = digests[email]
        assert message.message["Message-ID"] == digest.message_id
        assert (digest.state, digest.attempts) == (Digest.State.SENT, 1)
        assert f"Friend of {email.removeprefix('user').split('@')[0]}" in body(message)
    sent_by = {w.name: w.log_text().count("'sent'") for w in cluster.workers}
    with capsys.disabled():
        print(f"\n[digests sent per worker: {sent_by}]")


def test_a_worker_killed_while_sending_is_replaced_and_the_digest_arrives_once(
    celery_cluster, redis_server, holding_smtp_server
):
    smtp = holding_smtp_server
    smtp.handler.hold.set()  # the first DATA gets no reply: the worker waits, mid-send
    redis_server.flushall()
    cluster = celery_cluster(
        broker_url=redis_server.url,
        smtp=smtp,
        env={"DIGEST_CLAIM_TIMEOUT_SECONDS": "30", "EMAIL_TIMEOUT": "10"},
    )
    zone = zone_where_it_is_midday(timezone.now())
    user, _ = user_with_people_due("alice@example.com", zone, "Amara Diallo")

    wait_for(
        smtp.handler.holding.is_set,
        timeout=30,
        message=lambda: f"no DATA reached the SMTP server; digests: {digest_states()}",
    )
    digest = Digest.objects.get(owner=user)
    assert (digest.state, digest.attempts) == (Digest.State.SENDING, 1)
    first_claim = digest.claimed_at
    smtp.handler.hold.clear()  # from now on the server answers

    cluster.kill(cluster.workers[0])
    cluster.start_worker()

    [received] = smtp.wait_for_messages(1, timeout=50)
    wait_for_sweeps_after(timezone.now())
    cluster.assert_running()

    assert len(smtp.messages) == 1
    [held] = smtp.handler.held  # the killed worker's attempt: data sent, never acknowledged
    assert received.rcpt_tos == held.rcpt_tos == ["alice@example.com"]
    # The same message, recognisable as such by its Message-ID.
    digest.refresh_from_db()
    assert received.message["Message-ID"] == held.message["Message-ID"] == digest.message_id
    assert "Amara Diallo" in body(received)
    assert (digest.state, digest.attempts) == (Digest.State.SENT, 2)
    # Taken up again only once the first claim had timed out.
    assert digest.claimed_at - first_claim >= dt.timedelta(seconds=30)


def test_the_site_works_while_redis_is_down_and_the_digest_goes_out_once_it_is_back(
    celery_cluster, restartable_redis, smtp_server, celery_broker, client, caplog, capsys
):
    cluster = celery_cluster(broker_url=restartable_redis.url, smtp=smtp_server)
    celery_broker(restartable_redis.url)
    restartable_redis.stop()

    zone = zone_where_it_is_midday(timezone.now())
    user, (amara, ben) = user_with_people_due(
        "alice@example.com", zone, "Amara Diallo", "Ben Carter"
    )
    # A sweep ran a few minutes ago while the broker was down (the cron command, or a worker
    # whose publish failed): the day's Digest row waits, pending.
    caplog.set_level(logging.ERROR, logger="django.db.backends.base")
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=3), tick=True):
        tasks.sweep()
    digest = Digest.objects.get(owner=user)
    assert (digest.state, digest.attempts) == (Digest.State.PENDING, 0)
    assert any("send_digest" in record.getMessage() for record in caplog.records)

    client.force_login(user)
    started = time.monotonic()
    dashboard = client.get(reverse("dashboard"))
    logged = client.post(reverse("interactions:log", args=[ben.pk]), {"kind": "call"})
    after = client.get(reverse("dashboard"))
    elapsed = time.monotonic() - started

    assert dashboard.status_code == 200
    assert "Ben Carter" in dashboard.content.decode().split('id="due"')[1]
    assert logged.status_code == 302
    ben.refresh_from_db()
    assert ben.last_interaction_on == timezone.now().astimezone(ZoneInfo(zone)).date()
    assert after.status_code == 200
    due = after.content.decode().split('id="due"')[1].split("</section>")[0]
    assert "Amara Diallo" in due
    assert "Ben Carter" not in due
    with capsys.disabled():
        print(f"\n[dashboard, log, dashboard with redis down: {elapsed:.1f} s]")
    assert len(smtp_server.messages) == 0

    restartable_redis.start()

    [received] = smtp_server.wait_for_messages(1, timeout=45)
    wait_for_sweeps_after(timezone.now())
    cluster.assert_running()
    assert len(smtp_server.messages) == 1
    assert received.rcpt_tos == ["alice@example.com"]
    # Rendered when sent: Ben, called meanwhile, is no longer in it.
    text = body(received)
    assert "Amara Diallo" in text
    assert "Ben Carter" not in text
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == (Digest.State.SENT, 1)
    assert received.message["Message-ID"] == digest.message_id
