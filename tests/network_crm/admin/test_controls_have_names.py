"""The admin names the controls the stock admin leaves unnamed (network_crm/admin_a11y.py): the
cells of list_editable columns and tabular inlines, and a clearable file input. The browser walk
(tests/network_crm/test_accessibility_axe_browser.py) checks the whole pages with axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts.models import ContactMethod
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _input(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no control named {name}"
    return match.group(0)


def test_list_editable_cells_are_named_after_column_and_row(alice_client, alice):
    circle = CircleFactory(owner=alice, name="Climbers", cadence_days=30)
    html = alice_client.get(reverse("admin:contacts_circle_changelist")).content.decode()
    index = re.search(rf'name="form-(\d+)-id" value="{circle.pk}"', html).group(1)
    assert 'aria-label="Reach out every (days) for Climbers"' in _input(
        html, f"form-{index}-cadence_days"
    )


def test_tabular_inline_cells_and_the_photo_input_are_named(alice_client, alice):
    contact = ContactFactory(owner=alice, name="Amara Diallo")
    ContactMethod.objects.create(owner=alice, contact=contact, kind="email", value="a@example.org")
    url = reverse("admin:contacts_contact_change", args=[contact.pk])
    html = alice_client.get(url).content.decode()
    assert 'aria-label="Kind"' in _input(html, "methods-0-kind")
    assert 'aria-label="Value"' in _input(html, "methods-0-value")
    assert 'aria-label="Delete"' in _input(html, "methods-0-DELETE")
    assert 'aria-label="Photo"' in _input(html, "photo")
    # The autocomplete fields' search boxes are named in the browser, by this script.
    assert "admin/crm/a11y.js" in html
