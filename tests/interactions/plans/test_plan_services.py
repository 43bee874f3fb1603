"""interactions/plans.py: plan, log (one interaction with the plan's details), undo, dismiss,
restore, and the promise captured after a log."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from interactions.models import Interaction, PlannedInteraction
from interactions.plans import (
    PlanNotYet,
    plan_dismiss,
    plan_log,
    plan_log_undo,
    plan_promise,
    plan_restore,
)
from reminders.models import Reminder
from reminders.services.sweep import sweep_run
from tests.interactions.plans.helpers import person, plan

pytestmark = pytest.mark.django_db

TOMORROW_10 = dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)


def test_logging_a_plan_makes_one_interaction_with_its_people_kind_place_and_moment(alice):
    ana, ben = person(alice, "Ana Lima"), person(alice, "Ben Okafor")
    planned = plan(
        alice,
        [ana, ben],
        TOMORROW_10,
        kind="meal",
        place="Tasca",
        note="Her new job",
        duration_minutes=90,
    )

    interaction = plan_log(plan=planned, now=TOMORROW_10 + dt.timedelta(hours=2), today=TODAY)

    interaction.refresh_from_db()
    assert interaction.kind == "meal" and interaction.place == "Tasca"
    assert interaction.occurred_at == TOMORROW_10 and interaction.duration_minutes == 90
    assert interaction.notes == "Her new job"
    assert set(interaction.contacts.all()) == {ana, ben}
    planned.refresh_from_db()
    assert planned.state == "logged" and planned.interaction == interaction
    # The log moves their due dates like any interaction.
    assert Contact.objects.get(pk=ana.pk).last_interaction_on == dt.date(2026, 11, 29)
    # Logging again (a double click) logs nothing more.
    assert (
        plan_log(plan=planned, now=TOMORROW_10 + dt.timedelta(hours=3), today=TODAY) == interaction
    )
    assert Interaction.objects.filter(owner=alice).count() == 1


def test_a_plan_cannot_be_logged_before_its_time(alice):
    planned = plan(alice, [person(alice, "Ana Lima")], TOMORROW_10)
    with pytest.raises(PlanNotYet):
        plan_log(plan=planned, now=TOMORROW_10 - dt.timedelta(minutes=1), today=TODAY)
    assert not Interaction.objects.exists()
    assert PlannedInteraction.objects.get().state == "planned"


def test_undoing_a_log_deletes_the_interaction_and_plans_it_again(alice):
    ana = person(alice, "Ana Lima")
    planned = plan(alice, [ana], TOMORROW_10)
    plan_log(plan=planned, now=TOMORROW_10 + dt.timedelta(hours=1), today=TODAY)

    plan_log_undo(plan=PlannedInteraction.objects.get(), today=TODAY)

    assert not Interaction.objects.exists()
    planned.refresh_from_db()
    assert planned.state == "planned" and planned.interaction is None
    assert Contact.objects.get(pk=ana.pk).last_interaction_on is None


def test_dismiss_and_restore(alice):
    planned = plan(alice, [person(alice, "Ana Lima")], TOMORROW_10)
    plan_dismiss(plan=planned)
    assert PlannedInteraction.objects.get().state == "dismissed"
    plan_restore(plan=planned)
    assert PlannedInteraction.objects.get().state == "planned"
    # A logged plan is not dismissed by a stale button.
    plan_log(plan=planned, now=TOMORROW_10, today=TODAY)
    plan_dismiss(plan=PlannedInteraction.objects.get())
    assert PlannedInteraction.objects.get().state == "logged"


def test_a_plan_only_with_your_own_people(alice, bob):
    with pytest.raises(PermissionError):
        plan(alice, [person(bob, "Bob's friend")], TOMORROW_10)
    with pytest.raises(ValueError):
        plan(alice, [], TOMORROW_10)
    assert not PlannedInteraction.objects.exists()


def test_a_promise_after_the_log_becomes_a_follow_up_reminder(alice):
    ana = person(alice, "Ana Lima")
    planned = plan(alice, [ana], TOMORROW_10)
    interaction = plan_log(plan=planned, now=TOMORROW_10, today=TODAY)

    plan_promise(
        interaction=interaction, note="Send the article", on=dt.date(2026, 12, 2), today=TODAY
    )

    interaction.refresh_from_db()
    assert interaction.follow_up_note == "Send the article"
    assert interaction.follow_up_on == dt.date(2026, 12, 2)
    # The existing follow-up reminders pick it up on its day.
    sweep_run(now=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    reminder = Reminder.objects.get(kind=Reminder.Kind.FOLLOW_UP)
    assert reminder.contact == ana and reminder.note == "Send the article"
