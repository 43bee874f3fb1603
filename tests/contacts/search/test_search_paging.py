"""The list's pages of a search (``SearchPaginator``): the same people in the same order on every
page as ``contacts_search``'s ordered queryset, whichever way the page is read (the ids of a
counted search, the walk in name order past the cap, the queryset for deeper pages and other
orders), the count capped at SEARCH_COUNT_CAP (docs/decisions/0012-search-index.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import selectors
from contacts.models import Circle, Contact, ContactMethod
from contacts.selectors import ContactFilters, SearchPaginator, contacts_search, search_words
from tests.contacts.search.test_search_index import (  # noqa: F401 (corpus is a fixture)
    QUERIES,
    TODAY,
    corpus,
    corpus_queries,
    plain_like,
)
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

SORTS = ["name", "last", "next"]
STATUSES = ["", "due", "paused", "archived"]


@pytest.fixture
def book(request, bob):
    """The search corpus and more people: common words, names shared (ties broken by id), dates
    with ties and gaps for the other orders, some paused, some in a circle."""
    owner = request.getfixturevalue("corpus")
    for i in range(8):
        contact = ContactFactory(
            owner=owner, name="Mara Anson" if i % 2 else "Anna Marsh", notes="an" * (i % 3)
        )
        if i % 3 == 1:
            ContactMethod.objects.create(
                owner=owner, contact=contact, kind="email", value=f"zola{i}@example.org"
            )
    ContactFactory(owner=bob, name="Mara Anson")
    friends = Circle.objects.create(owner=owner, name="Friends")
    ids = Contact.objects.filter(owner=owner).order_by("pk").values_list("pk", flat=True)
    for i, pk in enumerate(ids):
        Contact.objects.filter(pk=pk).update(
            last_interaction_on=None if i % 4 == 0 else TODAY - dt.timedelta(days=i % 3),
            next_reach_out_on=None if i % 5 == 0 else TODAY + dt.timedelta(days=i % 4 - 2),
            paused=i % 6 == 5,
            circle=friends if i % 2 else None,
        )
    return owner


def expected_pages(owner, filters: ContactFilters, *, cap: int, per_page: int):
    everyone = list(
        contacts_search(owner=owner, filters=filters, today=TODAY).values_list("pk", flat=True)
    )
    searched = bool(search_words(filters.query))
    shown = everyone[:cap] if searched else everyone
    pages = [shown[i : i + per_page] for i in range(0, len(shown), per_page)] or [[]]
    count = f"{cap:,}+" if searched and len(everyone) > cap else str(len(shown))
    return pages, count


def read_pages(owner, filters: ContactFilters, *, per_page: int):
    paginator = SearchPaginator.for_search(
        owner=owner, filters=filters, today=TODAY, per_page=per_page
    )
    pages = [[c.pk for c in paginator.page(n).object_list] for n in paginator.page_range]
    return pages, paginator.count_shown


def assert_same_pages(owner, filters, *, cap, per_page=2):
    assert read_pages(owner, filters, per_page=per_page) == expected_pages(
        owner, filters, cap=cap, per_page=per_page
    ), filters


@pytest.mark.parametrize(("cap", "walk"), [(3, 2), (1000, 200)])
@pytest.mark.parametrize("sort", SORTS)
def test_every_page_holds_the_same_people_as_the_search(book, monkeypatch, cap, walk, sort):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "WALK_MATCHES", walk)
    for query in [*QUERIES, "mar", "mara", "anson an", "zola", "example ma", "an ma", "mar son"]:
        assert_same_pages(book, ContactFilters(query=query, sort=sort), cap=cap)


@pytest.mark.parametrize("status", STATUSES)
def test_filters_combined_with_a_search_page_the_same(book, monkeypatch, status):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "WALK_MATCHES", 4)
    friends = Circle.objects.get(owner=book)
    for query in ["an", "mar", "anna", "zola", "example", "mara an", "nobody"]:
        for sort in SORTS:
            assert_same_pages(book, ContactFilters(query=query, status=status, sort=sort), cap=3)
            filters = ContactFilters(query=query, status=status, sort=sort, circle_id=friends.pk)
            assert_same_pages(book, filters, cap=3)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    query=corpus_queries(),
    sort=st.sampled_from(SORTS),
    status=st.sampled_from(STATUSES),
    cap=st.integers(1, 12),
    walk=st.integers(1, 12),
    per_page=st.integers(1, 5),
)
def test_pages_of_pieces_of_the_corpus(book, query, sort, status, cap, walk, per_page):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "SEARCH_COUNT_CAP", cap)
        patch.setattr(selectors, "WALK_MATCHES", walk)
        filters = ContactFilters(query=query, sort=sort, status=status)
        assert_same_pages(book, filters, cap=cap, per_page=per_page)


def test_the_pages_hold_the_plain_like_matches(book, monkeypatch):
    # The reference above is contacts_search; it is the plain LIKE search (test_search_index),
    # here too with the extra people.
    for query in ["mar", "an", "anna marsh", "zola", "mara an", "mar son", "ann mar", "zola ann"]:
        pages, _count = read_pages(book, ContactFilters(query=query), per_page=1000)
        assert sorted(pages[0]) == plain_like(book, query)


def test_a_common_word_is_counted_to_the_cap_and_walked_in_name_order(
    book, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    filters = ContactFilters(query="mara")
    paginator = SearchPaginator.for_search(owner=book, filters=filters, today=TODAY, per_page=2)
    with django_assert_num_queries(2) as queries:
        page = paginator.page(1)
        names = [c.name for c in page.object_list]
    assert paginator.count_shown == "3+" and paginator.more
    assert names == ["Mara Anson", "Mara Anson"]
    count_sql, page_sql = (query["sql"] for query in queries.captured_queries)
    assert f"LIMIT {selectors.SEARCH_COUNT_CAP + 1}" in count_sql
    if connection.vendor == "sqlite":
        # The count isn't sorted (it stops at the cap), the walk reads no id list.
        assert "ORDER BY" not in count_sql
        assert "_fts" in count_sql and "_fts" not in page_sql
        assert "ORDER BY" in page_sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_words_of_the_same_length_are_counted_from_one_match_of_the_person_index(
    book, django_assert_num_queries
):
    # "zola" only in some people's emails, "anso" only in their names: found across both.
    filters = ContactFilters(query="zola anso")
    paginator = SearchPaginator.for_search(owner=book, filters=filters, today=TODAY, per_page=50)
    with django_assert_num_queries(1) as queries:
        assert paginator.count == 2
    count_sql = queries.captured_queries[0]["sql"]
    # FTS5 intersects the words itself: one MATCH of both, no id list per word.
    assert count_sql.count("contacts_person_fts MATCH") == 1
    assert '("zola" AND "anso")' in count_sql
    assert [c.name for c in paginator.page(1).object_list] == ["Mara Anson", "Mara Anson"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_walk_reads_the_name_index_in_order(book):
    paginator = SearchPaginator.for_search(
        owner=book, filters=ContactFilters(query="mara"), today=TODAY, per_page=2
    )
    walk = paginator._tested(by_owner_index=True).order_by("sort_name", "pk")[:2]
    sql, params = walk.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    # Stops once the page is full: no sort of every row, no id list built first.
    assert "contact_owner_sort" in plan
    assert "TEMP B-TREE" not in plan
    assert "_fts" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_count_of_an_indexed_word_reads_the_index_matches_as_it_goes(book, monkeypatch):
    """The person index leads the count and SQLite reads its matches one by one, so the count
    stops at the cap's next match; an ``id IN (MATCH)`` list would hold every candidate first."""
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    paginator = SearchPaginator.for_search(
        owner=book, filters=ContactFilters(query="mara"), today=TODAY, per_page=2
    )
    with connection.execute_wrapper(keep):
        assert paginator.count_shown == "3+"
    [(sql, params)] = statements
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert plan[0].startswith("SCAN contacts_person_fts VIRTUAL TABLE")
    assert plan[1] == "SEARCH contacts_contact USING INTEGER PRIMARY KEY (rowid=?)"
    assert not any("LIST SUBQUERY" in step or "TEMP B-TREE" in step for step in plan)
