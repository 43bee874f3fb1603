"""A search of short words only counts its first matches on SQLite by walking the owner's people
in id order (the owner index, no sort: the matches come at the owner's overall rate, not at
that of the alphabetically first names) and reading each person's search index row by id;
``method_contact_search`` holds their ways to reach for a flagged row (migration 0024,
docs/decisions/0012-search-index.md). The page itself walks ``contact_owner_sort_search`` in
name order (tests/contacts/search/test_search_paging.py)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from contacts import selectors
from contacts.models import Contact, ContactMethod, Interest

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's indexes and plan"),
]

walk_indexes = importlib.import_module("contacts.migrations.0024_short_words_walk_covering_indexes")


def add_people(owner, count: int) -> None:
    people = []
    for i in range(count):
        contact = Contact(owner=owner, name=f"Person {i:03d}", added_on="2026-01-01")
        contact.fill_folded_fields()
        people.append(contact)
    methods = []
    for contact in Contact.objects.bulk_create(people):
        # Every third person matches "an" only by their email.
        address = f"ana{contact.pk}@example.org" if contact.pk % 3 == 0 else f"p{contact.pk}@x.org"
        method = ContactMethod(owner=owner, contact=contact, kind="email", value=address)
        method.fill_folded_fields()
        methods.append(method)
    ContactMethod.objects.bulk_create(methods)
    # Every fifth person matches "an" by an interest's name as well (or only by it).
    banjo = Interest.objects.create(owner=owner, name="Banjo")
    banjo.contacts.add(*[c for c in Contact.objects.filter(owner=owner) if c.pk % 5 == 0])


def count_plan(owner, words: list[str]) -> str:
    sql = selectors._short_words_count_sql(connection.vendor, len(words))
    params = selectors._short_words_count_params(
        owner=owner, words=words, limit=selectors.SEARCH_COUNT_CAP + 1
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def assert_read_from_indexes(plan: str) -> None:
    # The walk in the owner index's order, which is the ids' (no sort), and the EXISTS on ways
    # to reach from their covering index: no way to reach's row is read.
    assert "SEARCH c USING INDEX contacts_contact_owner_id_" in plan
    assert "SEARCH m USING COVERING INDEX method_contact_search (contact_id=?)" in plan
    assert "TEMP B-TREE" not in plan
    # The owner's interests whose names hold the word are listed once; each person walked is a
    # probe of their links for those, not a read of every interest they have.
    assert "LIST SUBQUERY" in plan
    # The person's search index row (ways to reach and interests in one text) read by id.
    assert "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert "SEARCH l USING COVERING INDEX" in plan and "(contact_id=? AND interest_id=?)" in plan


@pytest.mark.parametrize("words", [["an"], ["an", "p"]])
def test_the_short_words_count_reads_only_indexes(alice, bob, words):
    add_people(alice, 30)
    add_people(bob, 5)
    assert_read_from_indexes(count_plan(alice, words))
    # Same people counted as the search lists: its own text or its email.
    expected = Contact.objects.filter(owner=alice, archived=False)
    for word in words:
        expected = expected.filter(selectors._word_scan(word=word))
    assert expected.count() > 0
    # Someone found by the interest alone is counted; another owner's "Banjo" lends alice nobody.
    assert expected.filter(interests__name="Banjo").exclude(methods__value__contains="ana").exists()
    assert selectors._short_words_count(owner=alice, words=words, limit=1001) == expected.count()


class _Executor:
    """The migration's schema editor as far as it is used: SQL on the test's own connection
    (Django's SQLite schema editor can't open inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_on_an_analyzed_database_the_migration_gives_its_indexes_statistics(alice):
    add_people(alice, 30)
    walk_indexes.backwards(None, _Executor())
    with connection.cursor() as cursor:
        # Statistics for the older indexes only, as on a database seeded before the migration:
        # the planner would keep the contact_id index for the ways to reach.
        cursor.execute("ANALYZE")
    walk_indexes.forwards(None, _Executor())
    assert_read_from_indexes(count_plan(alice, ["an"]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT idx FROM sqlite_stat1 WHERE idx IN (%s, %s)", [*walk_indexes.INDEXES]
        )
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(walk_indexes.INDEXES)


def test_a_flagged_person_is_counted_by_the_ways_to_reach_their_row_does_not_hold(alice):
    """Past 200 ways to reach (stored before the limits) the person's index row holds only their
    own text and a flag: the count then probes their ways to reach and interests themselves."""
    flooded = Contact.objects.create(owner=alice, name="Flooded", added_on="2026-01-01")
    dry = Contact.objects.create(owner=alice, name="Dry", added_on="2026-01-01")
    methods = []
    for n in range(201):
        method = ContactMethod(owner=alice, contact=flooded, kind="phone", value=f"+1 555 {n:07d}")
        method.fill_folded_fields()
        methods.append(method)
    ContactMethod.objects.bulk_create(methods)
    Interest.objects.create(owner=alice, name="Qz club").contacts.add(dry)
    with connection.cursor() as cursor:
        cursor.execute("SELECT flag FROM contacts_person_fts WHERE rowid = %s", [flooded.pk])
        assert cursor.fetchone()[0] != ""
    for word, expected in (("01", 1), ("qz", 1), ("zz", 0)):
        counted = selectors._short_words_count(owner=alice, words=[word], limit=1001)
        listed = Contact.objects.filter(owner=alice).filter(selectors._word_scan(word=word))
        assert counted == listed.count() == expected
