"""The brief: what it gathers about one person, in a fixed number of queries, and its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import ImportantDate
from interactions.services import interaction_log
from reminders.brief import contact_brief
from reminders.models import Reminder
from tests.factories import ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def _log(owner, contact, day, **fields):
    return interaction_log(
        owner=owner,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
        **fields,
    )


def _rich_contact(owner, *, history: int):
    mia = ContactFactory(owner=owner, name="Mia Chen")
    ana = ContactFactory(
        owner=owner, name="Ana Lima", how_we_met="Climbing gym in Porto", introduced_by=mia
    )
    jazz = InterestFactory(owner=owner, name="Jazz", mine=True)
    chess = InterestFactory(owner=owner, name="Chess", mine=False)
    ana.interests.add(jazz, chess)
    ImportantDate.objects.create(owner=owner, contact=ana, month=12, day=5)
    ImportantDate.objects.create(owner=owner, contact=ana, kind="anniversary", month=6, day=1)
    for days in range(history):
        _log(owner, ana, TODAY - dt.timedelta(days=200 + days), notes=f"old {days}")
    _log(owner, ana, TODAY - dt.timedelta(days=30), notes="Talked about Lisbon")
    _log(owner, ana, TODAY - dt.timedelta(days=20), ask_next_time="the new job")
    done = _log(
        owner, ana, TODAY - dt.timedelta(days=15), follow_up_on=TODAY - dt.timedelta(days=2),
        follow_up_note="Sent the article",
    )  # fmt: skip
    Reminder.objects.create(
        owner=owner, contact=ana, interaction=done, kind="follow_up", due_on=done.follow_up_on,
        state=Reminder.State.DONE,
    )  # fmt: skip
    live = _log(
        owner, ana, TODAY - dt.timedelta(days=10), follow_up_on=TODAY - dt.timedelta(days=1),
        follow_up_note="Intro to Ben",
    )  # fmt: skip
    Reminder.objects.create(
        owner=owner, contact=ana, interaction=live, kind="follow_up", due_on=live.follow_up_on,
        state=Reminder.State.SNOOZED, note="Intro to Ben",
    )  # fmt: skip
    _log(
        owner, ana, TODAY - dt.timedelta(days=3), follow_up_on=TODAY + dt.timedelta(days=4),
        follow_up_note="Send the paper",
    )  # fmt: skip
    return ana


def test_the_brief_gathers_what_to_know_before_meeting(alice):
    ana = _rich_contact(alice, history=2)
    brief = contact_brief(owner=alice, contact=ana, today=TODAY)
    assert brief.how_we_met == "Climbing gym in Porto"
    assert brief.introduced_by.name == "Mia Chen"
    assert [i.occurred_on for i in brief.last_interactions] == [
        TODAY - dt.timedelta(days=days) for days in (3, 10, 15)
    ]
    assert brief.ask_next_time == ["the new job"]
    # The kept promise is gone; the snoozed one and the one not due yet are there, by date.
    assert [(p.note, p.due_on) for p in brief.promises] == [
        ("Intro to Ben", TODAY - dt.timedelta(days=1)),
        ("Send the paper", TODAY + dt.timedelta(days=4)),
    ]
    assert brief.promises[0].state == Reminder.State.SNOOZED
    assert [i.name for i in brief.shared_interests] == ["Jazz"]
    assert [(d.on, d.days_away) for d in brief.dates] == [(dt.date(2026, 12, 5), 7)]
    assert brief.things_to_share == []


def test_the_brief_page_runs_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries, frozen_now
):
    ana = _rich_contact(alice, history=0)
    url = reverse("brief:contact", args=[ana.pk])
    # session, user, settings; contact; last three; asks; promises (2); interests; dates — and
    # room for the things to share (giving.things_selectors.items_for_contact).
    with django_assert_max_num_queries(12) as few:
        response = alice_client.get(url)
    for days in range(25):
        _log(alice, ana, TODAY - dt.timedelta(days=300 + days), notes="more", follow_up_on=TODAY)
    with django_assert_max_num_queries(len(few)) as many:
        alice_client.get(url)
    assert len(many) == len(few)
    page = response.content.decode()
    assert "Brief: Ana Lima" in page
    for text in ("Climbing gym in Porto", "Mia Chen", "the new job", "Send the paper", "Jazz"):
        assert text in page
    assert "Sent the article" not in page and "Chess" not in page


def test_another_users_person_has_no_brief(bob_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    assert bob_client.get(reverse("brief:contact", args=[ana.pk])).status_code == 404


def test_a_new_person_has_a_calm_brief_with_hostile_text_escaped(alice_client, alice):
    ana = ContactFactory(owner=alice, name="<script>x</script>", how_we_met="<img src=x>")
    page = alice_client.get(reverse("brief:contact", args=[ana.pk])).content.decode()
    assert "this will be your first time" in page
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page
    assert "<script>x" not in page


def test_a_story_that_only_names_the_introducer_is_said_once(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(
        owner=alice, name="Ben Costa", introduced_by=ana, how_we_met="Introduced by Ana Lima."
    )
    chloe = ContactFactory(
        owner=alice, name="Chloé Martin", introduced_by=ana, how_we_met="Ana Lima's party, 2019."
    )

    ben_page = alice_client.get(reverse("brief:contact", args=[ben.pk])).content.decode()
    chloe_page = alice_client.get(reverse("brief:contact", args=[chloe.pk])).content.decode()

    assert ben_page.count("Introduced by") == 1 and "Not written down" not in ben_page
    assert f'Introduced by <a href="{ana.get_absolute_url()}">Ana Lima</a>.' in ben_page
    # A story of its own is kept, with the introducer's line under it.
    assert "Ana Lima&#x27;s party, 2019." in chloe_page and "Introduced by <a" in chloe_page
