"""The plans' pages and actions: plan from a person's page or the dashboard (local time in the
owner's zone), edit, log with one click (+ the promise capture), dismiss, each with Undo; bad
input answered clearly; another user's plan is a 404 (also in the isolation walker)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from interactions.models import Interaction, PlannedInteraction
from tests.interactions.plans.helpers import KOLKATA, live_in, person, plan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_plan_from_a_persons_page_in_the_owners_zone(alice_client, alice, clock):
    live_in(alice, KOLKATA)
    ana = person(alice, "Ana Lima")
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    add = f"{reverse('plans:add')}?contact={ana.pk}&amp;next="
    assert "Plan a meeting" in page and add in page

    form = alice_client.get(reverse("plans:add"), {"contact": ana.pk}).content.decode()
    assert f'<option value="{ana.pk}" selected>Ana Lima</option>' in form
    assert "Asia/Kolkata" in form

    response = alice_client.post(
        reverse("plans:add"),
        {
            "kind": "coffee",
            "people": [ana.pk],
            "day": "2026-11-29",
            "at_time": "10:00",
            "place": "Blue Tokai",
            "note": "Her trip",
            "next": ana.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == ana.get_absolute_url()
    planned = PlannedInteraction.objects.get()
    # 10:00 in Kolkata is 04:30 UTC.
    assert planned.starts_at == dt.datetime(2026, 11, 29, 4, 30, tzinfo=dt.UTC)
    assert list(planned.contacts.all()) == [ana] and planned.place == "Blue Tokai"
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "Coffee with Ana Lima" in page and "at 10:00</time>" in page and "Blue Tokai" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-11-28", "at_time": "09:00"}, "That moment has passed"),
        ({"day": "not a day"}, "Enter a valid date"),
        ({"people": []}, "Choose at least one person"),
        ({"people": ["999999999999999999999"]}, "Choose among your people"),
        ({"day": "2040-01-01"}, "within the next five years"),
        ({"kind": "introduction"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_answered_and_nothing_is_saved(alice_client, alice, clock, data, message):
    ana = person(alice, "Ana Lima")
    post = {"kind": "coffee", "people": [ana.pk], "day": "2026-11-29", "at_time": "10:00"}
    post.update(data)
    response = alice_client.post(reverse("plans:add"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlannedInteraction.objects.exists()


def test_another_users_person_is_no_choice(alice_client, alice, bob, clock):
    bobs = person(bob, "Bob's secret friend")
    form = alice_client.get(reverse("plans:add"), {"contact": bobs.pk}).content.decode()
    assert "secret friend" not in form
    post = {"kind": "coffee", "people": [bobs.pk], "day": "2026-11-29", "at_time": "10:00"}
    response = alice_client.post(reverse("plans:add"), post)
    assert response.status_code == 400 and "Choose among your people" in response.content.decode()
    assert not PlannedInteraction.objects.exists()


def test_hostile_text_is_escaped(alice_client, alice, clock):
    ana = person(alice, "<script>alert(1)</script>")
    plan(alice, [ana], NOW + dt.timedelta(days=1), place="<img src=x onerror=alert(1)>")
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<script>alert(1)" not in html


def test_edit_moves_the_plan(alice_client, alice, clock):
    ana, ben = person(alice, "Ana Lima"), person(alice, "Ben Okafor")
    planned = plan(alice, [ana], NOW + dt.timedelta(days=1))
    url = reverse("plans:edit", args=[planned.pk])
    assert 'value="2026-11-29"' in alice_client.get(url).content.decode()
    post = {"kind": "call", "people": [ana.pk, ben.pk], "day": "2026-12-01", "at_time": "18:15"}
    assert alice_client.post(url, post).status_code == 302
    planned.refresh_from_db()
    assert planned.kind == "call" and set(planned.contacts.all()) == {ana, ben}
    assert planned.starts_at == dt.datetime(2026, 12, 1, 18, 15, tzinfo=dt.UTC)


def test_coming_up_lists_plans_first_with_log_it_once_passed(alice_client, alice, clock):
    ana = person(alice, "Ana Lima")
    soon = plan(alice, [ana], NOW + dt.timedelta(hours=2), place="Café A")
    past = plan(alice, [ana], NOW - dt.timedelta(days=1), kind="call")
    plan(alice, [ana], NOW + dt.timedelta(days=40), place="Far away")  # beyond Coming up
    html = alice_client.get(reverse("dashboard"), {"section": "soon-section"}, headers=HTMX)
    html = html.content.decode()
    assert html.index("Call with Ana Lima") < html.index("Coffee with Ana Lima")
    assert "Yesterday" in html and "Today" in html and "at 11:30" in html
    assert reverse("plans:log", args=[past.pk]) in html
    assert reverse("plans:log", args=[soon.pk]) not in html  # not yet
    assert "Far away" not in html
    # The brief link (the person's page until the brief route is mounted).
    assert 'aria-label="Brief: Ana Lima">Brief</a>' in html


def test_log_it_with_one_click_then_the_promise_capture(alice_client, alice, clock):
    ana = person(alice, "Ana Lima")
    planned = plan(alice, [ana], NOW - dt.timedelta(hours=1), place="Café A")

    response = alice_client.post(reverse("plans:log", args=[planned.pk]), headers=HTMX)

    assert response.status_code == 200 and response["HX-Retarget"] == "#announce"
    html = response.content.decode()
    assert "Logged: coffee with Ana Lima." in html
    assert reverse("plans:unlog", args=[planned.pk]) in html
    assert "Anything you promised?" in html and "In 3 days" in html
    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [ana] and interaction.place == "Café A"
    assert PlannedInteraction.objects.get().state == "logged"

    promise = reverse("plans:promise", args=[interaction.pk])
    answer = alice_client.post(promise, {"note": "Send the book", "in_days": "3"}, headers=HTMX)
    assert "Noted: Send the book" in answer.content.decode()
    interaction.refresh_from_db()
    assert interaction.follow_up_on == dt.date(2026, 12, 1)
    assert interaction.follow_up_note == "Send the book"

    # Without a day the capture says so and keeps the note.
    again = alice_client.post(promise, {"note": "Call her mum"}, headers=HTMX).content.decode()
    assert "Pick when" in again and "Call her mum" in again


def test_log_without_htmx_goes_to_the_capture_page_and_undo_plans_it_again(
    alice_client, alice, clock
):
    ana = person(alice, "Ana Lima")
    planned = plan(alice, [ana], NOW - dt.timedelta(hours=1))
    response = alice_client.post(reverse("plans:log", args=[planned.pk]))
    interaction = Interaction.objects.get()
    assert response["Location"] == reverse("plans:promise", args=[interaction.pk])
    page = alice_client.get(response["Location"]).content.decode()
    assert "Anything you promised?" in page and "Logged: coffee with Ana Lima." in page

    alice_client.post(reverse("plans:unlog", args=[planned.pk]), headers=HTMX)
    assert not Interaction.objects.exists()
    assert PlannedInteraction.objects.get().state == "planned"


def test_logging_before_its_time_is_refused(alice_client, alice, clock):
    planned = plan(alice, [person(alice, "Ana Lima")], NOW + dt.timedelta(hours=1))
    response = alice_client.post(reverse("plans:log", args=[planned.pk]), headers=HTMX)
    assert "hasn&#x27;t happened yet" in response.content.decode()
    assert not Interaction.objects.exists()


def test_dismiss_with_undo(alice_client, alice, clock):
    planned = plan(alice, [person(alice, "Ana Lima")], NOW - dt.timedelta(hours=1))
    response = alice_client.post(reverse("plans:dismiss", args=[planned.pk]), headers=HTMX)
    html = response.content.decode()
    assert "Dismissed: coffee with Ana Lima." in html
    assert reverse("plans:restore", args=[planned.pk]) in html
    assert PlannedInteraction.objects.get().state == "dismissed"
    soon = alice_client.get(reverse("dashboard"), {"section": "soon-section"}, headers=HTMX)
    assert "Coffee with Ana Lima" not in soon.content.decode()
    alice_client.post(reverse("plans:restore", args=[planned.pk]), headers=HTMX)
    assert PlannedInteraction.objects.get().state == "planned"


def test_the_persons_plans_card_refreshes_alone(alice_client, alice, clock):
    ana = person(alice, "Ana Lima")
    plan(alice, [ana], NOW + dt.timedelta(days=2), place="Tasca")
    html = alice_client.get(reverse("plans:for_contact", args=[ana.pk]), headers=HTMX)
    html = html.content.decode().strip()
    assert html.startswith('<section class="card" id="plans"') and "Tasca" in html


def test_coming_up_reads_a_bounded_number_of_queries(
    alice_client, alice, clock, django_assert_num_queries
):
    from reminders.selectors import dashboard_soon

    people = [person(alice, f"Person {n}") for n in range(3)]
    for n in range(3):
        plan(alice, people, NOW + dt.timedelta(days=n + 1))
    alice.refresh_from_db()
    alice.settings  # noqa: B018 - loaded once, as the view has it
    with django_assert_num_queries(4):  # plans, their people, follow-ups, dates (+ dates' rows)
        dashboard_soon(owner=alice, today=dt.date(2026, 11, 28))
