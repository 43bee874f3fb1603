"""Hostile input to the meetup card's actions. Shared setup: tests/fixtures/hostile.py.

Whatever is posted: never a 500, Bob's rows untouched; either exactly one interaction with the
posted people (all alice's, at least two) or nothing stored and the reason said."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from interactions.models import Interaction
from reminders.models import MeetupDismissal
from tests.fixtures.hostile import (
    HostileInputTestCase,
    html_of,
    id_kind,
    post,
    received,
    rows_of,
    short_text,
)

KINDS = ["meal", "coffee", "event", "video_call", "call", "other"]


class MeetupBadInputTest(HostileInputTestCase):
    def people(self, kinds: list[str]) -> list[str]:
        mine = [self.contact.pk, self.other_contact.pk]
        return [
            self.resolve_id(kind, mine[index % 2], self.bob_contact.pk)
            for index, kind in enumerate(kinds)
        ]

    @given(
        kinds=st.lists(id_kind, max_size=4),
        kind=st.one_of(st.sampled_from(KINDS), short_text),
        htmx=st.booleans(),
    )
    def test_log_it_logs_all_the_people_or_nothing(self, kinds, kind, htmx):
        client = self.client_for(self.alice)
        before, bob_before = rows_of(self.alice), rows_of(self.bob)
        people = self.people(kinds)
        response = post(
            client, reverse("meetups:log"), {"people": people, "kind": kind}, htmx=htmx, follow=True
        )
        self.assert_bob_untouched(bob_before)
        html = html_of(response)
        valid = kinds and all(k == "mine" for k in kinds) and len(set(people)) >= 2
        if valid and received(kind) in KINDS:
            interaction = Interaction.objects.filter(owner=self.alice).latest("pk")
            assert interaction.kind == received(kind)
            assert {str(pk) for pk in interaction.contacts.values_list("pk", flat=True)} == set(
                people
            )
            assert "Logged " in html
        else:
            assert rows_of(self.alice) == before
            assert "Nothing logged:" in html

    @given(kinds=st.lists(id_kind, max_size=3), key=short_text, htmx=st.booleans())
    def test_not_now_takes_only_a_well_formed_key(self, kinds, key, htmx):
        client = self.client_for(self.alice)
        people = self.people(kinds)
        response = post(
            client,
            reverse("meetups:dismiss"),
            {"people": people, "key": key},
            htmx=htmx,
            follow=True,
        )
        assert not MeetupDismissal.objects.exclude(key__regex=r"^(city|interest):[0-9a-f]{64}$")
        assert "Nothing changed:" in html_of(response)  # hostile text is never a valid key
        response = post(client, reverse("meetups:undo_dismiss"), {"key": key}, htmx=htmx)
        assert response.status_code in (200, 302)
