"""The private iCal feed (parsed back with icalendar, as a calendar app would), /health/ for
monitoring, and the dashboard's warning when the sweep has stopped."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from contacts.models import Contact, ImportantDate
from contacts.services import contact_save, contact_snooze, contacts_set_flags
from interactions.services import interaction_log
from reminders.models import Reminder, SchedulerHeartbeat
from reminders.services.actions import reminder_act
from reminders.services.sweep import sweep_run
from tests.fixtures.processes import free_port

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)  # Saturday
TODAY = NOW.date()
HOSTILE = 'Zoë <script>alert("x")</script>; "Smith", Jr.\nEND:VEVENT\nBEGIN:VEVENT \\ ok'


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def due_contact(owner, name: str, *, cadence: int = 7) -> Contact:
    return contact_save(
        contact=Contact(owner=owner, name=name, cadence_days=cadence),
        today=TODAY - dt.timedelta(days=30),
    )


def important(contact, month: int, day: int, year: int | None = None, **extra) -> ImportantDate:
    return ImportantDate.objects.create(
        owner=contact.owner, contact=contact, month=month, day=day, year=year, **extra
    )


def feed_url(user) -> str:
    user.settings.refresh_from_db()
    return reverse("reminders:calendar", args=[user.settings.calendar_token])


def events(client, user) -> dict[str, object]:
    """The feed's VEVENTs by summary, parsed by icalendar; no login (calendar apps have none)."""
    client.logout()
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    found = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "two events with one summary"
    return found


def is_all_day(event, day: dt.date) -> bool:
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    return (
        type(start) is dt.date
        and start == day
        and type(end) is dt.date
        and end == day + dt.timedelta(days=1)
    )


@pytest.fixture
def alices_world(alice, bob):
    """Alice's people with dates and reminders in every state, and Bob's, who must not show."""
    amara = due_contact(alice, "Amara Diallo")
    important(amara, 3, 14, 1990)
    ben = contact_save(
        contact=Contact(owner=alice, name="Ben Carter", cadence_days=60), today=TODAY
    )
    important(ben, 2, 29)
    interaction_log(
        owner=alice,
        contacts=[ben],
        kind="call",
        occurred_at=NOW - dt.timedelta(days=3),
        today=TODAY - dt.timedelta(days=3),
        follow_up_on=TODAY,
        follow_up_note="Send the article",
    )
    carla = due_contact(alice, "Carla Souza")
    dana = due_contact(alice, "Dana Levi")
    sweep_run(now=NOW)
    carlas = Reminder.objects.get(contact=carla)
    reminder_act(reminder=carlas, action="done", version=carlas.version, now=NOW)
    contact_snooze(contact=dana, until=TODAY + dt.timedelta(days=10), today=TODAY)
    Reminder.objects.filter(contact=dana).update(
        state="snoozed", snoozed_until=TODAY + dt.timedelta(days=10)
    )

    bobs = due_contact(bob, "Bobby Tables")
    important(bobs, 5, 5, 1980)
    sweep_run(now=NOW)
    return {"amara": amara, "ben": ben, "carla": carla, "dana": dana}


# --- The calendar feed ------------------------------------------------------------------------


def test_feed_has_yearly_dates_and_all_day_reminders_of_the_owner_only(client, alice, alices_world):
    found = events(client, alice)

    assert set(found) == {
        "Birthday: Amara Diallo",
        "Birthday: Ben Carter",
        "Reach out: Amara Diallo",
        "Follow up: Ben Carter",
        "Reach out: Dana Levi",
    }
    birthday = found["Birthday: Amara Diallo"]
    assert is_all_day(birthday, dt.date(1990, 3, 14))
    assert birthday["RRULE"].to_ical() == b"FREQ=YEARLY"

    # 29 February: the last day of February, so 28 February in common years.
    leap = found["Birthday: Ben Carter"]
    assert is_all_day(leap, dt.date(2000, 2, 29))
    rule = rrulestr(
        leap["RRULE"].to_ical().decode(), dtstart=dt.datetime(2000, 2, 29, tzinfo=dt.UTC)
    )
    assert {"BYMONTHDAY=-1", "BYMONTH=2"} <= set(leap["RRULE"].to_ical().decode().split(";"))
    occurrences = [
        day.date()
        for day in rule.between(
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2029, 1, 1, tzinfo=dt.UTC)
        )
    ]
    assert occurrences == [dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29)]

    assert is_all_day(found["Reach out: Amara Diallo"], TODAY - dt.timedelta(days=23))
    assert "RRULE" not in found["Reach out: Amara Diallo"]
    follow_up = found["Follow up: Ben Carter"]
    assert is_all_day(follow_up, TODAY)
    assert str(follow_up["DESCRIPTION"]) == "Send the article"
    # A snoozed reminder is shown on the day it comes back.
    assert is_all_day(found["Reach out: Dana Levi"], TODAY + dt.timedelta(days=10))
    # Stable, distinct UIDs, so calendar apps update events instead of duplicating them.
    uids = [str(event["UID"]) for event in found.values()]
    assert len(set(uids)) == len(uids)
    assert events(client, alice).keys() == found.keys()
    assert [str(e["UID"]) for e in events(client, alice).values()] == uids


def test_hostile_text_is_escaped_and_reads_back_the_same(client, alice):
    zoe = contact_save(contact=Contact(owner=alice, name=HOSTILE, cadence_days=7), today=TODAY)
    important(zoe, 6, 1, kind="anniversary", label=f"Label {HOSTILE}")
    interaction_log(
        owner=alice,
        contacts=[zoe],
        kind="call",
        occurred_at=NOW,
        today=TODAY,
        follow_up_on=TODAY,
        follow_up_note=f"Note, with; all\nthe {HOSTILE}",
    )
    sweep_run(now=NOW)

    client.logout()
    raw = client.get(feed_url(alice)).content
    found = events(client, alice)

    assert set(found) == {f"Label {HOSTILE}: {HOSTILE}", f"Follow up: {HOSTILE}"}
    assert str(found[f"Follow up: {HOSTILE}"]["DESCRIPTION"]) == f"Note, with; all\nthe {HOSTILE}"
    assert len(Calendar.from_ical(raw).walk("VEVENT")) == 2  # no event smuggled in
    # Every unfolded line is one property: a newline in the text can't start a new one.
    unfolded = raw.decode().replace("\r\n ", "").replace("\r\n\t", "")
    lines = unfolded.split("\r\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2


def test_a_wrong_token_is_a_404(client, alice, alices_world):
    token = alice.settings.calendar_token
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", token.upper()):
        if wrong == token:
            continue
        response = client.get(reverse("reminders:calendar", args=[wrong]))
        assert response.status_code == 404
        assert b"Amara" not in response.content


def test_a_deactivated_users_feed_is_a_404(client, alice, alices_world):
    url = feed_url(alice)
    alice.is_active = False
    alice.save()
    assert client.get(url).status_code == 404


def test_bobs_token_shows_bobs_feed_only(client, bob, alices_world):
    assert set(events(client, bob)) == {"Birthday: Bobby Tables", "Reach out: Bobby Tables"}


def test_regenerating_the_address_retires_the_old_one(client, alice, alices_world):
    old = feed_url(alice)
    client.force_login(alice)
    assert client.get(reverse("reminders:calendar_regenerate")).status_code == 405

    response = client.post(reverse("reminders:calendar_regenerate"))

    assert response.status_code == 302
    assert response.url == reverse("settings") + "#calendar"
    new = feed_url(alice)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert "Birthday: Amara Diallo" in events(client, alice)


def test_regenerating_needs_a_login(client, alice, alices_world):
    old = feed_url(alice)
    response = client.post(reverse("reminders:calendar_regenerate"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert feed_url(alice) == old


def test_archived_and_paused_people_are_not_in_the_feed(client, alice, alices_world):
    contacts_set_flags(owner=alice, contact_ids=[alices_world["amara"].pk], archived=True)
    contacts_set_flags(owner=alice, contact_ids=[alices_world["dana"].pk], paused=True)

    found = events(client, alice)

    assert "Birthday: Amara Diallo" not in found  # dates already leave out archived people
    assert [name for name in found if "Amara" in name or "Dana" in name] == []


# --- /health/ ---------------------------------------------------------------------------------


def health(client) -> tuple[int, dict]:
    response = client.get(reverse("health"))
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_health_before_any_sweep_says_it_never_ran(client, db, celery_broker, redis_server):
    celery_broker(redis_server.url)
    status, report = health(client)
    assert status == 503
    assert report["ok"] is False
    assert report["sweep"] == "never ran"
    assert report["database"] == "ok"
    assert report["broker"] == "ok"


def test_health_is_ok_after_a_sweep_with_a_reachable_broker(
    client, db, celery_broker, redis_server
):
    celery_broker(redis_server.url)
    sweep_run(now=NOW - dt.timedelta(minutes=2))

    status, report = health(client)

    assert status == 200
    assert report == {
        "ok": True,
        "database": "ok",
        "sweep": "ok",
        "sweep_seconds_ago": 120,
        "broker": "ok",
    }


def test_health_fails_when_the_last_sweep_is_over_an_hour_old(
    client, db, clock, celery_broker, redis_server
):
    celery_broker(redis_server.url)
    sweep_run(now=NOW)
    clock.move_to(NOW + dt.timedelta(minutes=59))
    assert health(client)[0] == 200

    clock.move_to(NOW + dt.timedelta(minutes=61))
    status, report = health(client)

    assert status == 503
    assert (report["ok"], report["sweep"], report["sweep_seconds_ago"]) == (False, "stale", 3660)
    assert report["broker"] == "ok"


def test_health_says_the_broker_is_unreachable_and_answers_promptly(
    client, db, celery_broker, capsys
):
    sweep_run(now=NOW)
    celery_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there

    started = time.monotonic()
    status, report = health(client)
    elapsed = time.monotonic() - started

    assert status == 503
    assert report["ok"] is False
    assert report["broker"].startswith("unreachable")
    assert (report["database"], report["sweep"]) == ("ok", "ok")
    with capsys.disabled():
        print(f"\n[/health/ with the broker down answered in {elapsed:.1f} s]")


# --- The dashboard's warning ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_sweep_ago", "warned"),
    [
        (dt.timedelta(minutes=5), False),
        (dt.timedelta(minutes=59), False),
        (dt.timedelta(hours=2), True),
    ],
)
def test_the_dashboard_warns_when_the_sweep_is_late(alice_client, alice, last_sweep_ago, warned):
    SchedulerHeartbeat.objects.create(name="sweep", last_run_at=NOW - last_sweep_ago)

    html = alice_client.get(reverse("dashboard")).content.decode()

    assert ("haven't been checked for over an hour" in html.replace("&#x27;", "'")) is warned
    if warned:
        assert 'role="alert"' in html
        assert "Please tell whoever runs this server." in html  # Alice is not the admin
