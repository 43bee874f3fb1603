"""Archive (out of lists, the dashboard and the sweep; reversible), delete (after a confirmation
that says what goes), and who introduced whom."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contacts_recompute_due
from interactions.models import Interaction
from reminders.models import Reminder
from reminders.services.sweep import sweep_run
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

ADDED = dt.date(2026, 11, 1)
TODAY = FROZEN_NOW.date()


def text(response) -> str:
    return html.unescape(response.content.decode())


def follow(client, response) -> str:
    assert response.status_code == 302
    return text(client.get(response.url))


def due_person(owner, name) -> Contact:
    """On a 7-day rhythm since 1 November: due since 8 November."""
    contact = ContactFactory(owner=owner, name=name, cadence_days=7, added_on=ADDED)
    contacts_recompute_due(owner=owner, contact_ids=[contact.pk])
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 11, 8)
    return contact


def archive(client, contact, archived: bool = True):
    return client.post(
        reverse("contacts:archive", args=[contact.pk]),
        {"archived": "true" if archived else "false"},
    )


def names_listed(client, **params) -> list[str]:
    page = text(client.get(reverse("contacts:list"), params))
    return re.findall(r'class="person-name" href="[^"]*">([^<]+)</a>', page)


def reminded(contact) -> bool:
    return Reminder.objects.filter(
        contact=contact, kind=Reminder.Kind.REACH_OUT, state=Reminder.State.OPEN
    ).exists()


# --- Archive --------------------------------------------------------------------------------------


def test_archive_hides_from_the_list_the_dashboard_and_the_sweep(alice_client, alice, frozen_now):
    ana = due_person(alice, "Ana Lopez")
    due_person(alice, "Bea Costa")
    assert "Ana Lopez" in text(alice_client.get(reverse("dashboard")))

    response = archive(alice_client, ana)

    assert response.url == ana.get_absolute_url()
    page = follow(alice_client, response)
    assert "Ana Lopez is archived: out of lists and reminders, not deleted." in page
    assert "Ana Lopez is archived: hidden from lists and reminders." in page
    assert Contact.objects.get(pk=ana.pk).archived is True
    assert names_listed(alice_client) == ["Bea Costa"]
    assert names_listed(alice_client, status="due") == ["Bea Costa"]
    assert names_listed(alice_client, status="archived") == ["Ana Lopez"]
    dashboard = text(alice_client.get(reverse("dashboard")))
    assert "Bea Costa" in dashboard and "Ana Lopez" not in dashboard

    report = sweep_run(now=FROZEN_NOW)

    assert report.reminders_opened == 1
    assert not reminded(ana)
    assert Reminder.objects.get().contact.name == "Bea Costa"


def test_unarchive_brings_them_back_everywhere(alice_client, alice, frozen_now):
    ana = due_person(alice, "Ana Lopez")
    archive(alice_client, ana)
    sweep_run(now=FROZEN_NOW)
    assert not reminded(ana)

    response = archive(alice_client, ana, archived=False)

    assert "Ana Lopez is back in your network." in follow(alice_client, response)
    assert Contact.objects.get(pk=ana.pk).archived is False
    assert names_listed(alice_client) == ["Ana Lopez"]
    assert names_listed(alice_client, status="archived") == []
    assert "Ana Lopez" in text(alice_client.get(reverse("dashboard")))
    sweep_run(now=FROZEN_NOW + dt.timedelta(minutes=5))
    assert reminded(ana)


def test_archiving_keeps_the_history_and_the_dates(alice_client, alice, frozen_now):
    ana = due_person(alice, "Ana Lopez")
    InteractionFactory(owner=alice, contacts=[ana], notes="Coffee at the harbour")
    contacts_recompute_due(owner=alice)
    before = Contact.objects.get(pk=ana.pk)
    archive(alice_client, ana)
    after = Contact.objects.get(pk=ana.pk)
    assert (after.last_interaction_on, after.next_reach_out_on) == (
        before.last_interaction_on,
        before.next_reach_out_on,
    )
    assert Interaction.objects.filter(contacts=ana).count() == 1
    assert "Coffee at the harbour" in text(alice_client.get(ana.get_absolute_url()))


def test_bob_cannot_archive_alices_contact(bob_client, alice, frozen_now):
    ana = due_person(alice, "Ana Lopez")
    assert archive(bob_client, ana).status_code == 404
    assert Contact.objects.get(pk=ana.pk).archived is False


def test_archive_only_accepts_post(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    assert alice_client.get(reverse("contacts:archive", args=[ana.pk])).status_code == 405
    assert Contact.objects.get(pk=ana.pk).archived is False


def test_the_contact_page_title_is_the_name(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "<title>Ana Lopez · network-crm</title>" in page
    assert page.count(f'action="{reverse("contacts:archive", args=[ana.pk])}"') == 1


# --- Delete one person ----------------------------------------------------------------------------


@pytest.fixture
def ana_with_history(alice):
    ana = due_person(alice, "Ana Lopez")
    bea = due_person(alice, "Bea Costa")
    InteractionFactory(owner=alice, contacts=[ana], notes="Just Ana")
    InteractionFactory(owner=alice, contacts=[ana, bea], notes="Ana and Bea")
    InteractionFactory(owner=alice, contacts=[bea], notes="Just Bea")
    contacts_recompute_due(owner=alice)
    for contact in [ana, bea]:
        Reminder.objects.create(
            owner=alice, contact=contact, kind=Reminder.Kind.REACH_OUT, due_on=TODAY
        )
    return ana, bea


def test_delete_asks_first_saying_what_goes(alice_client, alice, ana_with_history, frozen_now):
    ana, _ = ana_with_history
    response = alice_client.get(reverse("contacts:delete", args=[ana.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Delete Ana Lopez?</h1>" in page
    assert "This can't be undone." in page
    assert "Going with them: their notes, interests, important dates and reminders" in page
    assert "they are removed from 2 logged interactions" in page
    assert "archive instead" in page
    assert f'<a class="button secondary" href="{ana.get_absolute_url()}">Keep them</a>' in page
    assert Contact.objects.count() == 2
    assert Reminder.objects.count() == 2
    assert Interaction.objects.count() == 3


def test_the_confirmation_for_someone_without_history(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    page = text(alice_client.get(reverse("contacts:delete", args=[ana.pk])))
    assert "their notes, interests, important dates and reminders." in page
    assert "logged interaction" not in page


def test_delete_after_confirming(alice_client, alice, ana_with_history, frozen_now):
    ana, bea = ana_with_history
    bea_before = Contact.objects.get(pk=bea.pk)

    response = alice_client.post(reverse("contacts:delete", args=[ana.pk]))

    assert response.url == reverse("contacts:list")
    assert "Ana Lopez was deleted." in follow(alice_client, response)
    assert list(Contact.objects.values_list("name", flat=True)) == ["Bea Costa"]
    assert list(Reminder.objects.values_list("contact", flat=True)) == [bea.pk]
    assert set(Interaction.objects.values_list("notes", flat=True)) == {"Ana and Bea", "Just Bea"}
    shared = Interaction.objects.get(notes="Ana and Bea")
    assert list(shared.contacts.all()) == [bea]
    bea_after = Contact.objects.get(pk=bea.pk)
    assert bea_after.last_interaction_on == bea_before.last_interaction_on
    assert bea_after.next_reach_out_on == bea_before.next_reach_out_on


def test_deleting_an_introducer_keeps_the_people_they_introduced(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa", introduced_by=ana)
    alice_client.post(reverse("contacts:delete", args=[ana.pk]))
    bea.refresh_from_db()
    assert bea.introduced_by is None


def test_bob_cannot_see_or_delete_alices_contact(bob_client, alice, ana_with_history):
    ana, _ = ana_with_history
    url = reverse("contacts:delete", args=[ana.pk])
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url).status_code == 404
    assert Contact.objects.filter(pk=ana.pk).exists()
    assert Reminder.objects.count() == 2 and Interaction.objects.count() == 3


# --- Who introduced whom --------------------------------------------------------------------------


def set_introducer(client, contact, introducer):
    return client.post(
        reverse("contacts:introducer", args=[contact.pk]),
        {"introduced_by": introducer.pk if introducer else ""},
    )


def test_set_the_introducer_and_see_it_on_both_pages(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa")
    carl = ContactFactory(owner=alice, name="Carl Jensen")

    response = set_introducer(alice_client, bea, ana)
    assert response.status_code == 302
    assert response.url == bea.get_absolute_url()
    set_introducer(alice_client, carl, ana)

    bea.refresh_from_db()
    assert bea.introduced_by == ana
    bea_page = text(alice_client.get(bea.get_absolute_url()))
    introduced_by = re.search(
        r"<h3>Introduced by</h3>\s*<p><a href=\"([^\"]+)\">([^<]+)</a></p>", bea_page
    )
    assert introduced_by is not None
    assert introduced_by.groups() == (ana.get_absolute_url(), "Ana Lopez")
    ana_page = text(alice_client.get(ana.get_absolute_url()))
    introduced = re.search(r"<h3>Introduced you to</h3>\s*<ul>(.*?)</ul>", ana_page, re.S)
    assert introduced is not None
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', introduced.group(1)) == [
        (bea.get_absolute_url(), "Bea Costa"),
        (carl.get_absolute_url(), "Carl Jensen"),
    ]
    assert "Introduced you to" not in bea_page


def test_archived_people_are_not_listed_as_introduced(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    ContactFactory(owner=alice, name="Gone Person", introduced_by=ana, archived=True)
    page = text(alice_client.get(ana.get_absolute_url()))
    assert "Introduced you to" not in page and "Gone Person" not in page


def test_clear_the_introducer(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa", introduced_by=ana)
    set_introducer(alice_client, bea, None)
    bea.refresh_from_db()
    assert bea.introduced_by is None
    assert "Who introduced you?" in text(alice_client.get(bea.get_absolute_url()))


def test_bobs_contact_cannot_be_the_introducer(alice_client, alice, bob):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa", introduced_by=ana)
    bobs = ContactFactory(owner=bob, name="Bob's friend")
    assert set_introducer(alice_client, bea, bobs).status_code == 404
    bea.refresh_from_db()
    assert bea.introduced_by == ana


def test_bob_cannot_set_the_introducer_of_alices_contact(bob_client, alice, bob):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa")
    assert set_introducer(bob_client, bea, ana).status_code == 404
    url = reverse("contacts:introducer", args=[bea.pk])
    assert bob_client.get(url, {"q": "ana"}).status_code == 404
    bea.refresh_from_db()
    assert bea.introduced_by is None


def test_nobody_introduces_themselves(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    response = set_introducer(alice_client, ana, ana)
    assert "Someone can't introduce themselves." in follow(alice_client, response)
    ana.refresh_from_db()
    assert ana.introduced_by is None


def test_introducer_search_returns_only_the_owners_active_matches(alice_client, alice, bob):
    bea = ContactFactory(owner=alice, name="Ana Beatriz")  # the one being edited: never offered
    ContactFactory(owner=alice, name="Ana Lopez")
    ContactFactory(owner=alice, name="Anabel Émile")
    ContactFactory(owner=alice, name="Ana Archived", archived=True)
    ContactFactory(owner=alice, name="Zack Other")
    ContactFactory(owner=bob, name="Ana Bobsfriend")
    url = reverse("contacts:introducer", args=[bea.pk])

    def offered(query: str) -> list[str]:
        response = alice_client.get(url, {"q": query})
        assert response.status_code == 200
        assert "<html" not in text(response)
        return re.findall(r'<button [^>]*type="submit">([^<]+)</button>', text(response))

    assert offered("ana") == ["Ana Lopez", "Anabel Émile"]
    assert offered("EMILE") == ["Anabel Émile"]
    assert offered("ana lopez") == ["Ana Lopez"]
    assert offered("") == []
    assert offered("bobsfriend") == []
    page = text(alice_client.get(url, {"q": "lopez"}))
    ana = Contact.objects.get(name="Ana Lopez")
    assert f'name="introduced_by" value="{ana.pk}"' in page


def test_introducer_search_shows_at_most_eight(alice_client, alice):
    bea = ContactFactory(owner=alice, name="Bea Costa")
    for index in range(10):
        ContactFactory(owner=alice, name=f"Ana {index}")
    page = text(alice_client.get(reverse("contacts:introducer", args=[bea.pk]), {"q": "ana"}))
    assert page.count('name="introduced_by"') == 8
