"""The owned admin: everyone manages their own rows, superusers included, nobody sees others'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

NO_INLINE_ROWS = {
    "methods-TOTAL_FORMS": "0",
    "methods-INITIAL_FORMS": "0",
    "dates-TOTAL_FORMS": "0",
    "dates-INITIAL_FORMS": "0",
}


@pytest.fixture
def data(alice, bob):
    return {
        "alice_circle": CircleFactory(owner=alice, name="Alice's climbers", cadence_days=30),
        "bob_circle": CircleFactory(owner=bob, name="Bob's poker night", cadence_days=30),
        "alice_interest": InterestFactory(owner=alice, name="Jazz"),
        "bob_interest": InterestFactory(owner=bob, name="Secret hobby"),
        "alice_contact": ContactFactory(owner=alice, name="Amara Diallo"),
        "bob_contact": ContactFactory(owner=bob, name="Bob's confidant"),
    }


@pytest.mark.parametrize("superuser", [False, True])
def test_changelist_and_filters_show_only_own_rows(client, alice, data, superuser):
    alice.is_superuser = superuser
    alice.save()
    client.force_login(alice)
    html = client.get(reverse("admin:contacts_contact_changelist")).content.decode()
    assert "Amara Diallo" in html
    assert "confidant" not in html
    # List filters list only alice's circles and interests.
    assert "Alice&#x27;s climbers" in html and "poker night" not in html
    assert "Jazz" in html and "Secret hobby" not in html


def test_add_form_choices_are_scoped_and_owner_is_set(client, alice, data):
    client.force_login(alice)
    html = client.get(reverse("admin:contacts_contact_add")).content.decode()
    assert "Alice&#x27;s climbers" in html and "poker night" not in html
    response = client.post(
        reverse("admin:contacts_contact_add"),
        {"name": "Sneaky", "circle": data["bob_circle"].pk, **NO_INLINE_ROWS},
    )
    assert response.status_code == 200  # form error: not a valid choice
    assert not Contact.objects.filter(name="Sneaky").exists()
    response = client.post(
        reverse("admin:contacts_contact_add"),
        {
            "name": "Kwame Mensah",
            "circle": data["alice_circle"].pk,
            "cadence_days": "10",
            **NO_INLINE_ROWS,
        },
    )
    assert response.status_code == 302
    created = Contact.objects.get(name="Kwame Mensah")
    assert created.owner == alice
    assert created.next_reach_out_on is not None


def test_user_accounts_are_for_superusers_only(client, alice, bob):
    client.force_login(bob)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    bob.is_superuser = True
    bob.save()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_bulk_pause_action_goes_through_the_service_and_only_touches_own_rows(client, alice, data):
    client.force_login(alice)
    response = client.post(
        reverse("admin:contacts_contact_changelist"),
        {
            "action": "pause",
            "_selected_action": [data["alice_contact"].pk, data["bob_contact"].pk],
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    data["alice_contact"].refresh_from_db()
    data["bob_contact"].refresh_from_db()
    assert data["alice_contact"].paused is True
    assert data["bob_contact"].paused is False


def test_list_editable_circle_cadence_retimes_its_contacts(client, alice, data):
    contact = data["alice_contact"]
    contact.circle = data["alice_circle"]
    contact.save()
    client.force_login(alice)
    circle = data["alice_circle"]
    response = client.post(
        reverse("admin:contacts_circle_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": circle.pk,
            "form-0-cadence_days": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 1, 8)


def test_inline_emails_and_dates_get_the_owner(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("admin:contacts_contact_add"),
        {
            "name": "Priya Raman",
            "methods-TOTAL_FORMS": "1",
            "methods-INITIAL_FORMS": "0",
            "methods-0-kind": "email",
            "methods-0-value": "priya@example.com",
            "dates-TOTAL_FORMS": "1",
            "dates-INITIAL_FORMS": "0",
            "dates-0-kind": "birthday",
            "dates-0-day": "29",
            "dates-0-month": "2",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Priya Raman")
    assert contact.methods.get().owner == alice
    assert contact.dates.get().owner == alice


def test_accounts_made_outside_sign_up_get_the_usual_circles(client, alice, monkeypatch):
    """createsuperuser and the admin's "add user" give the same start as signing up."""
    from django.core.management import call_command

    from accounts.models import User
    from contacts.models import Circle
    from contacts.services import DEFAULT_CIRCLES

    usual = sorted(name for name, _days in DEFAULT_CIRCLES)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse battery staple")
    call_command("createsuperuser", interactive=False, email="root@example.com", verbosity=0)
    root = User.objects.get(email="root@example.com")
    assert sorted(Circle.objects.filter(owner=root).values_list("name", flat=True)) == usual
    assert root.settings.time_zone == "UTC"

    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.com",
            "usable_password": "true",
            "password1": "another horse battery staple",
            "password2": "another horse battery staple",
        },
    )
    assert response.status_code == 302
    added = User.objects.get(email="added@example.com")
    assert sorted(Circle.objects.filter(owner=added).values_list("name", flat=True)) == usual
    assert not Circle.objects.filter(owner=alice).exclude(name__in=usual).exists()
    # Its settings (made with the account) are edited on its change page.
    change = client.get(reverse("admin:accounts_user_change", args=[added.pk]))
    assert 'name="settings-0-time_zone"' in change.content.decode()


def test_a_contact_stored_with_thousands_of_rows_gets_a_bounded_admin_page(client, alice):
    # Data from before the import limits: the page edits the first rows and keeps the rest.
    from contacts.limits import MAX_METHODS_PER_CONTACT
    from contacts.models import ContactMethod

    contact = ContactFactory(owner=alice, name="Tel Bomb")
    ContactMethod.objects.bulk_create(
        ContactMethod(owner=alice, contact=contact, kind="phone", value=f"+1555{n:07d}")
        for n in range(2_000)
    )
    client.force_login(alice)
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    page = client.get(url)
    assert page.status_code == 200
    total = f'name="methods-TOTAL_FORMS" value="{MAX_METHODS_PER_CONTACT}"'
    assert total in page.content.decode()

    first = contact.methods.order_by("pk").first()
    form = {
        "name": "Tel Bomb",
        "methods-TOTAL_FORMS": "1",
        "methods-INITIAL_FORMS": "1",
        "methods-0-id": str(first.pk),
        "methods-0-kind": "phone",
        "methods-0-value": "+34 600 000 000",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
    }
    assert client.post(url, form).status_code == 302
    assert contact.methods.count() == 2_000
    first.refresh_from_db()
    assert first.value == "+34 600 000 000"


def test_the_admin_cannot_add_an_interest_past_the_account_limit(client, alice):
    from contacts.limits import MAX_INTERESTS_PER_OWNER
    from contacts.models import Interest

    Interest.objects.bulk_create(
        Interest(owner=alice, name=f"Topic {n}", folded_name=f"topic {n}")
        for n in range(MAX_INTERESTS_PER_OWNER)
    )
    client.force_login(alice)
    response = client.post(reverse("admin:contacts_interest_add"), {"name": "One more"})
    assert response.status_code == 200
    assert "the most one account can have" in response.content.decode()
    assert Interest.objects.filter(owner=alice).count() == MAX_INTERESTS_PER_OWNER
