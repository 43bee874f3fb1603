"""Don't hound, the second rule: someone who often reaches out first counts as in touch a little
longer (their rhythm × 5/4 for the due date). The flag is kept by interactions from the log
(contacts_recompute_from_log), set-based, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from contacts.services import contacts_set_cadence
from interactions.models import Interaction
from interactions.services import contacts_recompute_from_log, interaction_delete, interaction_log
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

THEM, ME = Interaction.Initiator.THEM, Interaction.Initiator.ME
TODAY = dt.date(2026, 6, 1)


def _log(owner, contact, day: dt.date, initiated_by: str = "") -> Interaction:
    return interaction_log(
        owner=owner,
        contacts=[contact],
        kind="call",
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
        initiated_by=initiated_by,
    )


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def test_three_calls_they_started_make_them_due_a_quarter_later(alice):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=28)
    _log(alice, ana, _days_ago(60), THEM)
    _log(alice, ana, _days_ago(30), THEM)
    ana.refresh_from_db()
    assert not ana.reaches_out_often
    assert ana.next_reach_out_on == _days_ago(30) + dt.timedelta(days=28)

    _log(alice, ana, _days_ago(2), THEM)
    ana.refresh_from_db()
    assert ana.reaches_out_often
    assert ana.next_reach_out_on == _days_ago(2) + dt.timedelta(days=35)  # 28 × 5/4
    assert ana.due_cadence_days == 35


def test_a_circle_rhythm_is_stretched_in_whole_days(alice):
    peers = CircleFactory(owner=alice, cadence_days=30)
    ben = ContactFactory(owner=alice, name="Ben", circle=peers)
    for days in (50, 20, 5):
        _log(alice, ben, _days_ago(days), THEM)
    ben.refresh_from_db()
    assert ben.reaches_out_often
    assert ben.next_reach_out_on == _days_ago(5) + dt.timedelta(days=37)  # 37.5, rounded down


def test_you_reaching_out_more_often_than_they_do_does_not_count(alice):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=28)
    for days in (90, 70, 50):
        _log(alice, ana, _days_ago(days), THEM)
    for days in (80, 60, 40, 20):
        _log(alice, ana, _days_ago(days), ME)
    ana.refresh_from_db()
    assert not ana.reaches_out_often
    assert ana.next_reach_out_on == _days_ago(20) + dt.timedelta(days=28)

    # One more from them: 4 against 4, at least as often as you (unnoted ones count for neither).
    _log(alice, ana, _days_ago(10), THEM)
    _log(alice, ana, _days_ago(5))
    ana.refresh_from_db()
    assert ana.reaches_out_often


def test_only_the_half_year_up_to_the_latest_interaction_counts(alice):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=28)
    _log(alice, ana, _days_ago(400), THEM)  # long ago: out of the window
    _log(alice, ana, _days_ago(150), THEM)
    _log(alice, ana, _days_ago(10), THEM)
    ana.refresh_from_db()
    assert not ana.reaches_out_often  # 2 in the 180 days before the latest

    # The window follows the log, not the clock: a call backdated into it makes 3.
    _log(alice, ana, _days_ago(100), THEM)
    ana.refresh_from_db()
    assert ana.reaches_out_often


def test_deleting_an_interaction_takes_the_flag_and_the_later_date_back(alice):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=28)
    _log(alice, ana, _days_ago(40), THEM)
    _log(alice, ana, _days_ago(20), THEM)
    latest = _log(alice, ana, _days_ago(4), THEM)
    interaction_delete(interaction=latest, today=TODAY)
    ana.refresh_from_db()
    assert not ana.reaches_out_often
    assert ana.next_reach_out_on == _days_ago(20) + dt.timedelta(days=28)


def test_a_group_interaction_counts_for_each_person_in_it(alice):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=14)
    ben = ContactFactory(owner=alice, name="Ben", cadence_days=14)
    for days in (30, 20, 10):
        interaction_log(
            owner=alice,
            contacts=[ana, ben],
            kind="meal",
            occurred_at=dt.datetime.combine(_days_ago(days), dt.time(19), tzinfo=dt.UTC),
            today=TODAY,
            initiated_by=THEM,
        )
    assert set(Contact.objects.filter(reaches_out_often=True).values_list("name", flat=True)) == {
        "Ana",
        "Ben",
    }
    ana.refresh_from_db()
    assert ana.next_reach_out_on == _days_ago(10) + dt.timedelta(days=17)  # 14 × 5/4 = 17.5


def test_the_whole_account_is_recomputed_in_a_constant_number_of_queries(
    alice, bob, django_assert_num_queries
):
    def people(count: int) -> None:
        for index in range(count):
            contact = ContactFactory(owner=alice, name=f"P{index}", cadence_days=20)
            for days in (30, 20, 10):
                InteractionFactory(
                    owner=alice,
                    contacts=[contact],
                    initiated_by=THEM if index % 2 else ME,
                    occurred_at=dt.datetime.combine(_days_ago(days), dt.time(9), tzinfo=dt.UTC),
                )

    # Bob's person reaches out all the time, but Bob's rows are his own business.
    bobs = ContactFactory(owner=bob, name="Bob's friend", cadence_days=20)
    for days in (30, 20, 10):
        InteractionFactory(
            owner=bob,
            contacts=[bobs],
            initiated_by=THEM,
            occurred_at=dt.datetime.combine(_days_ago(days), dt.time(9), tzinfo=dt.UTC),
        )
    people(2)
    # 3 UPDATEs of the rule, the reminders' close, each write followed by the owner cache's
    # version bump (outside a transaction: docs/decisions/0013).
    with django_assert_num_queries(10) as small:
        contacts_recompute_from_log(owner=alice, today=TODAY)
    people(20)
    with django_assert_num_queries(len(small.captured_queries)):
        contacts_recompute_from_log(owner=alice, today=TODAY)
    often = Contact.objects.filter(owner=alice, reaches_out_often=True)
    assert often.count() == 11  # every other one of 22
    assert not Contact.objects.get(pk=bobs.pk).reaches_out_often
    assert {c.next_reach_out_on for c in often} == {_days_ago(10) + dt.timedelta(days=25)}


def test_setting_rhythms_recomputes_when_people_are_due(alice):
    friends = CircleFactory(owner=alice, cadence_days=30)
    ana = ContactFactory(owner=alice, name="Ana", circle=friends)
    ben = ContactFactory(owner=alice, name="Ben", cadence_days=10)
    updated_at = Contact.objects.get(pk=ana.pk).updated_at
    assert contacts_set_cadence(owner=alice, cadences={ana.pk: 45, ben.pk: None}, today=TODAY) == 2
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert (ana.cadence_days, ana.next_reach_out_on) == (45, ana.added_on + dt.timedelta(days=45))
    assert (ben.cadence_days, ben.next_reach_out_on) == (None, None)
    assert ana.updated_at == updated_at  # a rhythm is not on a phone's card
