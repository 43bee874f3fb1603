"""Hostile searches and filters (issue 8): the interest search and autocomplete, the introducer
search, the contact list's filters (and the export, which takes the same filters) answer
anything without a 500 and without other users' rows. Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.hostile import (
    HostileInputTestCase,
    fewer,
    get,
    html_of,
    huge_text,
    id_kind,
    number,
    short_text,
)


class SearchAndFilterTest(HostileInputTestCase):
    @given(
        name=short_text | huge_text,
        query=short_text | huge_text,
        search=short_text | huge_text | st.integers(1, 1500).map(lambda n: "a " * n),
    )
    @fewer(2)
    def test_searches_and_autocompletes_answer_anything_without_other_users_rows(
        self, name, query, search
    ):
        client = self.client_for(self.alice)
        html = html_of(get(client, reverse("contacts:interest_suggest"), {"name": name}))
        assert "BOBINTEREST" not in html
        for htmx in (False, True):
            html = html_of(get(client, reverse("contacts:interests"), {"q": query}, htmx=htmx))
            assert "BOBINTEREST" not in html
        url = reverse("contacts:introducer", args=[self.contact.pk])
        html = html_of(get(client, url, {"q": search}))
        assert "BOBCONTACT" not in html

    def test_a_nul_byte_in_a_search_is_answered(self):
        client = self.client_for(self.alice)
        for url, params in [
            (reverse("contacts:interests"), {"q": "ja\x00"}),
            (reverse("contacts:interest_suggest"), {"name": "ja\x00"}),
            (reverse("contacts:introducer", args=[self.contact.pk]), {"q": "gr\x00"}),
        ]:
            assert get(client, url, params).status_code == 200, url

    def test_a_very_long_introducer_search_is_answered(self):
        client = self.client_for(self.alice)
        url = reverse("contacts:introducer", args=[self.contact.pk])
        for search in ("a " * 1000, "a" * 100_000):
            assert get(client, url, {"q": search}).status_code == 200

    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "q": short_text | huge_text,
                "circle": id_kind,
                "interest": id_kind,
                "status": st.sampled_from(["", "due", "paused", "archived", "deleted"])
                | short_text,
                "sort": st.sampled_from(["name", "last", "next", "-pk"]) | short_text,
                "page": number,
                "format": st.sampled_from(["vcard", "vcard3", "csv", "xlsx"]),
            },
        ),
        htmx=st.booleans(),
    )
    def test_the_list_and_exports_answer_any_filter_without_other_users_rows(self, params, htmx):
        client = self.client_for(self.alice)
        for key, (mine, bobs) in {
            "circle": (self.circle.pk, self.bob_circle.pk),
            "interest": (self.interest.pk, self.bob_interest.pk),
        }.items():
            if key in params:
                params[key] = self.resolve_id(params[key], mine, bobs)
        for url in (reverse("contacts:list"), reverse("portability:export")):
            response = get(client, url, params, htmx=htmx)
            body = html_of(response)
            assert "BOBCONTACT" not in body and "BOBCIRCLE" not in body
