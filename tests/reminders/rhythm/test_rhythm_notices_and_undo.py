"""Don't hound says so: the dashboard (for a week) and the person's page tell that a rhythm was
stretched, with an Undo (POST rhythm:undo); the person's page says why someone who reaches out
often comes due later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_recompute_due
from reminders.models import RhythmStretch
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # frozen_now's date
HTMX = {"HX-Request": "true"}
SENTENCE = "Ana&#x27;s nudge went by three times, so we&#x27;ll suggest every 5 weeks instead of 4."


def stretched(owner, name="Ana", *, previous=28, new=35, on=TODAY, circle=None) -> RhythmStretch:
    contact = ContactFactory(owner=owner, name=name, cadence_days=new, circle=circle)
    contact_recompute_due(contact=contact)
    return RhythmStretch.objects.create(
        owner=owner,
        contact=contact,
        previous_cadence_days=previous,
        new_cadence_days=new,
        stretched_on=on,
    )


def test_the_dashboard_says_so_for_a_week(alice_client, alice, frozen_now):
    stretched(alice, on=TODAY - dt.timedelta(days=6))
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert SENTENCE in html
    assert 'action="/rhythm/' in html and ">Undo<" in html

    frozen_now.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    assert "nudge went by" not in alice_client.get(reverse("dashboard")).content.decode()


def test_the_circle_rhythm_is_named_and_hostile_names_are_escaped(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=14)
    stretched(alice, name="<b>Bo</b>", previous=None, new=18, circle=friends)
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "&lt;b&gt;Bo&lt;/b&gt;&#x27;s nudge went by three times" in html
    assert "every 18 days instead of every 2 weeks." in html
    assert "<b>Bo</b>" not in html


def test_undone_or_changed_stretches_are_not_shown(alice_client, alice, frozen_now):
    undone = stretched(alice, name="Ana")
    undone.undone_at = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)
    undone.save()
    changed = stretched(alice, name="Ben")
    Contact.objects.filter(pk=changed.contact_id).update(cadence_days=60)
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "nudge went by" not in html
    assert 'id="rhythm"' not in html


def test_the_persons_page_says_so_with_the_date_and_undo(alice_client, alice, frozen_now):
    stretch = stretched(alice, on=TODAY - dt.timedelta(days=20))  # gone from the dashboard
    assert "nudge went by" not in alice_client.get(reverse("dashboard")).content.decode()
    html = alice_client.get(stretch.contact.get_absolute_url()).content.decode()
    assert SENTENCE in html
    assert reverse("rhythm:undo", args=[stretch.pk]) in html


def test_the_persons_page_says_why_someone_who_reaches_out_is_due_later(
    alice_client, alice, frozen_now
):
    ana = ContactFactory(owner=alice, name="Ana", cadence_days=28, reaches_out_often=True)
    html = alice_client.get(ana.get_absolute_url()).content.decode()
    assert (
        "Ana often reaches out first, so we count you in touch a little longer: "
        "every 5 weeks instead of 4." in html
    )
    Contact.objects.filter(pk=ana.pk).update(reaches_out_often=False)
    assert (
        "often reaches out first" not in alice_client.get(ana.get_absolute_url()).content.decode()
    )


def test_undo_puts_the_rhythm_back_and_answers_in_the_live_region(alice_client, alice, frozen_now):
    stretch = stretched(alice)
    response = alice_client.post(reverse("rhythm:undo", args=[stretch.pk]), headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#announce"
    assert "contactChanged" in response.headers["HX-Trigger"]
    assert "Ana&#x27;s rhythm is back to every 4 weeks." in response.content.decode()
    stretch.refresh_from_db()
    ana = Contact.objects.get(pk=stretch.contact_id)
    assert ana.cadence_days == 28 and stretch.undone_at is not None
    # The dashboard's notice refreshes itself away.
    fragment = alice_client.get(reverse("dashboard"), {"section": "rhythm-section"}, headers=HTMX)
    assert fragment.content.decode().strip() == ""

    again = alice_client.post(reverse("rhythm:undo", args=[stretch.pk]), headers=HTMX)
    assert "nothing to undo" in again.content.decode()
    assert Contact.objects.get(pk=ana.pk).cadence_days == 28


def test_undo_without_javascript_goes_back_with_a_message(alice_client, alice, frozen_now):
    stretch = stretched(
        alice, previous=None, new=18, circle=CircleFactory(owner=alice, cadence_days=14)
    )
    response = alice_client.post(
        reverse("rhythm:undo", args=[stretch.pk]), {"next": "/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "rhythm is back to every 2 weeks" in response.content.decode()
    assert Contact.objects.get(pk=stretch.contact_id).cadence_days is None


def test_another_users_stretch_is_a_404_and_stays(bob_client, alice, frozen_now):
    stretch = stretched(alice)
    assert bob_client.post(reverse("rhythm:undo", args=[stretch.pk])).status_code == 404
    assert bob_client.get(reverse("rhythm:undo", args=[stretch.pk])).status_code == 405
    stretch.refresh_from_db()
    assert stretch.undone_at is None
    assert Contact.objects.get(pk=stretch.contact_id).cadence_days == 35
    assert "nudge went by" not in bob_client.get(reverse("dashboard")).content.decode()


def test_the_notices_cost_one_query_however_many(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    stretched(alice, name="Ana")
    with django_assert_num_queries(4) as one:  # session, user, settings, the notices
        alice_client.get(reverse("dashboard"), {"section": "rhythm-section"}, headers=HTMX)
    for name in ("Ben", "Chloé", "Dev", "Eve"):
        stretched(alice, name=name)
    with django_assert_num_queries(len(one.captured_queries)):
        html = alice_client.get(
            reverse("dashboard"), {"section": "rhythm-section"}, headers=HTMX
        ).content.decode()
    assert html.count("nudge went by") == 3  # the newest three
