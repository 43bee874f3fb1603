from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Contact
from network_crm.owner_cache import bump_everyone
from reminders.models import SchedulerHeartbeat
from tests.conftest import FROZEN_NOW
from tests.factories import CircleFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


def due(owner, name, *, days_overdue, cadence, **extra):
    return ContactFactory(
        owner=owner,
        name=name,
        cadence_days=cadence,
        next_reach_out_on=TODAY - dt.timedelta(days=days_overdue),
        **extra,
    )


def test_empty_dashboard_says_what_to_do_first(alice_client, frozen_now):
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "Who do you want to keep in touch with?" in html
    assert "Add your first person" in html


def test_due_people_most_overdue_relative_to_cadence_first(alice_client, alice, frozen_now):
    due(alice, "Weekly friend", days_overdue=7, cadence=7)  # one whole rhythm late
    due(alice, "Yearly mentor", days_overdue=60, cadence=365)  # a sixth of a rhythm late
    due(alice, "Monthly peer", days_overdue=15, cadence=30)  # half a rhythm late
    ContactFactory(
        owner=alice, name="Not yet", cadence_days=7, next_reach_out_on=TODAY + dt.timedelta(days=1)
    )
    html = alice_client.get(reverse("dashboard")).content.decode()
    section = html.split('id="due"')[1].split("</section>")[0]
    order = [section.index(n) for n in ("Weekly friend", "Monthly peer", "Yearly mentor")]
    assert order == sorted(order)
    assert "Not yet" not in section
    assert "Log coffee" in section and "Snooze a week" in section


def test_daily_limit_caps_what_is_shown_and_counts_the_rest(alice_client, alice, frozen_now):
    alice.settings.daily_limit = 3
    alice.settings.save()
    for index in range(8):
        due(alice, f"Friend {index}", days_overdue=index + 1, cadence=10)
    html = alice_client.get(reverse("dashboard")).content.decode()
    section = html.split('id="due"')[1].split("</section>")[0]
    assert sum(f"Friend {index}<" in section for index in range(8)) == 3
    assert "5 more waiting" in section


def test_paused_archived_and_other_users_contacts_are_not_due(alice_client, alice, bob, frozen_now):
    due(alice, "Paused pal", days_overdue=3, cadence=7, paused=True)
    due(alice, "Archived pal", days_overdue=3, cadence=7, archived=True)
    due(bob, "Bob's friend", days_overdue=3, cadence=7)
    due(alice, "Real one", days_overdue=3, cadence=7)
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "Real one" in html
    for hidden in ("Paused pal", "Archived pal", "Bob&#x27;s friend"):
        assert hidden not in html


def test_htmx_refresh_returns_only_the_due_section(alice_client, alice, frozen_now):
    due(alice, "Amara", days_overdue=1, cadence=7)
    response = alice_client.get(reverse("dashboard"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "Amara" in html


def test_due_section_query_count_does_not_grow_with_contacts(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    circle = CircleFactory(owner=alice, cadence_days=14)
    # More than the daily limit (5) from the start, so both sizes also count "N more".
    for index in range(6):
        due(alice, f"A{index}", days_overdue=index + 1, cadence=None, circle=circle)
    headers = {"HX-Request": "true"}
    # The due fragment: session, user, settings, the ranking (with its count and who comes due
    # soon), those people's rows, the interests of them all (shared interests and the meetups'
    # groups) and the "ask about" notes (no group forms, so no dismissals are read).
    with django_assert_num_queries(7):
        alice_client.get(reverse("dashboard"), headers=headers)
    # The full page: the health panel counts who is due (the due list doesn't count again) and
    # shows there is someone (no "any contacts?" query).
    with django_assert_num_queries(15) as full_small:  # 7 + the other sections
        alice_client.get(reverse("dashboard"))
    Contact.objects.bulk_create(
        [
            Contact(
                owner=alice,
                name=f"B{index}",
                sort_name=f"b{index}",
                added_on=TODAY,
                circle=circle,
                next_reach_out_on=TODAY - dt.timedelta(days=index % 20),
            )
            for index in range(300)
        ]
    )
    with django_assert_num_queries(7):
        alice_client.get(reverse("dashboard"), headers=headers)
    with django_assert_num_queries(len(full_small.captured_queries)):
        response = alice_client.get(reverse("dashboard"))
    assert "301 more waiting" in response.content.decode()


def test_a_new_owner_is_not_warned_before_the_first_sweep_had_time_to_run(client, settings):
    settings.SWEEP_INTERVAL_SECONDS = 60
    # Time alone changes this line: the page cache shows such changes up to 5 minutes late.
    settings.OWNER_CACHE_ENABLED = False
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        owner = UserFactory(is_superuser=True)  # signed up at FROZEN_NOW
        ContactFactory(owner=owner)
        client.force_login(owner)

        def footer() -> str:
            return client.get(reverse("dashboard")).content.decode().split("</main>")[-1]

        # The first minutes: beat sweeps as soon as it starts, so no sweep yet is no alarm.
        for seconds in (0, 10, 119):
            traveller.move_to(FROZEN_NOW + dt.timedelta(seconds=seconds))
            html = footer()
            assert "Reminders haven't been checked yet: the first check runs as soon as" in html
            assert "doesn" not in html
        # One interval plus a minute's margin since sign-up, and still never: now it is trouble.
        traveller.move_to(FROZEN_NOW + dt.timedelta(seconds=121))
        html = footer()
        assert "Reminders have never been checked — the scheduler (Celery beat) doesn" in html
        # A longer interval gives the first sweep longer.
        settings.SWEEP_INTERVAL_SECONDS = 600
        traveller.move_to(FROZEN_NOW + dt.timedelta(minutes=10, seconds=59))
        assert "doesn" not in footer()
        traveller.move_to(FROZEN_NOW + dt.timedelta(minutes=11, seconds=1))
        assert "doesn" in footer()


def test_owner_sees_when_the_scheduler_is_not_running(client, alice, bob, frozen_now):
    alice.is_superuser = True
    alice.date_joined = FROZEN_NOW - dt.timedelta(days=1)
    alice.save()
    ContactFactory(owner=alice)
    client.force_login(alice)

    def beat_at(moment: dt.datetime) -> None:
        # Set by hand: the heartbeat's writes don't outdate cached pages by themselves
        # (docs/decisions/0013), its writer does when it matters; here every step does.
        SchedulerHeartbeat.objects.update_or_create(name="sweep", defaults={"last_run_at": moment})
        bump_everyone()

    html = client.get(reverse("dashboard")).content.decode()
    assert "Reminders have never been checked — the scheduler (Celery beat) doesn" in html
    beat_at(dt.datetime(2026, 11, 28, 9, 29, tzinfo=dt.UTC))
    html = client.get(reverse("dashboard")).content.decode()
    assert "Reminders last checked 1\xa0minute ago." in html
    beat_at(FROZEN_NOW)
    assert "Reminders last checked just now." in client.get(reverse("dashboard")).content.decode()
    beat_at(dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC))
    assert "doesn" in client.get(reverse("dashboard")).content.decode()
    # Not the owner: no scheduler line.
    client.force_login(bob)
    ContactFactory(owner=bob)
    assert "Reminders last checked" not in client.get(reverse("dashboard")).content.decode()
