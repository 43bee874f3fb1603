from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactMethod, ImportantDate
from contacts.services import contact_interest_add
from reminders.models import Reminder
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def method(contact, kind, value):
    return ContactMethod.objects.create(
        owner=contact.owner, contact=contact, kind=kind, value=value
    )


@pytest.fixture
def twins(alice):
    first = ContactFactory(owner=alice, name="Émile Zola", company="Grasset", cadence_days=30)
    second = ContactFactory(owner=alice, name="emile zola", city="Paris", notes="met in Aix")
    method(first, "email", "emile@example.com")
    method(second, "email", "EMILE@example.com")
    method(second, "phone", "+33 6 12 34 56 78")
    ImportantDate.objects.create(owner=alice, contact=second, kind="birthday", month=4, day=2)
    contact_interest_add(contact=first, name="Jazz")
    contact_interest_add(contact=second, name="Novels")
    InteractionFactory(
        owner=alice, contacts=[first], occurred_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    )
    InteractionFactory(
        owner=alice, contacts=[second], occurred_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    )
    Reminder.objects.create(
        owner=alice, contact=second, kind="follow_up", due_on=dt.date(2026, 9, 9), note="send book"
    )
    return first, second


def test_suggests_pairs_with_reasons_and_only_mine(alice_client, alice, bob, twins):
    other = ContactFactory(owner=alice, name="Kwame")
    method(other, "phone", "06 12 34 56 78")
    bobs = ContactFactory(owner=bob, name="Émile Zola")
    html = alice_client.get(reverse("portability:duplicates")).content.decode()
    assert "same name" in html and "same email emile@example.com" in html
    assert "same phone ending 5678" in html and "Kwame" in html
    assert f"/contacts/{bobs.pk}/" not in html


def test_merge_moves_everything_and_undo_restores_it(alice_client, alice, twins):
    first, second = twins
    url = reverse("portability:merge", args=[first.pk, second.pk])
    assert "Same person?" in alice_client.get(url).content.decode()
    response = alice_client.post(
        url, {"pick_city": "other", "pick_notes": "other", "pick_name": "survivor"}
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert (first.name, first.company, first.city, first.notes) == (
        "Émile Zola",
        "Grasset",
        "Paris",
        "met in Aix",
    )
    assert sorted(first.methods.values_list("value", flat=True)) == [
        "+33 6 12 34 56 78",
        "emile@example.com",
    ]
    assert first.dates.count() == 1
    assert set(first.interests.values_list("name", flat=True)) == {"Jazz", "Novels"}
    assert first.interactions.count() == 2
    assert first.last_interaction_on == dt.date(2026, 9, 1)
    assert first.reminders.get().note == "send book"

    html = alice_client.get(reverse("portability:duplicates")).content.decode()
    assert "Undo merge" in html
    merge = first.merges.get()
    alice_client.post(reverse("portability:merge_undo", args=[merge.pk]))
    restored = Contact.objects.get(pk=second.pk)
    first.refresh_from_db()
    assert restored.name == "emile zola" and restored.city == "Paris"
    assert (first.city, first.notes) == ("", "")
    assert sorted(restored.methods.values_list("value", flat=True)) == [
        "+33 6 12 34 56 78",
        "EMILE@example.com",
    ]
    assert list(first.methods.values_list("value", flat=True)) == ["emile@example.com"]
    assert set(first.interests.values_list("name", flat=True)) == {"Jazz"}
    assert set(restored.interests.values_list("name", flat=True)) == {"Novels"}
    assert first.interactions.count() == 1 and restored.interactions.count() == 1
    assert restored.reminders.get().note == "send book"
    assert restored.dates.count() == 1


def test_not_duplicates_is_remembered(alice_client, alice, twins):
    first, second = twins
    alice_client.post(
        reverse("portability:merge", args=[first.pk, second.pk]), {"not_duplicates": "1"}
    )
    html = alice_client.get(reverse("portability:duplicates")).content.decode()
    assert "No likely duplicates" in html
    assert Contact.objects.filter(pk=second.pk).exists()


def test_cannot_merge_someone_elses_contact(alice_client, alice, bob):
    mine = ContactFactory(owner=alice)
    theirs = ContactFactory(owner=bob)
    assert (
        alice_client.post(reverse("portability:merge", args=[mine.pk, theirs.pk])).status_code
        == 404
    )
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_merge_keeps_one_live_reach_out_reminder(alice, twins):
    from portability.duplicates import contacts_merge

    first, second = twins
    CircleFactory(owner=alice)
    Reminder.objects.create(
        owner=alice, contact=first, kind="reach_out", due_on=dt.date(2026, 1, 1)
    )
    Reminder.objects.create(
        owner=alice, contact=second, kind="reach_out", due_on=dt.date(2026, 1, 2)
    )
    contacts_merge(survivor=first, other=second, picks={}, today=dt.date(2026, 11, 28))
    assert Reminder.objects.filter(contact=first, kind="reach_out", state="open").count() == 1


def test_a_merged_away_imported_person_goes_back_to_their_import_on_undo(alice, twins):
    """The link from an import to the people it created is portability's (ImportedContact): a
    merge keeps it in its snapshot, so after an undo, undoing the import still removes them."""
    from network_crm.clock import now
    from portability.duplicates import contacts_merge, merge_undo
    from portability.imports import import_undo
    from portability.models import ImportBatch, ImportedContact

    first, second = twins
    batch = ImportBatch.objects.create(owner=alice, kind="vcard", text="", state="done")
    ImportedContact.objects.create(batch=batch, contact=second)
    merge = contacts_merge(survivor=first, other=second, picks={}, today=dt.date(2026, 11, 28))
    assert not ImportedContact.objects.exists()
    assert merge.snapshot["other"]["import_batch"] == batch.pk
    restored = merge_undo(merge=merge, now=now())
    assert list(restored.import_batches.all()) == [batch]
    assert import_undo(batch=batch)[0] == 1
    assert not Contact.objects.filter(pk=restored.pk).exists()
    assert Contact.objects.filter(pk=first.pk).exists()
