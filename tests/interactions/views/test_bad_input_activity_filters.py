"""Hostile filters on the activity list (issue 8): answered without a 500 and without other
users' rows. Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from interactions.models import Interaction
from tests.fixtures.hostile import (
    DATES,
    HostileInputTestCase,
    get,
    html_of,
    id_kind,
    number,
    short_text,
)

KINDS = [kind for kind, _ in Interaction.Kind.choices]


class ActivityFiltersTest(HostileInputTestCase):
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "kind": st.sampled_from([*KINDS, "party"]) | short_text,
                "circle": id_kind,
                "contact": id_kind,
                "since": st.sampled_from(DATES),
                "until": st.sampled_from(DATES),
                "page": number,
            },
        ),
        htmx=st.booleans(),
    )
    def test_activity_filters_answer_anything_without_other_users_rows(self, params, htmx):
        client = self.client_for(self.alice)
        if "circle" in params:
            params["circle"] = self.resolve_id(params["circle"], self.circle.pk, self.bob_circle.pk)
        if "contact" in params:
            params["contact"] = self.resolve_id(
                params["contact"], self.contact.pk, self.bob_contact.pk
            )
        html = html_of(get(client, reverse("interactions:list"), params, htmx=htmx))
        assert "BOBCONTACT" not in html and "BOBNOTES" not in html
