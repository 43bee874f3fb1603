"""People search through a trigram index (docs/decisions/0012-search-index.md): the same matches
as the plain ``LIKE '%word%'`` over the folded columns, found through the index, and the index
kept in step with every way a contact is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, ContactMethod
from contacts.selectors import (
    ContactFilters,
    SearchPaginator,
    contacts_matching,
    contacts_search,
)
from contacts.services import (
    contact_interest_add,
    contact_interest_remove,
    interest_delete,
    interest_update,
    interests_merge,
)
from network_crm.text import fold
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)

# name, notes, email, phone, interests
PEOPLE = [
    ("Émile Zola", "writer, likes jazz", "emile@example.org", "", ["Jazz", "Rock’n’roll"]),
    ("Marcus O'Brien", "", "mob@example.net", "+44 20 7946 0958", ["Hiking"]),
    ("Anne-Marie D’Arcy", "met at the Zürich meetup", "", "", ["Board games"]),
    ("Zoë Ångström", "", "zoe.a@example.com", "", []),
    ("José Núñez", "an old friend", "", "+34 600 123 456", ["jazz", "Café culture"]),
    ("Bea Costa", "Ana's sister", "bea@costa.example", "", ["Surfing"]),
    ("Ana Lopez", "", "ana-lopez@ex.org", "", []),
    ("Ng An", "", "", "", ["Go"]),
    ("Straße Müller", "50% discount guy_underscore", "", "", []),
    ("Zhang Wei 张伟", "", "", "", ["围棋"]),
    ("Liam Ó Súilleabháin", "an ANgler", "liam@example.ie", "", ["Fishing"]),
    ("Archived Anna", "", "", "", ["Jazz"]),
]

QUERIES = [
    "an",
    "AN",
    "a",
    "n",
    "jazz",
    "Jazz",
    "zola",
    "emile",
    "Émile zola",
    "obrien",
    "O'Brien",
    "o’brien",
    "darcy",
    "anne marie",
    "zur",
    "zürich",
    "angstrom",
    "ångström",
    "nunez",
    "josé",
    "cafe",
    "cafe culture",
    "costa",
    "example",
    "example.org",
    "ana lopez",
    "ana-lopez",
    "lopez an",
    "an lo",
    "ng",
    "go",
    "7946",
    "020",
    "600 123",
    "50%",
    "%",
    "_",
    "guy_under",
    "strasse",
    "ss",
    "张伟",
    "围棋",
    "wei",
    "angler",
    "an angler",
    "fish",
    "nobody",
    "zz",
    "rock'n'roll",
    "rocknroll",
    "sister",
    "ana's",
    "board games",
    "hik",
    "a b c",
    "e",
    "xyz abc",
    "mar",
    "ar",
    '"',
    'an"',
    # Several words of the same length (SQLite's count intersects their id lists first), each
    # found in the person's own text, a way to reach them or an interest, or across them.
    "zola jazz",
    "jose cafe",
    "liam fish",
    "jazz rock",
    "jazz jazz",
    "zoe ang",
    "mob net",
    "org ana",
    "zur met",
    "ana org lop",
    "zola anna",
]


@pytest.fixture
def corpus(alice, bob):
    for name, notes, email, phone, interests in PEOPLE:
        contact = ContactFactory(
            owner=alice, name=name, notes=notes, archived=name.startswith("Arch")
        )
        if email:
            ContactMethod.objects.create(owner=alice, contact=contact, kind="email", value=email)
        if phone:
            ContactMethod.objects.create(owner=alice, contact=contact, kind="phone", value=phone)
        for interest in interests:
            contact_interest_add(contact=contact, name=interest)
    # Bob's people match too, and must never show.
    ContactFactory(owner=bob, name="Anna Jazz Zola")
    return alice


def plain_like(owner, query: str, *, archived: bool = False) -> list[int]:
    """The search as it was before the index: every word LIKE '%word%' on each folded column."""
    contacts = Contact.objects.filter(owner=owner, archived=archived)
    for word in fold(query).split():
        interests = Contact.interests.through.objects.filter(
            interest__owner=owner, interest__folded_name__contains=word
        )
        methods = ContactMethod.objects.filter(owner=owner, folded_value__contains=word)
        contacts = contacts.filter(
            Q(search_text__contains=word)
            | Q(pk__in=interests.values("contact_id"))
            | Q(pk__in=methods.values("contact_id"))
        )
    return sorted(contacts.values_list("pk", flat=True))


def indexed(owner, query: str, *, status: str = "") -> list[int]:
    filters = ContactFilters(query=query, status=status)
    return sorted(
        contacts_search(owner=owner, filters=filters, today=TODAY).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("query", QUERIES)
def test_same_matches_as_the_plain_like_search(corpus, query):
    assert indexed(corpus, query) == plain_like(corpus, query)


def test_the_corpus_has_matches_for_most_queries(corpus):
    # So the comparison above compares something.
    assert sum(bool(plain_like(corpus, query)) for query in QUERIES) >= 45


def test_archived_people_are_searched_in_the_archive_only(corpus):
    assert indexed(corpus, "jazz", status="archived") == plain_like(corpus, "jazz", archived=True)
    assert len(indexed(corpus, "jazz", status="archived")) == 1


_TEXT = " ".join(fold(" ".join([p[0], p[1], p[2], p[3], *p[4]])) for p in PEOPLE)


@st.composite
def corpus_queries(draw):
    """One to three pieces of the corpus's text (any length, so short and long words), with
    accents, case and apostrophes put back at random."""
    words = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(_TEXT) - 1))
        piece = _TEXT[start : start + draw(st.integers(1, 8))]
        if draw(st.booleans()):
            piece = piece.upper()
        words.append(piece.replace("e", draw(st.sampled_from(["e", "é", "É"]))))
    return draw(st.sampled_from([" ", "-", "'"])).join(words)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=corpus_queries())
def test_same_matches_on_pieces_of_the_corpus(corpus, query):
    assert indexed(corpus, query) == plain_like(corpus, query)


def test_admin_matching_is_the_same_search(corpus):
    matching = contacts_matching(
        Contact.objects.filter(owner=corpus), owner=corpus, query="jazz zola"
    )
    assert [c.name for c in matching] == ["Émile Zola"]


# --- The index follows every write ---------------------------------------------------------


def names(owner, query: str) -> list[str]:
    """Who the search finds, as the queryset and as the list's paginator (its count through the
    index, its page) both say: they must agree."""
    filters = ContactFilters(query=query)
    found = [c.name for c in contacts_search(owner=owner, filters=filters, today=TODAY)]
    paginator = SearchPaginator.for_search(owner=owner, filters=filters, today=TODAY, per_page=50)
    assert paginator.count == len(found)
    assert [c.name for c in paginator.page(1).object_list] == found
    return found


def test_the_index_follows_save_bulk_writes_updates_and_deletes(alice):
    made = Contact(owner=alice, name="Quentin Blake", added_on=TODAY)
    made.fill_folded_fields()
    Contact.objects.bulk_create([made])
    assert names(alice, "quentin") == ["Quentin Blake"]

    made = Contact.objects.get(name="Quentin Blake")
    made.name = "Roald Dahl"
    made.fill_folded_fields()
    Contact.objects.bulk_update([made], ["name", "search_text", "sort_name"])
    assert names(alice, "quentin") == []
    assert names(alice, "roald") == ["Roald Dahl"]

    Contact.objects.filter(pk=made.pk).update(search_text="matilda wormwood")
    assert names(alice, "roald") == []
    assert names(alice, "wormwood") == ["Roald Dahl"]

    method = ContactMethod.objects.create(owner=alice, contact=made, value="bfg@giants.example")
    assert names(alice, "giants") == ["Roald Dahl"]
    method.value = "twits@example.org"
    method.save()
    assert names(alice, "giants") == []
    assert names(alice, "twits") == ["Roald Dahl"]

    Contact.objects.filter(pk=made.pk).delete()
    assert names(alice, "wormwood") == []
    assert names(alice, "twits") == []


def test_the_index_follows_ways_to_reach_and_interests(alice, bob):
    """Each person's index row also holds their ways to reach and their interests' names
    (SQLite, migration 0023): every write to those finds its way there."""
    roald = ContactFactory(owner=alice, name="Roald Dahl")
    quentin = ContactFactory(owner=alice, name="Quentin Blake")

    # Ways to reach: created in bulk, changed by QuerySet.update, moved to another person,
    # deleted.
    method = ContactMethod(owner=alice, contact=roald, kind="email", value="bfg@giants.example")
    method.fill_folded_fields()
    ContactMethod.objects.bulk_create([method])
    method = ContactMethod.objects.get(contact=roald)
    assert names(alice, "giants") == ["Roald Dahl"]
    assert names(alice, "roald giants") == ["Roald Dahl"]
    ContactMethod.objects.filter(pk=method.pk).update(folded_value="oompa@loompa.example")
    assert names(alice, "giants") == []
    assert names(alice, "loompa roald") == ["Roald Dahl"]
    ContactMethod.objects.filter(pk=method.pk).update(contact=quentin)
    assert names(alice, "loompa") == ["Quentin Blake"]
    assert names(alice, "loompa roald") == []
    assert names(alice, "loompa quentin") == ["Quentin Blake"]
    method.delete()
    assert names(alice, "loompa") == []

    # Interests: linked, renamed (everyone who has it), unlinked, merged, deleted.
    chocolate = contact_interest_add(contact=roald, name="Chocolate")
    contact_interest_add(contact=quentin, name="Chocolate")
    assert names(alice, "chocolate") == ["Quentin Blake", "Roald Dahl"]
    assert names(alice, "roald choc") == ["Roald Dahl"]
    interest_update(interest=chocolate, name="Fudge")
    assert names(alice, "chocolate") == []
    assert names(alice, "fudge") == ["Quentin Blake", "Roald Dahl"]
    contact_interest_remove(contact=quentin, interest=chocolate)
    assert names(alice, "fudge") == ["Roald Dahl"]
    Contact.interests.through.objects.create(contact=quentin, interest=chocolate)
    assert names(alice, "fudge quentin") == ["Quentin Blake"]
    peaches = contact_interest_add(contact=quentin, name="Giant peaches")
    interests_merge(owner=alice, keep=chocolate, others=[peaches])
    assert names(alice, "peaches") == []
    assert names(alice, "fudge") == ["Quentin Blake", "Roald Dahl"]
    interest_delete(interest=chocolate)
    assert names(alice, "fudge") == []

    # A person's ways to reach and interests go with them; another owner's never show.
    ContactMethod.objects.create(owner=alice, contact=roald, kind="email", value="r@dahl.example")
    contact_interest_add(contact=roald, name="Witches")
    ContactFactory(owner=bob, name="Witches Dahl")
    assert names(alice, "witches dahl") == ["Roald Dahl"]
    roald.delete()
    assert names(alice, "witches") == []
    assert names(alice, "dahl") == []
    assert names(bob, "witches dahl") == ["Witches Dahl"]


def person_row(contact) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT flag, text FROM contacts_person_fts WHERE rowid = %s", [contact.pk])
        return cursor.fetchone()


def test_a_person_with_too_many_ways_to_reach_is_still_found(alice):
    """Stored before the limits: past 200 ways to reach, the person's index row holds only their
    own text and a flag (each further one would have rewritten all the others), and search tests
    them on every search."""
    flooded = ContactFactory(owner=alice, name="Flooded Person")
    ContactFactory(owner=alice, name="Dry Person")
    methods = []
    for n in range(201):
        method = ContactMethod(
            owner=alice, contact=flooded, kind="phone", value=f"+1 555 {n:07d}", position=n
        )
        method.fill_folded_fields()
        methods.append(method)
    ContactMethod.objects.bulk_create(methods)
    assert names(alice, "5550000150") == ["Flooded Person"]
    assert names(alice, "flooded 5550000200") == ["Flooded Person"]
    assert names(alice, "person") == ["Dry Person", "Flooded Person"]
    assert names(alice, "5550000201") == []
    if connection.vendor == "sqlite":
        assert person_row(flooded) == ("'''", "flooded person")

    # Back to 200: the row holds them all again.
    ContactMethod.objects.filter(contact=flooded, position=0).delete()
    assert names(alice, "5550000150") == ["Flooded Person"]
    assert names(alice, "5550000000") == []
    if connection.vendor == "sqlite":
        flag, text = person_row(flooded)
        assert flag == "" and "+1 555 0000150 15550000150" in text.split("\n")


# --- The index is used ---------------------------------------------------------------------


def plan(owner, query: str) -> str:
    filters = ContactFilters(query=query)
    queryset = contacts_search(owner=owner, filters=filters, today=TODAY)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few thousand rows fit in a few pages: the planner would rightly read them all
            # (or walk the owner's index); at 100,000 it picks the trigram index unprompted.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def add_fillers(owner, count: int) -> None:
    """Enough people (with an email each) that PostgreSQL's planner weighs its indexes as on a
    real address book, then the statistics it reads."""
    people = []
    for i in range(count):
        contact = Contact(owner=owner, name=f"Filler Person {i}", added_on=TODAY)
        contact.fill_folded_fields()
        people.append(contact)
    people = Contact.objects.bulk_create(people)
    methods = []
    for contact in people:
        method = ContactMethod(owner=owner, contact=contact, value=f"f{contact.pk}@example.org")
        method.fill_folded_fields()
        methods.append(method)
    ContactMethod.objects.bulk_create(methods)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_a_word_of_three_letters_or_more_uses_the_trigram_indexes(corpus):
    add_fillers(corpus, 3000)
    assert indexed(corpus, "zola") == plain_like(corpus, "zola")
    explained = plan(corpus, "zola")
    if connection.vendor == "sqlite":
        # One row per person: own text, ways to reach and interests in one index.
        assert "contacts_person_fts" in explained
        # Led by the matches, not by a walk through every contact of the owner.
        assert "contact_owner_sort" not in explained
        assert "SCAN contacts_contact " not in explained + " "
    else:
        assert "contact_search_trgm" in explained
        assert "method_search_trgm" in explained


def test_short_words_alone_do_not_touch_the_index(corpus):
    explained = plan(corpus, "an")
    assert "_fts" not in explained
    assert "_trgm" not in explained
