"""The contact form's "Add another…": one more empty row fetched by htmx without saving, and the
same button without JavaScript, which saves and comes back with empty rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT
from contacts.models import Contact, ContactMethod
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def names_of_inputs(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html))


def add_row(client, url: str, kind: str, total: int | str):
    return client.get(url, {"kind": kind, f"{kind}-TOTAL_FORMS": total}, headers=HTMX)


def test_the_new_row_is_numbered_after_the_rows_the_form_has(alice_client, alice):
    contact = ContactFactory(owner=alice, name="Ana")
    response = add_row(alice_client, reverse("contacts:edit_row", args=[contact.pk]), "methods", 3)
    html = response.content.decode()
    assert response.status_code == 200
    assert {"methods-3-kind", "methods-3-label", "methods-3-value", "methods-3-id"} <= (
        names_of_inputs(html)
    )
    assert "__prefix__" not in html
    # The form's row count goes up with it (out of band), and the next button follows.
    assert re.search(r'name="methods-TOTAL_FORMS" value="4"[^>]*hx-swap-oob="true"', html)
    assert 'id="methods-more"' in html
    assert "Add another way to reach them" in html
    # The new row's first field takes the focus.
    assert re.search(r'<select name="methods-3-kind"[^>]*autofocus', html)


def test_a_new_contact_gets_date_rows_too(alice_client):
    response = add_row(alice_client, reverse("contacts:new_row"), "dates", 1)
    html = response.content.decode()
    assert response.status_code == 200
    assert {"dates-1-kind", "dates-1-day", "dates-1-month", "dates-1-year", "dates-1-label"} <= (
        names_of_inputs(html)
    )
    assert re.search(r'name="dates-TOTAL_FORMS" value="2"', html)
    assert "Add another date" in html


def test_another_users_contact_is_a_404(bob_client, alice):
    contact = ContactFactory(owner=alice, name="Ana")
    response = add_row(bob_client, reverse("contacts:edit_row", args=[contact.pk]), "methods", 1)
    assert response.status_code == 404
    assert "methods-1-kind" not in response.content.decode()


def test_signed_out_is_sent_to_sign_in(client):
    response = add_row(client, reverse("contacts:new_row"), "methods", 1)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("kind", "total"),
    [
        ("emails", "1"),
        ("", "1"),
        ("methods", ""),
        ("methods", "-1"),
        ("methods", "1e3"),
        ("methods", "9" * 40),
        ("methods", "٣"),
    ],
)
def test_an_unknown_kind_or_row_number_is_a_400(alice_client, kind, total):
    response = alice_client.get(
        reverse("contacts:new_row"), {"kind": kind, f"{kind}-TOTAL_FORMS": total}, headers=HTMX
    )
    assert response.status_code == 400
    assert "-kind" not in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "limit", "what"),
    [("methods", MAX_METHODS_PER_CONTACT, "ways"), ("dates", MAX_DATES_PER_CONTACT, "dates")],
)
def test_at_the_limit_no_row_only_a_clear_message(alice_client, kind, limit, what):
    for total in (limit, limit + 1, 999_999):
        response = add_row(alice_client, reverse("contacts:new_row"), kind, total)
        html = response.content.decode()
        assert response.status_code == 200
        assert f"That's the most one person can have here ({limit})." in html.replace("&#x27;", "'")
        assert f"{kind}-{limit}-kind" not in html
        assert "TOTAL_FORMS" not in html
        assert "Add another" not in html
    # One below the limit: the last row, then the message in place of the button.
    html = add_row(alice_client, reverse("contacts:new_row"), kind, limit - 1).content.decode()
    assert f'name="{kind}-{limit - 1}-kind"' in html
    assert f'name="{kind}-TOTAL_FORMS" value="{limit}"' in html
    assert "Add another" not in html


def test_the_form_shows_the_button_and_no_doubled_optional_hints(alice_client, alice):
    contact = ContactFactory(owner=alice, name="Ana")
    html = alice_client.get(reverse("contacts:edit", args=[contact.pk])).content.decode()
    assert html.count("Add another way to reach them") == 1
    assert html.count("Add another date") == 1
    assert f'hx-get="{reverse("contacts:edit_row", args=[contact.pk])}?kind=methods"' in html
    assert "Year (optional)" in html
    assert ">Optional<" not in html
    assert "work, home, mobile…</div>" not in html
    assert "{#" not in html and "{%" not in html  # no template comment shown as text


def test_rows_added_without_saving_are_saved_with_the_form(alice_client, alice):
    """What the browser posts after two "Add another" clicks: four rows instead of two."""
    data = {
        "name": "Ana Lima",
        "methods-TOTAL_FORMS": "4",
        "methods-INITIAL_FORMS": "0",
        "dates-TOTAL_FORMS": "2",
        "dates-INITIAL_FORMS": "0",
        "methods-0-kind": "email",
        "methods-0-value": "ana@example.org",
        "methods-1-kind": "phone",
        "methods-1-value": "+351 912 345 678",
        "methods-2-kind": "email",
        "methods-2-value": "ana.work@example.org",
        "methods-2-label": "work",
        "methods-3-kind": "email",
        "methods-3-value": "",
        "dates-0-kind": "birthday",
        "dates-0-day": "",
        "dates-1-kind": "anniversary",
        "dates-1-day": "14",
        "dates-1-month": "2",
    }
    response = alice_client.post(reverse("contacts:create"), data)
    contact = Contact.objects.get(owner=alice)
    assert response.status_code == 302
    assert sorted(contact.methods.values_list("value", flat=True)) == [
        "+351 912 345 678",
        "ana.work@example.org",
        "ana@example.org",
    ]
    assert contact.methods.get(value="ana.work@example.org").label == "work"
    assert list(contact.dates.values_list("kind", "day", "month")) == [("anniversary", 14, 2)]


def test_without_javascript_add_another_saves_and_comes_back_with_empty_rows(alice_client, alice):
    contact = ContactFactory(owner=alice, name="Ana")
    data = {
        "name": "Ana",
        "methods-TOTAL_FORMS": "1",
        "methods-INITIAL_FORMS": "0",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
        "methods-0-kind": "email",
        "methods-0-value": "ana@example.org",
        "add_row": "methods",
    }
    response = alice_client.post(reverse("contacts:edit", args=[contact.pk]), data)
    edit = reverse("contacts:edit", args=[contact.pk])
    assert response.status_code == 302
    assert response.url == f"{edit}?more=methods#methods"
    assert ContactMethod.objects.get(contact=contact).value == "ana@example.org"
    html = alice_client.get(response.url).content.decode()
    assert "Saved." in html
    # The saved row and three empty ones.
    assert 'name="methods-TOTAL_FORMS" value="4"' in html
    assert 'name="methods-3-value"' in html


def test_without_javascript_an_invalid_form_is_not_saved_by_add_another(alice_client, alice):
    data = {
        "name": "",
        "methods-TOTAL_FORMS": "1",
        "methods-INITIAL_FORMS": "0",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
        "add_row": "methods",
    }
    response = alice_client.post(reverse("contacts:create"), data)
    assert response.status_code == 200
    assert "Please check the fields marked below." in response.content.decode()
    assert not Contact.objects.filter(owner=alice).exists()
