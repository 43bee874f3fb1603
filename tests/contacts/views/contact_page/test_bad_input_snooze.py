"""Hostile input to snoozing a contact (issue 8). Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contacts.models import Contact
from tests.fixtures.hostile import (
    HostileInputTestCase,
    assert_shown,
    date_strings,
    get,
    html_of,
    number,
    post,
    received,
    rows_of,
)


class SnoozeTest(HostileInputTestCase):
    @given(
        days=st.one_of(st.none(), number),
        data=st.data(),
        whose=st.sampled_from(["mine", "mine", "bob"]),
        htmx=st.booleans(),
    )
    def test_snooze_refuses_with_a_message_or_snoozes_as_asked(self, days, data, whose, htmx):
        today = self.today
        until = data.draw(st.one_of(st.none(), date_strings(today)))
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        contact = self.contact if whose == "mine" else self.bob_contact
        fields = {}
        if days is not None:
            fields["days"] = days
        if until is not None:
            fields["until"] = until
        response = post(
            client, reverse("contacts:snooze", args=[contact.pk]), fields, htmx=htmx, follow=True
        )
        self.assert_bob_untouched(bob_before)
        if whose == "bob":
            assert response.status_code == 404
            return
        html = html_of(response)
        snoozed = Contact.objects.get(pk=self.contact.pk).snoozed_until

        def assert_refused(message: str) -> None:
            assert rows_of(self.alice) == before
            # The htmx snooze form swaps nothing: the message waits for the next page.
            page = html_of(get(client, self.contact.get_absolute_url())) if htmx else html
            assert_shown(page, message)

        # The view's rules: a date after today and within two years wins; else a number of days,
        # kept between 1 and 365.
        until_text = received(until or "")
        try:
            until_day = dt.date.fromisoformat(until_text) if until_text else None
            days_value = min(max(int(received(days if days is not None else "7")), 1), 365)
        except ValueError:
            assert_refused("Pick a number of days or a date to snooze until.")
            return
        if until_day is not None:
            if not today < until_day <= today + dt.timedelta(days=730):
                assert_refused("Pick a date after today and within two years.")
                return
            assert snoozed == until_day
        else:
            assert snoozed == today + dt.timedelta(days=days_value)
        # Said in place over htmx (the announcement), after the redirect without it.
        assert response.status_code == 200
        assert_shown(html, f"Snoozed {self.contact.name} for {(snoozed - today).days} days.")
