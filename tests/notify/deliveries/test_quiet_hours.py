"""Quiet hours: nothing is sent inside them, at any zone; the digest waits for their end, and so
do retries. Time travels (time-machine) so the machine's clock and zone never matter."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import UserSettings
from notify.models import Delivery
from notify.services.deliveries import BACKOFF, deliveries_run, delivery_send, digest_fan_out
from reminders.models import Digest
from reminders.services.digests import digest_send
from reminders.services.schedule import digest_time_on, quiet_hours_contain, quiet_hours_end_after
from reminders.services.sweep import sweep_run
from tests.notify.deliveries.conftest import make_channel, sweep_digest, user_with_people_due

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def quiet(start: str | None, end: str | None, **fields) -> UserSettings:
    parse = lambda v: dt.time.fromisoformat(v) if v else None  # noqa: E731
    return UserSettings(quiet_hours_start=parse(start), quiet_hours_end=parse(end), **fields)


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        ("22:00", "07:00", ["22:00", "23:59", "00:00", "06:59"], ["07:00", "12:00", "21:59"]),
        ("13:00", "15:00", ["13:00", "14:59"], ["12:59", "15:00", "23:00"]),
        (None, None, [], ["00:00", "12:00"]),
        ("22:00", None, [], ["23:00"]),  # one end alone is no quiet hours
        ("08:00", "08:00", [], ["08:00"]),
    ],
)
def test_which_times_of_day_are_quiet(start, end, inside, outside):
    user_settings = quiet(start, end)
    for value in inside:
        assert quiet_hours_contain(user_settings=user_settings, at=dt.time.fromisoformat(value))
    for value in outside:
        assert not quiet_hours_contain(user_settings=user_settings, at=dt.time.fromisoformat(value))


@pytest.mark.parametrize(
    ("zone", "now", "ends"),
    [
        # Tokyo (UTC+9): 23:30 local on 1 Dec → quiet until 07:00 on 2 Dec = 22:00 UTC on 1 Dec.
        ("Asia/Tokyo", utc(2026, 12, 1, 14, 30), utc(2026, 12, 1, 22)),
        # Los Angeles (UTC-8): 05:00 local → 07:00 the same morning = 15:00 UTC.
        ("America/Los_Angeles", utc(2026, 12, 1, 13), utc(2026, 12, 1, 15)),
        # Kolkata (UTC+5:30): 12:00 local is not quiet.
        ("Asia/Kolkata", utc(2026, 12, 1, 6, 30), None),
        # Paris on the night the clocks go back (25 Oct 2026): 02:30 CET (the second one) is
        # quiet; 07:00 CET is 06:00 UTC.
        ("Europe/Paris", utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 6)),
    ],
)
def test_when_quiet_hours_end_in_any_zone(zone, now, ends):
    user_settings = quiet("22:00", "07:00", time_zone=zone)
    assert quiet_hours_end_after(user_settings=user_settings, now=now) == ends


def test_a_digest_hour_inside_quiet_hours_moves_to_their_end_that_day():
    early = quiet("22:00", "07:00", time_zone="Asia/Tokyo", digest_hour=6)
    assert digest_time_on(day=dt.date(2026, 12, 2), user_settings=early) == utc(2026, 12, 1, 22)
    # 23:00 in 22:00-07:00: the same day's morning, so each local day still has one digest.
    late = quiet("22:00", "07:00", time_zone="Asia/Tokyo", digest_hour=23)
    assert digest_time_on(day=dt.date(2026, 12, 2), user_settings=late) == utc(2026, 12, 1, 22)
    outside = quiet("22:00", "07:00", time_zone="Asia/Tokyo", digest_hour=8)
    assert digest_time_on(day=dt.date(2026, 12, 2), user_settings=outside) == utc(2026, 12, 1, 23)


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Sao_Paulo", "UTC", "Asia/Kolkata"])
def test_the_digest_waits_for_the_end_of_quiet_hours_in_any_zone(zone, receiver, smtp_settings):
    # Digest at 06:00, quiet 22:00-07:30: made and sent at 07:30 local, not before.
    first_day = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    owner = user_with_people_due(
        f"q-{zone.replace('/', '-').lower()}@example.com",
        zone=zone,
        now=first_day,
        digest_hour=6,
        quiet_hours_start=dt.time(22),
        quiet_hours_end=dt.time(7, 30),
    )
    make_channel(owner, receiver.apprise_url())
    local_day = first_day.astimezone(owner.settings.zone).date() + dt.timedelta(days=1)
    zone_info = owner.settings.zone
    at = lambda h, m=0: dt.datetime.combine(  # noqa: E731
        local_day, dt.time(h, m), tzinfo=zone_info
    ).astimezone(dt.UTC)

    for moment in (at(6), at(7, 29)):
        with time_machine.travel(moment, tick=False):
            assert sweep_digest(owner, moment) is None
    with time_machine.travel(at(7, 30), tick=False):
        digest = sweep_digest(owner, at(7, 30))
        assert digest is not None and digest.local_date == local_day
        assert digest_send(digest_id=digest.pk, now=at(7, 30)) == "sent"
        digest_fan_out(digest_id=digest.pk, now=at(7, 30))
        assert deliveries_run(now=at(7, 30), clock=lambda: at(7, 30)) == {"sent": 1}
    assert len(receiver.received) == 1


def test_quiet_hours_set_after_the_schedule_still_hold_the_digest(receiver):
    # The schedule says 08:00, then the owner sets quiet hours 07:00-09:00 without the schedule
    # being recomputed (an admin edit): the sweep still waits.
    now = utc(2026, 12, 1, 8, 15)
    owner = user_with_people_due("late@example.com", zone="UTC", now=now)
    UserSettings.objects.filter(user=owner).update(
        quiet_hours_start=dt.time(7), quiet_hours_end=dt.time(9)
    )
    assert sweep_digest(owner, now) is None
    assert sweep_digest(owner, utc(2026, 12, 1, 9)) is not None


def test_no_email_is_sent_inside_quiet_hours(smtp_settings, smtp_server):
    now = utc(2026, 12, 1, 8, 15)
    owner = user_with_people_due("mail@example.com", zone="UTC", now=now)
    digest = sweep_digest(owner, now)
    UserSettings.objects.filter(user=owner).update(
        quiet_hours_start=dt.time(8, 30), quiet_hours_end=dt.time(10)
    )
    assert digest_send(digest_id=digest.pk, now=utc(2026, 12, 1, 9)) == "quiet hours"
    assert Digest.objects.get(pk=digest.pk).state == "pending"
    assert smtp_server.messages == []
    report = sweep_run(now=utc(2026, 12, 1, 10))
    assert digest.pk in report.digests_to_deliver  # the sweep hands it on again afterwards
    assert digest_send(digest_id=digest.pk, now=utc(2026, 12, 1, 10)) == "sent"
    assert len(smtp_server.messages) == 1


def test_a_retry_that_would_land_in_quiet_hours_waits_for_their_end(receiver):
    # Quiet from 21:00 in Tokyo (12:00 UTC); a send at 11:58 UTC fails.
    now = utc(2026, 12, 1, 11, 58)
    owner = user_with_people_due(
        "retry@example.com",
        zone="Asia/Tokyo",
        now=now,
        digest_hour=20,
        quiet_hours_start=dt.time(21),
        quiet_hours_end=dt.time(7),
    )
    make_channel(owner, receiver.apprise_url())
    digest = sweep_digest(owner, now)
    digest_fan_out(digest_id=digest.pk, now=now)
    row = Delivery.objects.get()
    receiver.answer(500)
    assert delivery_send(row.pk, now) == "retry"
    row.refresh_from_db()
    assert now + BACKOFF[0] < utc(2026, 12, 1, 12)  # the first backoff still fits before 21:00
    receiver.answer(500)
    assert delivery_send(row.pk, now + BACKOFF[0]) == "retry"
    row.refresh_from_db()
    # 11:59 + 5 min = 12:04 UTC = 21:04 Tokyo: quiet, so 07:00 Tokyo = 22:00 UTC.
    assert row.next_attempt_at == utc(2026, 12, 1, 22)


def test_a_row_due_inside_quiet_hours_is_put_back_to_their_end(receiver):
    now = utc(2026, 12, 1, 8, 15)
    owner = user_with_people_due("held@example.com", zone="UTC", now=now)
    make_channel(owner, receiver.apprise_url())
    digest = sweep_digest(owner, now)
    digest_fan_out(digest_id=digest.pk, now=now)
    UserSettings.objects.filter(user=owner).update(
        quiet_hours_start=dt.time(8), quiet_hours_end=dt.time(12)
    )
    assert deliveries_run(now=now, clock=lambda: now) == {"quiet hours": 1}
    row = Delivery.objects.get()
    assert (row.state, row.next_attempt_at, row.attempts) == ("pending", utc(2026, 12, 1, 12), 0)
    assert receiver.received == []
    noon = utc(2026, 12, 1, 12)
    assert deliveries_run(now=noon, clock=lambda: noon) == {"sent": 1}
