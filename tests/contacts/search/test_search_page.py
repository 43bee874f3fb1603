"""The list page's search: queries that don't grow with the number of people, and the count of a
search of short words only capped at SEARCH_COUNT_CAP (docs/decisions/0012-search-index.md)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from contacts import selectors
from contacts.models import Contact

pytestmark = pytest.mark.django_db


def add_people(owner, count: int, *, start: int = 0) -> None:
    people = []
    for i in range(start, start + count):
        contact = Contact(owner=owner, name=f"Anna Person{i:05d}", added_on="2026-01-01")
        contact.fill_folded_fields()
        people.append(contact)
    Contact.objects.bulk_create(people)


def page_text(client, query: str, **params) -> str:
    response = client.get(reverse("contacts:list"), {"q": query, **params})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def result_count(text: str) -> str:
    return re.search(r'class="muted small result-count"[^>]*>([^<]*)<', text).group(1)


# Session and user, the circles (read once for the filters and the bulk form), the filters'
# interests, the count, the page, the last bulk change, the bulk form's interests (no bulk
# form when nobody matches).
@pytest.mark.parametrize(
    ("query", "queries"), [("anna", 7), ("an", 7), ("anna person0", 7), ("an pe", 7), ("nobody", 6)]
)
def test_search_queries_do_not_grow_with_the_people(
    alice_client, alice, query, queries, django_assert_num_queries
):
    add_people(alice, 3)
    with django_assert_num_queries(queries):
        page_text(alice_client, query)
    add_people(alice, 120, start=3)
    with django_assert_num_queries(queries):
        page_text(alice_client, query)


def test_a_search_of_short_words_counts_up_to_the_cap(alice_client, alice, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 20)
    add_people(alice, 30)
    text = page_text(alice_client, "an")
    assert result_count(text) == "20+ matches for “an”"
    assert "More than 20 people match." in text
    assert "Page 1 of 1" not in text and "Page 1 of" not in text  # 20 fit on one page
    assert 'data-total="20+"' in text
    assert "A search whose words are all shorter than 3 letters" in text
    # A short search with no more matches than the cap is counted exactly.
    text = page_text(alice_client, "an", status="archived")
    assert "matches for" not in text and "More than" not in text


def test_at_the_cap_exactly_the_count_is_exact(alice_client, alice, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 20)
    add_people(alice, 20)
    text = page_text(alice_client, "an")
    assert result_count(text) == "20 matches for “an”"
    assert "More than" not in text


def test_the_capped_count_is_read_with_a_limit(alice, django_assert_num_queries):
    add_people(alice, 5)
    filters = selectors.ContactFilters(query="an")
    contacts = selectors.contacts_search(owner=alice, filters=filters, today=None)
    paginator = selectors.SearchPaginator(contacts, 50, query="an")
    with django_assert_num_queries(1) as counted:
        assert paginator.count == 5
    assert f"LIMIT {selectors.SEARCH_COUNT_CAP + 1}" in counted.captured_queries[0]["sql"]


@pytest.mark.parametrize("query", ["anna", "anna person", "anna an"])
def test_queries_are_the_same_below_and_past_the_cap(
    alice_client, alice, monkeypatch, query, django_assert_num_queries
):
    # Below the cap the page is read from the counted ids; past it, walked in name order.
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 20)
    add_people(alice, 10)
    with django_assert_num_queries(7):
        text = page_text(alice_client, query)
    assert result_count(text) == f"10 matches for “{query}”"
    add_people(alice, 140, start=10)
    for page in ("1", "2"):
        with django_assert_num_queries(7):
            text = page_text(alice_client, query, page=page)
        assert result_count(text) == f"20+ matches for “{query}”"
    assert "add another word to narrow the search" in text
    assert "shorter than 3 letters" not in text
