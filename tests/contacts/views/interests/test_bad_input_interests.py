"""Hostile input to adding an interest to a contact, with htmx or not, on someone else's
contact too (issue 8). Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from network_crm.text import fold
from tests.fixtures.hostile import (
    HostileInputTestCase,
    assert_rendered,
    assert_shown,
    char_errors,
    collapsed,
    form_body,
    get,
    html_of,
    huge_text,
    post,
    rows_of,
    short_text,
    too_big,
)


class InterestFormTest(HostileInputTestCase):
    @given(
        name=short_text | huge_text | st.sampled_from(["jazz", " JÁZZ ", "a" * 80, "a" * 81]),
        contact=st.sampled_from(["mine", "bob"]),
        htmx=st.booleans(),
    )
    def test_adding_an_interest_refuses_or_stores_what_was_typed(self, name, contact, htmx):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        pk = self.contact.pk if contact == "mine" else self.bob_contact.pk
        response = post(
            client,
            reverse("contacts:interest_add", args=[pk]),
            {"name": name},
            htmx=htmx,
            follow=not htmx,
        )
        self.assert_bob_untouched(bob_before)
        if too_big(form_body({"name": name})):
            return
        if contact == "bob":
            assert response.status_code == 404
            assert rows_of(self.alice) == before
            return
        errors = char_errors(name, max_length=80, required=True)
        html = html_of(response)
        if errors:
            assert rows_of(self.alice) == before
            if htmx:
                for message in errors:
                    assert_shown(html, message)
            else:
                assert_shown(html, "Type an interest to add.")
        else:
            # Matched ignoring case and accents: "JÁZZ" is the Jazz she already has.
            interest = self.contact.interests.get(folded_name=fold(collapsed(name)))
            if interest.pk != self.interest.pk:
                assert interest.name == collapsed(name)
            assert_rendered(html, interest.name)
            page = html_of(get(client, self.contact.get_absolute_url()))
            assert_rendered(page, interest.name)
