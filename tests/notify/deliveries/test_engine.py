"""The digest reaches every channel and device of its owner through Delivery rows: fan-out,
claim → send → mark, backoff, gone devices, stale claims and the purge. Real sends over loopback
(Apprise json:// and a push service stand-in), real database, time given explicitly."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from notify.models import Delivery, PushSubscription
from notify.services import deliveries
from notify.services.deliveries import (
    BACKOFF,
    deliveries_due,
    deliveries_purge,
    deliveries_run,
    delivery_send,
    digest_fan_out,
    digest_message,
)
from reminders.models import Digest
from reminders.services.digests import digest_send
from tests.notify.deliveries.conftest import (
    make_channel,
    make_subscription,
    sweep_digest,
    user_with_people_due,
)

pytestmark = pytest.mark.django_db

# A Tuesday, 09:30 in Lisbon (UTC+0 in winter): after the 08:00 digest hour.
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def ana_owner():
    return user_with_people_due(
        "zoe@example.com", zone="Europe/Lisbon", now=NOW, names=("Ana Lopez", "Bruno Sá")
    )


def run(now=NOW):
    return deliveries_run(now=now, clock=lambda: now)


def test_the_digest_reaches_each_channel_and_device_once_with_who_is_due(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url("chat"), name="Telegram")
    make_channel(ana_owner, receiver.apprise_url("ntfy"), name="ntfy")
    make_subscription(ana_owner, receiver.url("push/device-1"))
    make_channel(ana_owner, receiver.apprise_url("off"), name="Old", enabled=False)

    digest = sweep_digest(ana_owner, NOW)
    assert digest is not None
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 3
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 0  # a second fan-out adds nothing

    assert run() == {"sent": 3}
    by_path = {r.path: r for r in receiver.received}
    assert sorted(by_path) == ["/chat", "/ntfy", "/push/device-1"]
    chat = by_path["/chat"].json
    assert chat["title"] == "2 people to reach out to"
    assert "Reach out to Ana Lopez, Bruno Sá." in chat["message"]
    assert "https://crm.example.com/" in chat["message"]
    assert by_path["/push/device-1"].json == {
        "title": "2 people to reach out to",
        "body": "Reach out to Ana Lopez, Bruno Sá.",
        "url": "https://crm.example.com/",
    }
    rows = Delivery.objects.filter(owner=ana_owner)
    assert sorted(rows.values_list("state", "attempts")) == [("sent", 1)] * 3
    assert run() == {}  # nothing left: nobody hears it twice
    assert len(receiver.received) == 3
    telegram = ana_owner and rows.get(channel__name="Telegram").channel
    assert telegram.last_success_at == NOW and telegram.last_error == ""


def test_one_person_due_says_their_name(receiver):
    owner = user_with_people_due("solo@example.com", zone="UTC", now=NOW, names=("Chidi Okafor",))
    digest = sweep_digest(owner, NOW)
    title, body, url = digest_message(digest=digest)
    assert title == "Time to reach out to Chidi Okafor"
    assert url == "https://crm.example.com/"


def test_a_digest_found_empty_reaches_nobody(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    Digest.objects.filter(pk=digest.pk).update(state=Digest.State.EMPTY)
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 0
    assert not Delivery.objects.exists()


def test_another_users_targets_never_get_this_digest(ana_owner, receiver, bob):
    make_channel(bob, receiver.apprise_url("bob"))
    make_subscription(bob, receiver.url("push/bob"))
    digest = sweep_digest(ana_owner, NOW)
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 0
    assert run() == {}
    assert receiver.received == []


def test_a_failing_target_is_retried_with_backoff_and_never_blocks_the_others(
    ana_owner, receiver, smtp_settings, smtp_server
):
    broken = make_channel(ana_owner, receiver.apprise_url("broken"), name="Broken")
    make_channel(ana_owner, receiver.apprise_url("fine"), name="Fine")
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    row = Delivery.objects.get(channel=broken)
    moment = NOW
    for attempt, wait in enumerate(BACKOFF, start=1):
        receiver.answer(500, path="/broken")
        assert delivery_send(row.pk, moment) == "retry"
        row.refresh_from_db()
        assert (row.state, row.attempts, row.next_attempt_at) == ("pending", attempt, moment + wait)
        assert delivery_send(row.pk, moment + wait - dt.timedelta(seconds=1)) == "not claimable"
        moment += wait
    receiver.answer(500, path="/broken")
    assert delivery_send(row.pk, moment) == "failed"
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", len(BACKOFF) + 1)
    broken.refresh_from_db()
    assert broken.last_error and broken.last_error == row.last_error  # shown on the channel
    assert broken.last_success_at is None

    # The other channel and the email were never held up by it.
    assert run(moment) == {"sent": 1}
    assert digest_send(digest_id=digest.pk, now=NOW) == "sent"
    assert len(smtp_server.messages) == 1
    assert Delivery.objects.get(channel__name="Fine").state == "sent"


def test_500_then_200_is_delivered_on_the_retry_with_the_same_text(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    receiver.answer(500)
    assert run() == {"retry": 1}
    assert run(NOW + dt.timedelta(seconds=59)) == {}
    assert run(NOW + BACKOFF[0]) == {"sent": 1}
    first, second = receiver.received
    assert first.body == second.body
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.sent_at) == ("sent", 2, NOW + BACKOFF[0])


def test_a_target_that_times_out_is_retried_later(ana_owner, receiver, monkeypatch):
    # Apprise's connect/read timeouts, made short here: channel_send's own (A's module
    # constants) or, for the stand-in, the URL's cto/rto.
    channels = importlib.import_module("notify.services.channels")
    if hasattr(channels, "READ_TIMEOUT_SECONDS"):
        monkeypatch.setattr(channels, "READ_TIMEOUT_SECONDS", 1.0)
    make_channel(ana_owner, receiver.apprise_url("slow", cto="1", rto="1"), name="Slow")
    make_channel(ana_owner, receiver.apprise_url("quick"), name="Quick")
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    receiver.answer(200, delay=3, path="/slow")  # hangs past its read timeout
    outcomes = run()
    assert outcomes == {"retry": 1, "sent": 1}
    slow = Delivery.objects.get(channel__name="Slow")
    assert (slow.state, slow.attempts) == ("pending", 1)
    assert Delivery.objects.get(channel__name="Quick").state == "sent"


def test_a_device_the_push_service_forgot_is_removed(ana_owner, receiver):
    device = make_subscription(ana_owner, receiver.url("push/gone"))
    make_subscription(ana_owner, receiver.url("push/alive"), label="Firefox on Linux")
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    gone_row = Delivery.objects.get(subscription=device)
    receiver.answer(410, path="/push/gone")
    assert delivery_send(gone_row.pk, NOW) == "gone"
    assert not PushSubscription.objects.filter(pk=device.pk).exists()
    gone_row.refresh_from_db()
    assert (gone_row.state, gone_row.subscription_id) == ("gone", None)
    assert run() == {"sent": 1}
    assert PushSubscription.objects.filter(owner=ana_owner).count() == 1


def test_a_permanent_error_gives_up_at_once(ana_owner):
    make_channel(ana_owner, "nonsense-scheme://what")
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    assert run() == {"failed": 1}
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.channel.last_error and row.channel.last_error == row.last_error


def test_an_unexpected_error_in_a_sender_is_a_retry_not_a_stuck_row(
    ana_owner, receiver, monkeypatch
):
    make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)

    def broken(delivery):
        raise KeyError("surprise")

    monkeypatch.setattr(deliveries, "_send", broken)
    assert run() == {"retry": 1}
    row = Delivery.objects.get()
    assert (row.state, row.last_error) == ("pending", "Unexpected error: KeyError")


def test_a_channel_turned_off_after_the_fan_out_is_not_sent_to(ana_owner, receiver):
    channel = make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    channel.enabled = False
    channel.save()
    assert run() == {"failed": 1}
    assert receiver.received == []


def test_a_stale_claim_is_taken_again_and_a_fresh_one_is_not(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    row = Delivery.objects.get()
    Delivery.objects.filter(pk=row.pk).update(state="sending", claimed_at=NOW)
    assert deliveries_due(now=NOW + dt.timedelta(minutes=1)) == []
    assert deliveries_due(now=NOW + dt.timedelta(minutes=3)) == [row.pk]
    row.refresh_from_db()
    assert row.state == "pending"
    assert "sent again" in row.last_error


def test_a_digest_deleted_as_empty_takes_its_rows_with_it(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url())
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    Digest.objects.filter(pk=digest.pk).delete()
    assert not Delivery.objects.exists()
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 0


def test_old_finished_rows_are_purged_and_waiting_ones_kept(ana_owner, receiver):
    make_channel(ana_owner, receiver.apprise_url("a"))
    make_channel(ana_owner, receiver.apprise_url("b"), name="Second")
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    sent, waiting = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=sent.pk).update(state="sent")
    old = NOW - dt.timedelta(days=31)
    Delivery.objects.update(created_at=old)
    assert deliveries_purge(now=NOW) == 1
    assert list(Delivery.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_a_device_that_moved_to_another_user_never_gets_the_old_owners_digest(
    ana_owner, receiver, bob
):
    device = make_subscription(ana_owner, receiver.url("push/shared-laptop"))
    digest = sweep_digest(ana_owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    # Bob signs in on the same browser and subscribes it: the endpoint moves to him.
    PushSubscription.objects.filter(pk=device.pk).update(owner=bob)
    assert run() == {"gone": 1}
    assert receiver.received == []
    assert Delivery.objects.get().state == "gone"
    assert PushSubscription.objects.get(pk=device.pk).owner == bob  # his to keep
