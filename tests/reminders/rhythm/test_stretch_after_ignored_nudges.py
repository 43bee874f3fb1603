"""Don't hound, the first rule: each digest that carries a live reach-out reminder counts a
nudge; when the next digest is owed after three, the person's rhythm is stretched gently,
recorded, and the reminder dismissed. Time is driven through the sweep (services take ``now``)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from interactions.services import interaction_log
from reminders.models import Digest, Reminder, RhythmStretch
from reminders.services.actions import reminder_act
from reminders.services.rhythm import StretchGone, rhythm_stretch_undo, stretched_cadence
from tests.factories import CircleFactory
from tests.reminders.rhythm.helpers import day, morning, person, signup, utc

pytestmark = pytest.mark.django_db


def _nudges(contact: Contact) -> list[tuple[str, int]]:
    return list(
        Reminder.objects.filter(contact=contact, kind="reach_out")
        .order_by("pk")
        .values_list("state", "nudge_count")
    )


def test_three_ignored_digests_stretch_the_rhythm_when_the_fourth_is_owed():
    zoe = signup()
    ana = person(zoe, "Ana")  # every 4 weeks, due 29 March
    for n in range(3):
        morning(day(n))
        assert _nudges(ana) == [("open", n + 1)]
    assert Digest.objects.filter(owner=zoe).count() == 3
    assert not RhythmStretch.objects.exists()

    report = morning(day(3))
    ana.refresh_from_db()
    stretch = RhythmStretch.objects.get()
    assert (stretch.contact, stretch.previous_cadence_days, stretch.new_cadence_days) == (
        ana,
        28,
        35,
    )
    assert stretch.stretched_on == day(3) and stretch.undone_at is None
    assert ana.cadence_days == 35
    # The clock still runs from the day she was added (1 March): due 5 April now, not today.
    assert ana.next_reach_out_on == dt.date(2026, 4, 5)
    assert _nudges(ana) == [("dismissed", 3)]
    # Nothing else to say: no fourth digest about her.
    assert report.digests_created == []


def test_many_sweeps_a_day_count_one_nudge():
    zoe = signup()
    ana = person(zoe, "Ana")
    for minute in (5, 6, 30):
        morning(day(0), minute=minute)
    morning(day(0), hour=21)
    assert _nudges(ana) == [("open", 1)]


def test_acting_on_the_nudge_closes_it_and_the_next_one_starts_at_zero():
    zoe = signup()
    ana = person(zoe, "Ana")
    morning(day(0))
    morning(day(1))
    interaction_log(
        owner=zoe, contacts=[ana], kind="call", occurred_at=utc(2026, 3, 30, 18), today=day(1)
    )
    assert _nudges(ana) == [("done", 2)]
    # Four weeks later she is due again: a new reminder, counted from nothing.
    for n in range(29, 32):
        morning(day(n))
    assert _nudges(ana) == [("done", 2), ("open", 3)]
    assert not RhythmStretch.objects.exists()


def test_a_snooze_from_the_email_starts_the_count_again():
    zoe = signup()
    ana = person(zoe, "Ana")
    morning(day(0))
    morning(day(1))
    reminder = Reminder.objects.get(contact=ana)
    reminder_act(reminder=reminder, action="snooze", version=None, now=utc(2026, 3, 30, 9))
    assert _nudges(ana) == [("snoozed", 0)]


def test_without_digests_nobody_is_counted_or_stretched():
    zoe = signup(frequency="off")
    ana = person(zoe, "Ana")
    for n in range(10):
        morning(day(n))
    assert _nudges(ana) == [("open", 0)]
    assert not RhythmStretch.objects.exists()
    ana.refresh_from_db()
    assert ana.cadence_days == 28


def test_only_the_people_a_digest_carries_are_counted():
    zoe = signup()
    zoe.settings.daily_limit = 1
    zoe.settings.save()
    ana = person(zoe, "Ana", cadence=10)  # due 11 March: longer overdue on 29 March, first
    ben = person(zoe, "Ben")
    morning(day(0))
    assert _nudges(ana) == [("open", 1)]
    assert _nudges(ben) == [("open", 0)]  # "1 more": not pushed, so not ignored


def test_a_circle_rhythm_becomes_the_persons_own_and_undo_gives_the_circle_back():
    zoe = signup()
    friends = CircleFactory(owner=zoe, name="Old friends", cadence_days=30)
    ana = person(zoe, "Ana", cadence=None, circle=friends)  # due 31 March
    for n in range(2, 6):
        morning(day(n))
    stretch = RhythmStretch.objects.get()
    assert (stretch.previous_cadence_days, stretch.new_cadence_days) == (None, 38)
    ana.refresh_from_db()
    assert ana.cadence_days == 38 and ana.next_reach_out_on == dt.date(2026, 4, 8)

    now = utc(2026, 4, 3, 12)
    rhythm_stretch_undo(stretch=stretch, today=day(5), now=now)
    ana.refresh_from_db()
    stretch.refresh_from_db()
    assert ana.cadence_days is None
    assert ana.next_reach_out_on == dt.date(2026, 3, 31)  # the circle's 30 days again: due
    assert stretch.undone_at == now
    with pytest.raises(StretchGone):
        rhythm_stretch_undo(stretch=stretch, today=day(5), now=now)


def test_undo_after_the_rhythm_was_changed_by_hand_changes_nothing():
    zoe = signup()
    ana = person(zoe, "Ana")
    for n in range(4):
        morning(day(n))
    stretch = RhythmStretch.objects.get()
    Contact.objects.filter(pk=ana.pk).update(cadence_days=60)
    with pytest.raises(StretchGone):
        rhythm_stretch_undo(stretch=stretch, today=day(3), now=utc(2026, 4, 1, 12))
    ana.refresh_from_db()
    stretch.refresh_from_db()
    assert ana.cadence_days == 60 and stretch.undone_at is None


def test_paused_people_are_not_stretched():
    zoe = signup()
    ana = person(zoe, "Ana")
    for n in range(3):
        morning(day(n))
    Contact.objects.filter(pk=ana.pk).update(paused=True)
    morning(day(3))
    assert not RhythmStretch.objects.exists()


@pytest.mark.parametrize(
    ("days", "stretched"),
    [
        (28, 35),  # 4 weeks → 5
        (14, 18),  # 17.5 rounds up
        (30, 38),
        (7, 10),  # at least 3 days more
        (1, 4),
        (120, 150),
        (200, 230),  # at most a month more
        (350, 365),  # at most a year
        (365, 365),
        (400, 400),  # never shorter
    ],
)
def test_how_much_a_rhythm_is_stretched(days, stretched):
    assert stretched_cadence(days) == stretched
