"""The dashboard beyond "who is due": quick log with undo, talking points, dates coming up,
follow-ups, network health, the weekly chart, and the fragments htmx refreshes one by one."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse

from contacts.list_rows import avatar_html
from contacts.models import Circle, Contact, ImportantDate
from contacts.services import contact_mark_fine, contact_save, contact_snooze
from interactions import services as interaction_services
from interactions.models import Interaction
from reminders import selectors
from reminders.models import Reminder
from reminders.selectors import CircleHealth
from reminders.services.sweep import sweep_run
from tests.conftest import FROZEN_NOW
from tests.factories import CircleFactory, ContactFactory, InteractionFactory, InterestFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # FROZEN_NOW, a Saturday
DASHBOARD = reverse("dashboard")
HTMX = {"HX-Request": "true"}


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def due_contact(owner, name: str, **extra):
    return ContactFactory(
        owner=owner,
        name=name,
        cadence_days=7,
        next_reach_out_on=TODAY - dt.timedelta(days=3),
        **extra,
    )


def birthday(contact, month: int, day: int, year: int | None = None, **extra) -> ImportantDate:
    return ImportantDate.objects.create(
        owner=contact.owner, contact=contact, month=month, day=day, year=year, **extra
    )


def soon_html(client, login=None) -> str:
    if login is not None:
        client.force_login(login)  # a session started "now", wherever the test travelled to
    return section(client.get(DASHBOARD).content.decode(), "soon")


# --- Quick log with undo --------------------------------------------------------------------


def test_quick_log_from_the_dashboard_announces_it_with_undo(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=7)
    interaction_services.interaction_log(
        owner=alice,
        contacts=[amara],
        kind="call",
        occurred_at=dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC),
        today=TODAY,
    )
    amara.refresh_from_db()
    assert (amara.last_interaction_on, amara.next_reach_out_on) == (
        dt.date(2026, 11, 10),
        dt.date(2026, 11, 17),
    )
    # The dashboard offers the one-click log for her, aimed at the announcement.
    due = section(alice_client.get(DASHBOARD).content.decode(), "due")
    log_url = reverse("interactions:log", args=[amara.pk])
    assert f'hx-post="{log_url}" hx-target="#announce"' in due
    assert '<input type="hidden" name="quick" value="1">' in due
    assert 'Log coffee<span class="visually-hidden"> with Amara Diallo</span>' in due

    response = alice_client.post(
        log_url, {"kind": "coffee", "quick": "1", "next": DASHBOARD}, headers=HTMX
    )
    assert response.status_code == 200
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])
    html = response.content.decode()
    assert "Logged coffee with Amara Diallo." in html
    assert "<html" not in html
    interaction = Interaction.objects.get(kind="coffee")
    assert (interaction.owner, interaction.occurred_on) == (alice, TODAY)
    assert list(interaction.contacts.all()) == [amara]
    undo_url = reverse("interactions:delete", args=[interaction.pk])
    assert re.search(
        rf'<form method="post" action="{undo_url}" hx-post="{undo_url}"[^>]*>.*?>Undo</button>',
        html,
        re.S,
    )
    amara.refresh_from_db()
    assert (amara.last_interaction_on, amara.next_reach_out_on) == (TODAY, dt.date(2026, 12, 5))
    assert "Amara Diallo" not in section(alice_client.get(DASHBOARD).content.decode(), "due")

    response = alice_client.post(undo_url, {"next": DASHBOARD}, headers=HTMX)
    assert response.status_code == 200
    assert "Undone: the coffee with Amara Diallo is out of the log." in response.content.decode()
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    amara.refresh_from_db()
    assert (amara.last_interaction_on, amara.next_reach_out_on) == (
        dt.date(2026, 11, 10),
        dt.date(2026, 11, 17),
    )
    assert "Amara Diallo" in section(alice_client.get(DASHBOARD).content.decode(), "due")


def test_quick_log_for_bobs_contact_is_a_404(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    client.force_login(bob)
    response = client.post(
        reverse("interactions:log", args=[amara.pk]),
        {"kind": "coffee", "quick": "1"},
        headers=HTMX,
    )
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_bob_cannot_undo_alices_quick_log(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    client.force_login(alice)
    client.post(
        reverse("interactions:log", args=[amara.pk]), {"kind": "coffee", "quick": "1"}, headers=HTMX
    )
    interaction = Interaction.objects.get()
    client.force_login(bob)
    response = client.post(reverse("interactions:delete", args=[interaction.pk]), headers=HTMX)
    assert response.status_code == 404
    assert Interaction.objects.filter(pk=interaction.pk).exists()


# --- Talking points ------------------------------------------------------------------------


def test_due_list_shows_shared_interests_and_what_to_ask(alice_client, alice, frozen_now):
    amara = due_contact(alice, "Amara Diallo")
    ben = due_contact(alice, "Ben Carter")
    jazz = InterestFactory(owner=alice, name="Jazz", mine=True)
    climbing = InterestFactory(owner=alice, name="climbing", mine=True)
    lisbon = InterestFactory(owner=alice, name="Lisbon", mine=False)
    surfing = InterestFactory(owner=alice, name="Surfing", mine=False)
    amara.interests.add(jazz, climbing, lisbon)
    ben.interests.add(surfing)  # not shared with Amara: one interest would make them a meetup
    for day, ask in ((1, "the old flat"), (5, "the new job"), (9, "")):
        InteractionFactory(
            owner=alice,
            contacts=[amara],
            occurred_at=dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC),
            ask_next_time=ask,
        )

    due = section(alice_client.get(DASHBOARD).content.decode(), "due")
    amara_item = due.split("Amara Diallo</a>")[1].split("</li>")[0]
    assert "You both love climbing and Jazz." in amara_item
    assert "Lisbon" not in amara_item
    assert "Ask about: the new job" in amara_item
    assert "the old flat" not in amara_item
    ben_item = due.split("Ben Carter</a>")[1].split("</li>")[0]
    assert "You both love" not in ben_item and "Ask about" not in ben_item


def test_three_shared_interests_read_as_a_sentence(alice_client, alice, frozen_now):
    amara = due_contact(alice, "Amara Diallo")
    for name in ("Jazz", "Chess", "Baking"):
        amara.interests.add(InterestFactory(owner=alice, name=name, mine=True))
    due = section(alice_client.get(DASHBOARD).content.decode(), "due")
    assert "You both love Baking, Chess and Jazz." in due


# --- Birthdays and other dates ----------------------------------------------------------------


def test_upcoming_dates_within_the_window(alice_client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    carla = ContactFactory(owner=alice, name="Carla Souza")
    dora = ContactFactory(owner=alice, name="Dora Archived", archived=True)
    evan = ContactFactory(owner=alice, name="Evan Edge")
    birthday(amara, 12, 1, 1990)  # in 3 days, year known
    birthday(ben, 12, 18)  # in 20 days
    birthday(carla, 11, 28)  # today
    birthday(dora, 12, 2)  # archived
    birthday(evan, 12, 12)  # in exactly 14 days: the window's last day
    birthday(evan, 11, 27, kind="anniversary", label="Wedding")  # yesterday
    birthday(ContactFactory(owner=bob, name="Bob Pal"), 12, 1)

    soon = soon_html(alice_client)
    assert "Coming up in the next 14 days" in soon
    assert "Birthday in 3 days · Tue 1 Dec · turns 36" in soon
    assert "Birthday today · Sat 28 Nov" in soon
    assert "Birthday in 2 weeks · Sat 12 Dec" in soon
    for absent in ("Ben Carter", "Dora Archived", "Bob Pal", "Wedding"):
        assert absent not in soon
    order = [soon.index(name) for name in ("Carla Souza", "Amara Diallo", "Evan Edge")]
    assert order == sorted(order)

    alice.settings.upcoming_days = 30
    alice.settings.save()
    soon = soon_html(alice_client)
    assert "Coming up in the next 30 days" in soon
    assert "Ben Carter" in soon and "Birthday in 3 weeks · Fri 18 Dec" in soon


def test_turns_only_when_the_year_is_known(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    birthday(amara, 12, 1, 1990)
    birthday(ben, 12, 2)
    soon = soon_html(alice_client)
    amara_item = soon.split("Amara Diallo</a>")[1].split("</li>")[0]
    ben_item = soon.split("Ben Carter</a>")[1].split("</li>")[0]
    assert "turns 36" in amara_item
    assert "Birthday in 4 days · Wed 2 Dec</p>" in ben_item
    assert "turns" not in ben_item


def test_29_february_is_celebrated_on_28_february_in_common_years(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    birthday(amara, 2, 29)
    birthday(ben, 2, 29, 2000)
    with time_machine.travel(dt.datetime(2027, 2, 20, 9, tzinfo=dt.UTC), tick=False):
        soon = soon_html(alice_client, login=alice)
    amara_item = soon.split("Amara Diallo</a>")[1].split("</li>")[0]
    assert "Birthday in 8 days · Sun 28 Feb" in amara_item
    assert "turns" not in amara_item
    # Written as the day it is, with its year: never "28 February 2000".
    assert "Birthday in 8 days · Sun 28 Feb, for 29 February 2000 · turns 27" in soon
    # In a leap year it is on the day itself.
    with time_machine.travel(dt.datetime(2028, 2, 20, 9, tzinfo=dt.UTC), tick=False):
        soon = soon_html(alice_client, login=alice)
    assert "Birthday in 9 days · Tue 29 Feb" in soon
    assert "turns 28" in soon


def test_window_across_the_new_year(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    carla = ContactFactory(owner=alice, name="Carla Souza")
    dora = ContactFactory(owner=alice, name="Dora Past")
    birthday(amara, 1, 3, 1990)  # in 9 days, next year
    birthday(ben, 12, 26)  # tomorrow
    birthday(carla, 1, 9)  # in 15 days
    birthday(dora, 12, 24)  # yesterday
    with time_machine.travel(dt.datetime(2026, 12, 25, 9, tzinfo=dt.UTC), tick=False):
        soon = soon_html(alice_client, login=alice)
        upcoming = selectors.upcoming_dates(owner=alice, today=dt.date(2026, 12, 25))
    assert "Birthday tomorrow · Sat 26 Dec" in soon
    assert "Birthday in 9 days · Sun 3 Jan · turns 37" in soon
    assert "Carla Souza" not in soon and "Dora Past" not in soon
    assert soon.index("Ben Carter") < soon.index("Amara Diallo")
    assert [(item.date.contact, item.on, item.days_away) for item in upcoming] == [
        (ben, dt.date(2026, 12, 26), 1),
        (amara, dt.date(2027, 1, 3), 9),
    ]


def test_upcoming_dates_follow_the_users_day(alice_client, alice):
    alice.settings.time_zone = "Pacific/Kiritimati"  # UTC+14: already Sunday the 29th
    alice.settings.save()
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    birthday(amara, 11, 29)
    birthday(ben, 11, 28)
    with time_machine.travel(dt.datetime(2026, 11, 28, 20, tzinfo=dt.UTC), tick=False):
        soon = soon_html(alice_client, login=alice)
    assert "Birthday today · Sun 29 Nov" in soon
    assert "Ben Carter" not in soon


# --- Follow-ups ----------------------------------------------------------------------------


def promise(owner, contact, on: dt.date, note: str) -> Interaction:
    return interaction_services.interaction_log(
        owner=owner,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
        today=TODAY,
        follow_up_on=on,
        follow_up_note=note,
    )


def test_a_promise_that_came_due_shows_with_a_done_button(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    coffee = promise(alice, amara, TODAY - dt.timedelta(days=1), "Send Amara the article")
    later = promise(alice, amara, TODAY + dt.timedelta(days=3), "Book the concert")
    assert "Send Amara the article" not in soon_html(alice_client)  # the sweep has not run

    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up")
    assert (reminder.owner, reminder.contact, reminder.interaction) == (alice, amara, coffee)
    assert (reminder.state, reminder.due_on) == ("open", TODAY - dt.timedelta(days=1))
    assert reminder.note == "Send Amara the article"
    assert not Reminder.objects.filter(interaction=later).exists()

    soon = soon_html(alice_client)
    assert "Follow-ups due" in soon
    assert "Send Amara the article · due yesterday" in soon
    done_url = reverse("reminders:done", args=[reminder.pk])
    assert f'hx-post="{done_url}"' in soon
    assert '>Done<span class="visually-hidden">: Send Amara the article with Amara Diallo' in soon
    assert "Book the concert" not in soon


def test_done_with_htmx_says_so_with_undo_and_the_promise_disappears(
    alice_client, alice, frozen_now
):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    promise(alice, amara, TODAY - dt.timedelta(days=1), "Send Amara the article")
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up")

    response = alice_client.post(reverse("reminders:done", args=[reminder.pk]), headers=HTMX)
    assert response.status_code == 200
    assert "reminderChanged" in json.loads(response.headers["HX-Trigger"])
    assert response.headers["HX-Retarget"] == "#announce"
    html = response.content.decode()
    assert "Done: Send Amara the article." in html
    assert f'action="{reverse("reminders:undo_done", args=[reminder.pk])}"' in html
    reminder.refresh_from_db()
    assert (reminder.state, reminder.closed_at) == ("done", FROZEN_NOW)
    assert "Send Amara the article" not in soon_html(alice_client)
    # The next sweep does not bring a kept promise back.
    sweep_run(now=FROZEN_NOW + dt.timedelta(days=1))
    assert Reminder.objects.get(kind="follow_up").state == "done"
    assert "Send Amara the article" not in soon_html(alice_client)


def test_done_without_htmx_redirects_back(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    promise(alice, amara, TODAY, "Send Amara the article")
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up")
    response = alice_client.post(reverse("reminders:done", args=[reminder.pk]), {"next": DASHBOARD})
    assert response.status_code == 302
    assert response.url == DASHBOARD
    reminder.refresh_from_db()
    assert reminder.state == "done"
    html = alice_client.get(DASHBOARD).content.decode()
    assert "Done: Send Amara the article." in html
    assert "Send Amara the article · due" not in section(html, "soon")


def test_done_needs_a_post(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    promise(alice, amara, TODAY, "Send Amara the article")
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up")
    assert alice_client.get(reverse("reminders:done", args=[reminder.pk])).status_code == 405
    reminder.refresh_from_db()
    assert reminder.state == "open"


def test_bob_cannot_mark_alices_reminder_done(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    promise(alice, amara, TODAY, "Send Amara the article")
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up")
    client.force_login(bob)
    ContactFactory(owner=bob)
    url = reverse("reminders:done", args=[reminder.pk])
    assert client.post(url, headers=HTMX).status_code == 404
    assert client.post(url).status_code == 404
    reminder.refresh_from_db()
    assert (reminder.state, reminder.closed_at) == ("open", None)
    assert "Send Amara the article" not in client.get(DASHBOARD).content.decode()


def test_a_promise_comes_due_on_the_users_day(alice_client, alice):
    alice.settings.time_zone = "Pacific/Kiritimati"  # UTC+14
    alice.settings.save()
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    promise(alice, amara, dt.date(2026, 11, 29), "Call about the flat")
    sweep_run(now=dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC))  # 23:00 on the 28th there
    assert not Reminder.objects.filter(kind="follow_up").exists()
    now = dt.datetime(2026, 11, 28, 11, tzinfo=dt.UTC)  # 01:00 on the 29th there
    sweep_run(now=now)
    assert Reminder.objects.get(kind="follow_up").due_on == dt.date(2026, 11, 29)
    with time_machine.travel(now, tick=False):
        assert "Call about the flat · due today" in soon_html(alice_client, login=alice)


# --- Fragments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "section_id", "heading", "expected"),
    [
        ("soon-section", "soon", "Coming up", "Birthday in 3 days"),
        ("recent-section", "recent", "Recently", "Amara Diallo</a>"),
        ("health-section", "health", "Your network", "1 of 2 in touch"),
    ],
)
def test_a_section_refreshes_on_its_own(
    alice_client, alice, frozen_now, name, section_id, heading, expected
):
    amara = due_contact(alice, "Amara Diallo")
    ContactFactory(owner=alice, cadence_days=30, next_reach_out_on=TODAY + dt.timedelta(days=5))
    birthday(amara, 12, 1)
    InteractionFactory(owner=alice, contacts=[amara], occurred_at=FROZEN_NOW - dt.timedelta(days=2))

    response = alice_client.get(DASHBOARD, {"section": name}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<section class="card" id="{section_id}"')
    assert html.endswith("</section>")
    assert html.count("<section") == 1
    assert heading in html and expected in html
    assert "Reach out today" not in html and "<html" not in html

    # Without htmx the parameter changes nothing: the whole page.
    full = alice_client.get(DASHBOARD, {"section": name}).content.decode()
    assert "<html" in full and "Reach out today" in full and heading in full


def test_an_unknown_section_gets_the_due_list(alice_client, alice, frozen_now):
    due_contact(alice, "Amara Diallo")
    html = alice_client.get(DASHBOARD, {"section": "nope"}, headers=HTMX).content.decode()
    assert html.strip().startswith('<section class="card" id="due"')
    assert "Amara Diallo" in html and ">Coming up<" not in html


def test_recent_section_lists_the_latest_interactions_with_their_people(
    alice_client, alice, bob, frozen_now
):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    for day in range(1, 9):
        InteractionFactory(
            owner=alice,
            contacts=[amara] if day < 8 else [amara, ben],
            kind="call" if day == 1 else "coffee",
            occurred_at=dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC),
        )
    InteractionFactory(
        owner=bob, contacts=[ContactFactory(owner=bob, name="Bob Pal")], occurred_at=FROZEN_NOW
    )
    html = alice_client.get(DASHBOARD, {"section": "recent-section"}, headers=HTMX).content.decode()
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert len(items) == 6  # the six latest
    assert "Amara Diallo</a>" in items[0] and "Ben Carter</a>" in items[0]
    assert "3 weeks ago" in items[0]
    assert "Call" not in html  # the oldest fell off
    assert "Bob Pal" not in html


# --- Network health ------------------------------------------------------------------------


def test_circle_health_counts_who_is_within_their_rhythm(alice_client, alice, bob, frozen_now):
    close = CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    CircleFactory(owner=alice, name="Empty", cadence_days=60)
    later, due_today, overdue = (
        TODAY + dt.timedelta(days=3),
        TODAY,
        TODAY - dt.timedelta(days=5),
    )
    for next_on in (later, later, due_today):
        ContactFactory(owner=alice, circle=close, next_reach_out_on=next_on)
    ContactFactory(owner=alice, circle=close, next_reach_out_on=later, paused=True)
    ContactFactory(owner=alice, circle=close, next_reach_out_on=overdue, archived=True)
    ContactFactory(owner=alice, circle=friends, next_reach_out_on=later)
    ContactFactory(owner=alice, circle=friends, next_reach_out_on=overdue)
    ContactFactory(owner=alice, cadence_days=10, next_reach_out_on=later)  # own rhythm
    ContactFactory(owner=alice, next_reach_out_on=None)  # no rhythm at all
    bobs_circle = CircleFactory(owner=bob, name="Bob circle")
    ContactFactory(owner=bob, circle=bobs_circle, next_reach_out_on=later)

    assert selectors.circle_health(owner=alice, today=TODAY) == [
        CircleHealth(name="Close friends", total=3, within=2),
        CircleHealth(name="Friends", total=2, within=1),
        CircleHealth(name="No circle (own rhythm)", total=1, within=1),
    ]
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content
    html = html.decode()
    rows = re.findall(
        r'<span class="health-name">([^<]*)</span>.*?(\d+ of \d+) in touch', html, re.S
    )
    assert rows == [
        ("Close friends", "2 of 3"),
        ("Friends", "1 of 2"),
        ("No circle (own rhythm)", "1 of 1"),
    ]
    assert 'aria-label="Close friends: 2 of 3 within their rhythm">67%</meter>' in html
    assert "Empty" not in html and "Bob circle" not in html


def test_snoozed_and_we_are_fine_people_are_counted_apart_from_in_touch(
    alice_client, alice, frozen_now
):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    added = TODAY - dt.timedelta(days=60)

    def person(name: str) -> Contact:
        return contact_save(contact=Contact(owner=alice, name=name, circle=friends), today=added)

    seen = person("Seen Lately")
    interaction_services.interaction_log(
        owner=alice,
        contacts=[seen],
        kind="coffee",
        occurred_at=FROZEN_NOW - dt.timedelta(days=3),
        today=TODAY,
    )
    contact_snooze(contact=person("Snoozed One"), until=TODAY + dt.timedelta(days=7), today=TODAY)
    contact_snooze(contact=person("Snoozed Two"), until=TODAY + dt.timedelta(days=2), today=TODAY)
    contact_mark_fine(contact=person("Fine"), today=TODAY - dt.timedelta(days=1))
    person("Due")
    # Snoozed once, long ago: the snooze is over and the coffee since keeps them in touch.
    old_snooze = person("Old Snooze")
    contact_snooze(contact=old_snooze, until=TODAY - dt.timedelta(days=20), today=added)
    interaction_services.interaction_log(
        owner=alice,
        contacts=[old_snooze],
        kind="call",
        occurred_at=FROZEN_NOW - dt.timedelta(days=10),
        today=TODAY,
    )

    assert selectors.circle_health(owner=alice, today=TODAY) == [
        CircleHealth(name="Friends", total=6, within=2, snoozed=2, fine=1)
    ]
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX)
    text = " ".join(html.content.decode().split())
    assert "2 of 6 in touch · 2 snoozed · 1 “we're fine”" in text
    assert (
        'aria-label="Friends: 2 of 6 within their rhythm, 2 snoozed, 1 “we\'re fine”">33%</meter>'
        in text
    )


def _circle_health_by_the_orm(owner, today: dt.date) -> list[CircleHealth]:
    """The counts as the ORM wrote them before circle_health became one raw statement."""
    from django.db.models import Count, F, Q

    not_due = Q(next_reach_out_on__gt=today)
    snoozed = not_due & Q(snoozed_until=F("next_reach_out_on"))
    not_snoozed = Q(snoozed_until=None) | Q(snoozed_until__lt=F("next_reach_out_on"))
    fine = Q(cadence_restarted_on__isnull=False) & (
        Q(last_interaction_on=None) | Q(cadence_restarted_on__gt=F("last_interaction_on"))
    )
    not_fine = Q(cadence_restarted_on=None) | Q(last_interaction_on__gte=F("cadence_restarted_on"))
    rows = (
        Contact.objects.filter(owner=owner, archived=False, paused=False)
        .exclude(next_reach_out_on=None)
        .values("circle_id")
        .annotate(
            total=Count("pk"),
            within=Count("pk", filter=not_due & not_snoozed & not_fine),
            snoozed=Count("pk", filter=snoozed),
            fine=Count("pk", filter=not_due & not_snoozed & fine),
            due_today=Count("pk", filter=~not_due),
        )
        .order_by()
    )
    names = dict(Circle.objects.filter(owner=owner).values_list("pk", "name"))
    health = [
        CircleHealth(name=names.get(row.pop("circle_id"), "No circle (own rhythm)"), **row)
        for row in rows
    ]
    return sorted(health, key=lambda h: (h.name == "No circle (own rhythm)", h.name))


def test_circle_health_counts_every_combination_as_the_orm_did(alice, bob, frozen_now):
    """Every mix of due date, snooze, "we're fine" restart and last interaction (including a
    snooze past the due date, which no service makes), in two circles and none."""
    circles = [CircleFactory(owner=alice, name="A"), CircleFactory(owner=alice, name="B"), None]
    days = [None, TODAY - dt.timedelta(days=9), TODAY, TODAY + dt.timedelta(days=4)]
    people = []
    index = 0
    for next_on in days:
        for snooze in [None, -1, 0, 1]:  # none, before, on, after the due date
            for restarted in days[:3]:
                for last in days:
                    index += 1
                    people.append(
                        Contact(
                            owner=alice,
                            name=f"P{index}",
                            sort_name=f"p{index}",
                            added_on=TODAY,
                            circle=circles[index % 3],
                            next_reach_out_on=next_on,
                            snoozed_until=(
                                None
                                if snooze is None or next_on is None
                                else next_on + dt.timedelta(days=snooze)
                            ),
                            cadence_restarted_on=restarted,
                            last_interaction_on=last,
                            paused=index % 17 == 0,
                            archived=index % 19 == 0,
                        )
                    )
    Contact.objects.bulk_create(people)
    ContactFactory(owner=bob, circle=CircleFactory(owner=bob), next_reach_out_on=TODAY)
    expected = _circle_health_by_the_orm(alice, TODAY)
    assert [row.due_today for row in expected] == [
        row.due_today for row in selectors.circle_health(owner=alice, today=TODAY)
    ]
    assert selectors.circle_health(owner=alice, today=TODAY) == expected
    assert {row.name for row in expected} == {"A", "B", "No circle (own rhythm)"}
    assert all(row.snoozed and row.fine and row.within and row.due for row in expected)


def test_health_without_rhythms_says_what_to_do(alice_client, alice, frozen_now):
    ContactFactory(owner=alice)
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content
    assert "Give people a rhythm to see how well you keep up." in html.decode()


# --- Weekly activity ---------------------------------------------------------------------------

FIRST_MONDAY = dt.date(2025, 12, 1)  # 51 weeks before the Monday of TODAY's week


def on(owner, day: dt.date, contact, count: int = 1) -> None:
    for _ in range(count):
        InteractionFactory(
            owner=owner,
            contacts=[contact],
            occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        )


def test_weekly_activity_counts_52_weeks_oldest_first(alice, bob, frozen_now):
    amara = ContactFactory(owner=alice)
    on(alice, dt.date(2025, 11, 30), amara)  # the Sunday before the first week: out
    on(alice, FIRST_MONDAY, amara)  # first week
    on(alice, dt.date(2025, 12, 7), amara)  # its Sunday: still the first week
    on(alice, dt.date(2026, 6, 15), amara, count=3)  # a Monday, week 28
    on(alice, dt.date(2026, 6, 21), amara)  # that week's Sunday
    on(alice, dt.date(2026, 6, 22), amara)  # next Monday: week 29
    on(alice, dt.date(2026, 11, 23), amara)  # this week's Monday
    on(alice, TODAY, amara)  # today
    on(alice, TODAY + dt.timedelta(days=1), amara)  # tomorrow (a bad clock): out
    on(bob, dt.date(2026, 6, 15), ContactFactory(owner=bob), count=5)

    weeks = selectors.weekly_activity(owner=alice, today=TODAY)
    assert len(weeks) == 52
    assert [week.starts_on for week in weeks] == [
        FIRST_MONDAY + dt.timedelta(weeks=index) for index in range(52)
    ]
    assert weeks[-1].starts_on == dt.date(2026, 11, 23)
    counts = {index: week.count for index, week in enumerate(weeks) if week.count}
    assert counts == {0: 2, 28: 4, 29: 1, 51: 2}


def test_weekly_chart_has_a_text_alternative(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    for index in range(52):
        on(alice, FIRST_MONDAY + dt.timedelta(weeks=index), amara)
    on(alice, dt.date(2026, 6, 17), amara, count=26)
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content
    html = html.decode()
    assert (
        "78 interactions in the last 52 weeks, 1.5 a week on average; "
        "the busiest was the week of 15 June with 27." in html
    )
    assert html.count("<rect ") == 52
    assert "<title>Week of 15 Jun: 27</title>" in html
    assert "<title>Week of 23 Nov: 1</title>" in html
    assert "<title>Week of 1 Dec: 1</title>" in html


def test_weekly_chart_text_with_one_interaction(alice_client, alice, frozen_now):
    on(alice, dt.date(2026, 11, 2), ContactFactory(owner=alice))
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content
    text = html.decode().split('id="week-chart-text">')[1].split("</p>")[0]
    assert text.startswith("1 interaction in the last 52 weeks, ")
    assert text.endswith("; the busiest was the week of 2 November with 1.")


def test_weekly_chart_text_with_nothing_logged(alice_client, alice, frozen_now):
    ContactFactory(owner=alice)
    html = alice_client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content
    text = html.decode().split('id="week-chart-text">')[1].split("</p>")[0]
    assert text.startswith("0 interactions in the last 52 weeks, ")
    assert "busiest" not in text
    chart = html.decode().split('class="week-chart"')[1].split("</svg>")[0]
    assert chart.count("<rect ") == chart.count('height="0"') == 52


# --- Query counts --------------------------------------------------------------------------


def test_full_dashboard_query_count_does_not_grow(
    alice_client, alice, frozen_now, django_assert_num_queries, django_assert_max_num_queries
):
    close = CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    jazz = InterestFactory(owner=alice, name="Jazz", mine=True)
    chess = InterestFactory(owner=alice, name="Chess", mine=True)
    created = 0

    def add(count: int) -> None:
        nonlocal created
        for _ in range(count):
            index = created
            created += 1
            contact = due_contact(alice, f"Person {index:03d}", circle=close)
            contact.interests.add(jazz, chess)
            birthday(contact, 12, 1 + index % 10, 1980 + index % 20)
            interaction = InteractionFactory(
                owner=alice,
                contacts=[contact],
                occurred_at=FROZEN_NOW - dt.timedelta(days=1 + index % 300),
                ask_next_time=f"topic {index}",
                follow_up_on=TODAY - dt.timedelta(days=1),
                follow_up_note=f"promise {index}",
            )
            Reminder.objects.create(
                owner=alice,
                contact=contact,
                interaction=interaction,
                kind="follow_up",
                due_on=TODAY - dt.timedelta(days=1),
                note=f"promise {index}",
            )

    requests = [
        ({}, {}),
        ({}, HTMX),
        ({"section": "soon-section"}, HTMX),
        ({"section": "recent-section"}, HTMX),
        ({"section": "health-section"}, HTMX),
    ]
    add(6)
    small = []
    for params, headers in requests:
        with django_assert_max_num_queries(30) as ctx:
            response = alice_client.get(DASHBOARD, params, headers=headers)
        assert response.status_code == 200
        small.append(len(ctx.captured_queries))
    html = alice_client.get(DASHBOARD).content.decode()
    # All five shown like chess and jazz: one meetup card in place of their nudges.
    assert "1 more waiting" in html and "and 1 other — you all like Chess?" in html

    add(54)
    for (params, headers), expected in zip(requests, small, strict=True):
        with django_assert_num_queries(expected):
            alice_client.get(DASHBOARD, params, headers=headers)
    html = alice_client.get(DASHBOARD).content.decode()
    assert "55 more waiting" in html
    assert html.count("· turns ") == 10  # the upcoming list is capped too
    assert section(html, "soon").count(">Done<span") == 10  # so are the follow-ups


def test_upcoming_cards_write_the_avatar_as_its_template_does(alice):
    """The Coming up cards' avatars are written in Python (contacts.list_rows.avatar_html): the same
    markup as contacts/_avatar.html, with a photo and without one, names escaped."""
    from django.template.loader import render_to_string

    plain = ContactFactory(owner=alice, name="Zoë <O'Brien> & Co")
    with_photo = ContactFactory(owner=alice, name="Ana Photo")
    with_photo.photo.name = "photos/ana.jpg"
    for contact in (plain, with_photo):
        expected = render_to_string("contacts/_avatar.html", {"contact": contact})
        assert avatar_html(contact) == expected
    assert 'class="avatar photo"' in avatar_html(with_photo)


@pytest.mark.parametrize(
    ("snoozed", "fine"), [(0, 0), (2, 0), (0, 1), (3, 4)], ids=["plain", "snoozed", "fine", "both"]
)
def test_a_circles_health_line_is_the_markup_the_template_wrote(snoozed, fine):
    """CircleHealth.item() writes what the health panel's loop body used to."""
    from django.template import Context, Template

    template = Template(
        '<li><span class="health-name">{{ row.name }}</span>\n'
        '              <meter min="0" max="{{ row.total }}" value="{{ row.within }}" '
        'aria-label="{{ row.name }}: {{ row.within }} of {{ row.total }} within their rhythm'
        "{% if row.snoozed %}, {{ row.snoozed }} snoozed{% endif %}"
        "{% if row.fine %}, {{ row.fine }} “we're fine”{% endif %}\">{{ row.percent }}%</meter>\n"
        '              <span class="small muted">{{ row.within }} of {{ row.total }} in touch'
        "{% if row.snoozed %} · {{ row.snoozed }} snoozed{% endif %}"
        "{% if row.fine %} · {{ row.fine }} “we're fine”{% endif %}</span></li>"
    )
    row = CircleHealth(
        name='Friends & "family" <3 O\'Brien', total=1234, within=7, snoozed=snoozed, fine=fine
    )
    assert row.item() == template.render(Context({"row": row}))
