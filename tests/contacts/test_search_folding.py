"""One folding rule (network_crm.text.fold) for every search: apostrophes of any kind vanish and
hyphens are spaces, in the stored columns and in the query alike, and a migration rebuilds the
columns stored under the old rule."""

from __future__ import annotations

import html
import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from contacts.models import Contact, ContactMethod, Interest
from contacts.services import contact_interest_add, interest_get_or_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

APOSTROPHES = ["'", "\u2019", "\u02bc", "\u2018", "`"]
MIGRATION = importlib.import_module("contacts.migrations.0012_fold_apostrophes_hyphens")


def refold() -> None:
    """The migration's function, with the models as they were just before it (as migrate runs it)."""
    state = MigrationExecutor(connection).loader.project_state(MIGRATION.Migration.dependencies)
    # A column dropped since then (contacts 0015) is not in the table the test database has.
    state.remove_field("contacts", "contact", "import_batch")
    MIGRATION.refold(state.apps)


def names_in(response) -> list[str]:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return re.findall(r'class="person-name" href="[^"]*">([^<]+)</a>', page)


def search(client, query: str) -> list[str]:
    return names_in(client.get(reverse("contacts:list"), {"q": query}))


@pytest.fixture
def people(alice):
    ContactFactory(owner=alice, name="Marcus O'Brien")
    ContactFactory(owner=alice, name="Anne-Marie D\u2019Arcy")
    ContactFactory(owner=alice, name="Bea Costa")


@pytest.mark.parametrize(
    "query",
    ["obrien", "OBrien", "O'Brien", "O\u2019Brien", "o\u02bcbrien", "O\u2018Brien", "O`Brien"],
)
def test_every_apostrophe_spelling_finds_obrien(alice_client, people, query):
    assert search(alice_client, query) == ["Marcus O'Brien"]


@pytest.mark.parametrize(
    "query", ["darcy", "D'Arcy", "d\u2019arcy", "anne marie", "Anne-Marie", "marie", "annemarie"]
)
def test_hyphens_are_spaces_and_apostrophes_vanish_for_darcy(alice_client, people, query):
    expected = [] if query == "annemarie" else ["Anne-Marie D\u2019Arcy"]
    assert search(alice_client, query) == expected


@pytest.mark.parametrize("apostrophe", APOSTROPHES)
def test_a_name_stored_with_any_apostrophe_is_found_by_the_plain_word(
    alice_client, alice, apostrophe
):
    ContactFactory(owner=alice, name=f"Siobh\u00e1n O{apostrophe}Neill")
    ContactFactory(owner=alice, name="Someone Else")
    assert search(alice_client, "oneill") == [f"Siobh\u00e1n O{apostrophe}Neill"]
    assert search(alice_client, "o'neill siobhan") == [f"Siobh\u00e1n O{apostrophe}Neill"]


def test_emails_links_and_interests_fold_the_same_way(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    ContactMethod.objects.create(owner=alice, contact=ana, kind="email", value="ana-lopez@ex.org")
    bea = ContactFactory(owner=alice, name="Bea Costa")
    contact_interest_add(contact=bea, name="Rock\u2019n\u2019roll")
    assert search(alice_client, "ana-lopez@ex.org") == ["Ana Lopez"]
    assert search(alice_client, "rocknroll") == ["Bea Costa"]
    assert search(alice_client, "rock'n'roll") == ["Bea Costa"]


def test_the_interest_pages_and_suggestions_fold_the_same_way(alice_client, alice):
    contact_interest_add(
        contact=ContactFactory(owner=alice, name="Ana"), name="Rock\u2019n\u2019roll"
    )
    page = alice_client.get(reverse("contacts:interests"), {"q": "rock'n'roll"})
    assert "Rock\u2019n\u2019roll" in html.unescape(page.content.decode())
    page = alice_client.get(reverse("contacts:interest_suggest"), {"name": "rock'n"})
    assert "Rock\u2019n\u2019roll" in html.unescape(page.content.decode())


def test_introducer_search_folds_the_same_way(alice_client, alice, people):
    contact = ContactFactory(owner=alice, name="New Friend")
    url = reverse("contacts:introducer", args=[contact.pk])
    page = html.unescape(alice_client.get(url, {"q": "o\u2019brien"}).content.decode())
    assert "Marcus O'Brien" in page and "Bea Costa" not in page
    page = html.unescape(alice_client.get(url, {"q": "darcy"}).content.decode())
    assert "Anne-Marie D\u2019Arcy" in page


def test_admin_search_folds_the_same_way(client, alice, people):
    client.force_login(alice)
    page = client.get(reverse("admin:contacts_contact_changelist"), {"q": "O\u2019Brien"})
    text = html.unescape(page.content.decode())
    assert "Marcus O'Brien" in text and "Bea Costa" not in text


def test_names_differing_only_in_apostrophes_or_hyphens_are_suggested_duplicates(
    alice_client, alice
):
    ContactFactory(owner=alice, name="Anne-Marie O'Brien")
    ContactFactory(owner=alice, name="anne marie obrien")
    page = alice_client.get(reverse("portability:duplicates")).content.decode()
    assert "same name" in page


def test_interest_spellings_differing_in_apostrophes_or_hyphens_are_one(alice):
    first = interest_get_or_create(owner=alice, name="Rock-n-roll")
    assert interest_get_or_create(owner=alice, name="rock n roll") == first
    assert interest_get_or_create(owner=alice, name="Rock\u2013n\u2013Roll") == first
    assert interest_get_or_create(owner=alice, name="Rock'n'roll") != first  # "rocknroll"
    assert Interest.objects.filter(owner=alice).count() == 2


# --- The migration rebuilds what the old rule stored ---------------------------------------------


def old_fold(text: str) -> str:
    """The rule before: apostrophes and hyphens kept as typed (case and accents folded)."""
    return " ".join(text.lower().split())


def test_the_migration_refolds_contacts_and_their_methods(alice_client, alice, bob):
    marcus = ContactFactory(owner=alice, name="Marcus O\u2019Brien", company="Smith-Jones")
    email = ContactMethod.objects.create(
        owner=alice, contact=marcus, kind="email", value="m.o'brien@ex.org"
    )
    bobs = ContactFactory(owner=bob, name="Anne-Marie D'Arcy")
    for contact in (marcus, bobs):
        Contact.objects.filter(pk=contact.pk).update(
            search_text=old_fold(f"{contact.name} {contact.company}".strip()),
            sort_name=old_fold(contact.name),
        )
    ContactMethod.objects.filter(pk=email.pk).update(folded_value="m.o'brien@ex.org")
    assert search(alice_client, "obrien") == []  # what users saw before the migration

    refold()

    assert search(alice_client, "obrien") == ["Marcus O\u2019Brien"]
    assert search(alice_client, "jones") == ["Marcus O\u2019Brien"]
    assert search(alice_client, "m.obrien@ex") == ["Marcus O\u2019Brien"]
    assert Contact.objects.get(pk=marcus.pk).sort_name == "marcus obrien"
    assert Contact.objects.get(pk=bobs.pk).search_text == "anne marie darcy"
    assert ContactMethod.objects.get(pk=email.pk).folded_value == "m.obrien@ex.org"


def test_the_migration_merges_interests_the_new_rule_makes_one(alice, bob):
    ana = ContactFactory(owner=alice, name="Ana")
    bea = ContactFactory(owner=alice, name="Bea")
    cara = ContactFactory(owner=alice, name="Cara")
    # Stored under the old rule, where these were different interests (bulk_create skips the
    # save() that would fold them with the new one).
    oldest, hyphens, dashes, quotes, bobs = Interest.objects.bulk_create(
        Interest(owner=owner, name=name, folded_name=old_fold(name), mine=mine)
        for owner, name, mine in [
            (alice, "rock n roll", False),
            (alice, "Rock-n-Roll", True),
            (alice, "Rock\u2013n\u2013Roll", False),
            (alice, "Rock'n'roll", False),
            (bob, "Rock-n-Roll", False),
        ]
    )
    ana.interests.add(oldest, hyphens)
    bea.interests.add(hyphens, dashes)
    cara.interests.add(quotes)

    refold()

    alices = {i.name: (i.folded_name, i.mine) for i in Interest.objects.filter(owner=alice)}
    assert alices == {"rock n roll": ("rock n roll", True), "Rock'n'roll": ("rocknroll", False)}
    assert list(ana.interests.values_list("name", flat=True)) == ["rock n roll"]
    assert list(bea.interests.values_list("name", flat=True)) == ["rock n roll"]
    assert list(cara.interests.values_list("name", flat=True)) == ["Rock'n'roll"]
    # Bob's stay his, refolded.
    assert Interest.objects.get(pk=bobs.pk).folded_name == "rock n roll"
    # And the merged interest is reused from now on, not created again.
    assert interest_get_or_create(owner=alice, name="Rock-n-Roll").pk == oldest.pk
