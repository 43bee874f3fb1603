"""Two-way sync with a real client: what changes on either side reaches the other, nothing is
lost when both change the same card, and repeated syncs add nobody (issue 17, "Tests")."""

from __future__ import annotations

import pytest

from contacts.models import Circle, Contact, ContactMethod
from contacts.services import contacts_bulk_delete, contacts_set_flags
from dav.models import CardConflict, DavSettings
from tests.dav.vdirsyncer.conftest import vcard
from tests.factories import ContactFactory

pytestmark = [pytest.mark.integration, pytest.mark.one_pass]


def person(owner, name: str, *, email: str = "", company: str = "", circle=None) -> Contact:
    contact = ContactFactory(owner=owner, name=name, company=company, circle=circle)
    if email:
        ContactMethod.objects.create(owner=owner, contact=contact, kind="email", value=email)
    return contact


def lines(path) -> list[str]:
    return path.read_text().splitlines()


def assert_settled(phone, owner) -> None:
    """A further sync changes nothing on either side: nobody added, nobody doubled. (One sync
    first: a card the phone sent and the server stored in its own form, e.g. with a PRODID, comes
    back without an ETag on the PUT, as RFC 7231 4.3.4 requires, and vdirsyncer fetches the
    stored form on the next sync.)"""
    phone.sync()
    cards, people = phone.cards(), Contact.objects.filter(owner=owner).count()
    phone.sync()
    assert phone.cards() == cards
    assert Contact.objects.filter(owner=owner).count() == people


def test_a_card_edited_on_each_side_reaches_the_other(phone, alice):
    ana = person(alice, "Ana Lima", email="ana@example.org", company="Atelier")
    ben = person(alice, "Ben Ode", email="ben@example.org")
    phone.sync()

    ana.company = "Atelier Lima"
    ana.save()
    phone.edit(phone.card_named("Ben Ode"), "ben@example.org", "ben.ode@example.net")
    phone.sync()

    assert "ORG:Atelier Lima" in lines(phone.card_named("Ana Lima"))
    assert list(ben.methods.values_list("value", flat=True)) == ["ben.ode@example.net"]
    assert_settled(phone, alice)


def test_a_card_created_on_each_side_reaches_the_other(phone, alice):
    person(alice, "Ana Lima")
    phone.sync()

    person(alice, "Cleo Park", email="cleo@example.org")
    phone.add(vcard("Dan Silva", email="dan@example.org", tel="+351 912 000 111"))
    phone.sync()

    dan = Contact.objects.get(owner=alice, name="Dan Silva")
    assert sorted(dan.methods.values_list("value", flat=True)) == [
        "+351 912 000 111",
        "dan@example.org",
    ]
    assert "cleo@example.org" in phone.card_named("Cleo Park").read_text()
    assert len(phone.cards()) == 3
    assert_settled(phone, alice)


def test_a_card_deleted_on_each_side(phone, alice):
    ana = person(alice, "Ana Lima")
    ben = person(alice, "Ben Ode")
    cleo = person(alice, "Cleo Park")
    person(alice, "Dan Silva")
    phone.sync()

    # In the app: Ana archived, Ben deleted for good; on the phone: Cleo deleted.
    contacts_set_flags(owner=alice, contact_ids=[ana.pk], archived=True)
    contacts_bulk_delete(owner=alice, contact_ids=[ben.pk])
    phone.card_named("Cleo Park").unlink()
    phone.sync()

    names = sorted(
        line[3:]
        for text in phone.cards().values()
        for line in text.splitlines()
        if line.startswith("FN:")
    )
    assert names == ["Dan Silva"]
    # A phone's delete archives (the default): history kept, undo from the app.
    cleo.refresh_from_db()
    assert cleo.archived
    assert_settled(phone, alice)


def test_a_delete_on_the_phone_deletes_when_the_setting_says_so(phone, alice):
    DavSettings.objects.update_or_create(
        owner=alice, defaults={"on_phone_delete": DavSettings.OnPhoneDelete.DELETE}
    )
    cleo = person(alice, "Cleo Park")
    person(alice, "Dan Silva")
    phone.sync()

    phone.card_named("Cleo Park").unlink()
    phone.sync()

    assert not Contact.objects.filter(pk=cleo.pk).exists()
    assert len(phone.cards()) == 1
    assert_settled(phone, alice)


def test_different_fields_edited_on_both_sides_both_survive(phone, alice):
    ana = person(alice, "Ana Lima", email="ana@example.org", company="Atelier")
    phone.sync()

    ana.company = "Atelier Lima"
    ana.save()
    phone.edit(phone.card_named("Ana Lima"), "ana@example.org", "ana.lima@example.net")
    phone.sync()

    ana.refresh_from_db()
    assert ana.company == "Atelier Lima"
    assert list(ana.methods.values_list("value", flat=True)) == ["ana.lima@example.net"]
    # The server stored a merge, not what the phone sent: no ETag on the PUT, so the phone
    # fetches the merged card on its next sync.
    phone.sync()
    card = lines(phone.card_named("Ana Lima"))
    assert "ORG:Atelier Lima" in card
    assert any(line.endswith(":ana.lima@example.net") for line in card)
    assert not CardConflict.objects.filter(owner=alice).exists()
    assert_settled(phone, alice)


def test_the_same_field_edited_on_both_sides_keeps_both_values(phone, alice, alice_client):
    """The configured rule: the phone's value wins (vdirsyncer sends it: "b wins") and the
    app's value is kept as a conflict the person's page offers to restore."""
    ana = person(alice, "Ana Lima", company="Atelier")
    phone.sync()

    ana.company = "Atelier in the app"
    ana.save()
    phone.edit(phone.card_named("Ana Lima"), "ORG:Atelier", "ORG:Atelier on the phone")
    phone.sync()

    ana.refresh_from_db()
    assert ana.company == "Atelier on the phone"
    assert "ORG:Atelier on the phone" in lines(phone.card_named("Ana Lima"))
    conflict = CardConflict.objects.get(owner=alice, contact=ana)
    assert conflict.field == "company"
    assert (conflict.device_value, conflict.replaced_value) == (
        "Atelier on the phone",
        "Atelier in the app",
    )
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "Atelier in the app" in page
    assert "Restore" in page
    assert_settled(phone, alice)


def test_only_the_chosen_circles_sync_and_a_new_choice_applies_on_the_next_sync(phone, alice):
    close = Circle.objects.create(owner=alice, name="Close friends")
    work = Circle.objects.create(owner=alice, name="Work")
    person(alice, "Ana Lima", circle=close)
    person(alice, "Ben Ode", circle=work)
    person(alice, "Cleo Park")
    settings, _ = DavSettings.objects.get_or_create(owner=alice)
    settings.sync_everyone = False
    settings.save()
    settings.circles.set([close])
    phone.sync()

    assert len(phone.cards()) == 1
    assert "CATEGORIES:Close friends" in lines(phone.card_named("Ana Lima"))

    from dav.sync import addressbook_invalidate

    settings.circles.set([work])
    addressbook_invalidate(owner=alice)
    phone.sync()

    assert len(phone.cards()) == 1
    phone.card_named("Ben Ode")
    assert_settled(phone, alice)
