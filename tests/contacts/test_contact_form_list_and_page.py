from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_save
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db

EMPTY_ROWS = {
    "methods-TOTAL_FORMS": "0",
    "methods-INITIAL_FORMS": "0",
    "dates-TOTAL_FORMS": "0",
    "dates-INITIAL_FORMS": "0",
}


def contact_data(**fields) -> dict:
    """A contact form POST: the fields, and no rows for ways to reach or dates."""
    return {**EMPTY_ROWS, **fields}


def test_add_a_contact_with_a_rhythm(alice_client, alice, frozen_now):
    response = alice_client.post(
        reverse("contacts:create"),
        contact_data(name="Émile Zola", cadence_days="7"),
    )
    contact = Contact.objects.get(owner=alice)
    assert response.status_code == 302
    assert response.url == contact.get_absolute_url()
    assert contact.added_on == dt.date(2026, 11, 28)
    assert contact.next_reach_out_on == dt.date(2026, 12, 5)
    page = alice_client.get(contact.get_absolute_url()).content.decode()
    assert "Émile Zola" in page
    assert "Next reach-out in 7 days" in page


def test_contact_form_rejects_a_silly_cadence_and_keeps_nothing(alice_client, alice):
    response = alice_client.post(
        reverse("contacts:create"), contact_data(name="Ana", cadence_days="0")
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()
    assert not Contact.objects.exists()


def test_circle_choices_are_only_the_owners(alice_client, alice, bob):
    mine = CircleFactory(owner=alice, name="Climbing crew")
    theirs = CircleFactory(owner=bob, name="Bob's secret circle")
    page = alice_client.get(reverse("contacts:create")).content.decode()
    assert "Climbing crew" in page
    assert "secret circle" not in page
    response = alice_client.post(
        reverse("contacts:create"), contact_data(name="Ana", circle=theirs.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.exists()
    alice_client.post(reverse("contacts:create"), contact_data(name="Ana", circle=mine.pk))
    assert Contact.objects.get().circle == mine


def test_edit_recomputes_the_due_date(alice_client, alice, frozen_now):
    contact = contact_save(
        contact=Contact(owner=alice, name="Ana", cadence_days=30), today=dt.date(2026, 11, 1)
    )
    response = alice_client.post(
        reverse("contacts:edit", args=[contact.pk]), contact_data(name="Ana", cadence_days="14")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 11, 15)
    assert contact.added_on == dt.date(2026, 11, 1)


def test_list_shows_only_my_people_and_search_ignores_accents_and_case(alice_client, alice, bob):
    ContactFactory(owner=alice, name="Émile Zola", company="Éditions")
    ContactFactory(owner=alice, name="Ísak Jónsson", city="Reykjavík")
    ContactFactory(owner=bob, name="Emile Bobsfriend")
    page = alice_client.get(reverse("contacts:list")).content.decode()
    assert "Émile Zola" in page and "Ísak Jónsson" in page
    assert "Bobsfriend" not in page
    found = alice_client.get(reverse("contacts:list"), {"q": "EMILE"}).content.decode()
    assert "Émile Zola" in found and "Ísak" not in found and "Bobsfriend" not in found
    found = alice_client.get(reverse("contacts:list"), {"q": "reykjavik isak"}).content.decode()
    assert "Ísak Jónsson" in found and "Émile" not in found


def test_search_as_htmx_returns_only_the_results_fragment(alice_client, alice):
    ContactFactory(owner=alice, name="Amara Diallo")
    response = alice_client.get(
        reverse("contacts:list"), {"q": "amara"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="results"' in html
    assert "<html" not in html
    assert "Amara Diallo" in html


def test_list_paginates_with_a_constant_number_of_queries(
    alice_client, alice, django_assert_num_queries
):
    circle = CircleFactory(owner=alice)
    for index in range(3):
        ContactFactory(owner=alice, name=f"Person {index:03}", circle=circle)
    # session, user, settings, count, page, last bulk change, and the circles (read once for the
    # filter's and the bulk edit's menus; interests are typed, with suggestions, not listed).
    with django_assert_num_queries(7) as small:
        alice_client.get(reverse("contacts:list"))
    for index in range(3, 120):
        ContactFactory(owner=alice, name=f"Person {index:03}", circle=circle)
    with django_assert_num_queries(len(small.captured_queries)):
        response = alice_client.get(reverse("contacts:list"), {"page": 2})
    html = response.content.decode()
    assert "Person 050" in html and "Person 049" not in html
    assert "Page 2 of 3" in html


def test_snooze_a_week_without_javascript(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)  # long overdue
    response = alice_client.post(
        reverse("contacts:snooze", args=[contact.pk]), {"days": "7", "next": "/"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 12, 5)


def test_snooze_with_htmx_answers_the_announcement_and_an_event(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        reverse("contacts:snooze", args=[contact.pk]), {"days": "7"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#announce"
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])


def test_snooze_ignores_an_offsite_next(alice_client, alice):
    contact = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        reverse("contacts:snooze", args=[contact.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == contact.get_absolute_url()


def test_notes_are_escaped(alice_client, alice):
    contact = ContactFactory(owner=alice, name="<script>alert(1)</script>", notes="<img onerror=x>")
    html = alice_client.get(contact.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img onerror=x>" not in html


def test_several_emails_phones_and_dates_with_labels(alice_client, alice, frozen_now):
    response = alice_client.post(
        reverse("contacts:create"),
        {
            "name": "Ísak Jónsson",
            "methods-TOTAL_FORMS": "3",
            "methods-INITIAL_FORMS": "0",
            "methods-0-kind": "email",
            "methods-0-label": "work",
            "methods-0-value": "isak@work.example",
            "methods-1-kind": "email",
            "methods-1-label": "home",
            "methods-1-value": "isak@home.example",
            "methods-2-kind": "phone",
            "methods-2-label": "mobile",
            "methods-2-value": "+354 555 1234",
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-0-kind": "birthday",
            "dates-0-day": "29",
            "dates-0-month": "2",
            "dates-0-year": "",
            "dates-1-kind": "anniversary",
            "dates-1-label": "Wedding anniversary",
            "dates-1-day": "3",
            "dates-1-month": "12",
            "dates-1-year": "2015",
        },
    )
    contact = Contact.objects.get(owner=alice)
    assert response.status_code == 302
    assert sorted(contact.methods.values_list("kind", "label", "value")) == [
        ("email", "home", "isak@home.example"),
        ("email", "work", "isak@work.example"),
        ("phone", "mobile", "+354 555 1234"),
    ]
    assert all(m.owner_id == alice.pk for m in contact.methods.all())
    page = alice_client.get(contact.get_absolute_url()).content.decode()
    assert "isak@home.example" in page and 'href="tel:+3545551234"' in page
    # 29 February without a year: shown on 28 February in 2027, a common year.
    assert "28 February" in page
    assert "Wedding anniversary" in page and "turns" not in page.split("Wedding")[0][-200:]
    # Found by the phone number's bare digits and by email.
    found = alice_client.get(reverse("contacts:list"), {"q": "5551234"}).content.decode()
    assert "Ísak Jónsson" in found
    found = alice_client.get(reverse("contacts:list"), {"q": "isak@home"}).content.decode()
    assert "Ísak Jónsson" in found


def test_invalid_rows_are_explained_and_nothing_is_saved(alice_client, alice):
    response = alice_client.post(
        reverse("contacts:create"),
        {
            "name": "Ana",
            "methods-TOTAL_FORMS": "2",
            "methods-INITIAL_FORMS": "0",
            "methods-0-kind": "email",
            "methods-0-value": "not-an-email",
            "methods-1-kind": "phone",
            "methods-1-value": "12",
            "dates-TOTAL_FORMS": "1",
            "dates-INITIAL_FORMS": "0",
            "dates-0-kind": "birthday",
            "dates-0-day": "31",
            "dates-0-month": "4",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Enter a phone number with 3 to 20 digits." in html
    assert "That day doesn&#x27;t exist in that month." in html
    assert not Contact.objects.exists()


def test_contact_links_match_reverse_under_any_script_prefix(alice):
    """get_absolute_url formats a cached pattern instead of reversing for every person."""
    from django.urls import reverse, set_script_prefix

    contacts = [ContactFactory(owner=alice) for _ in range(3)]
    try:
        for prefix in ("/", "/crm/", "/other/place/"):
            set_script_prefix(prefix)
            for contact in contacts:
                expected = reverse("contacts:detail", args=[contact.pk])
                assert contact.get_absolute_url() == expected
                assert expected.startswith(prefix)
    finally:
        set_script_prefix("/")
