"""Card writes from a device: create, three-way merge, conflicts with Restore, duplicates offered,
deletes archiving or deleting, and refused cards leaving nothing behind."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from accounts.services import app_password_create
from contacts.models import Circle, Contact, ContactMethod, ImportantDate
from contacts.services import contact_save
from dav.cards import VCARD_3, card_fields, card_render, contacts_for_cards
from dav.models import Card, CardConflict, DavSettings, DeviceSync
from dav.services import CardRejected, card_conflict_restore, card_put, card_remove
from portability.duplicates import duplicate_pairs
from tests.factories import ContactFactory

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
SAMPLES = Path(__file__).parent.parent / "cards" / "samples"


@pytest.fixture
def phone(alice):
    app_password, _ = app_password_create(owner=alice, name="Alice's iPhone")
    return app_password


def put(owner, text, *, card=None, href="new.vcf", app_password=None):
    return card_put(
        owner=owner, href=href, text=text, card=card, app_password=app_password, now=NOW
    )


def reload(contact):
    return contacts_for_cards(Contact.objects.filter(pk=contact.pk)).get()


def device_lists(app_password, card):
    """The device listed the collection up to the card's current version."""
    DeviceSync.objects.update_or_create(
        owner=app_password.owner,
        app_password=app_password,
        kind="cards",
        defaults={"seq": card.seq},
    )


def test_a_card_from_an_iphone_becomes_a_contact_with_every_detail(alice, phone):
    Circle.objects.update_or_create(owner=alice, name="Friends", defaults={"cadence_days": 30})
    card = put(alice, (SAMPLES / "ios_30.vcf").read_text(), href="4A5F.vcf", app_password=phone)
    contact = reload(card.contact)
    assert contact.name == "Anna Lefèvre"
    assert contact.uid == "4A5F1E2C-1B3D-4C5E-9F00-ABCDEF123456" == card.uid
    assert card.href == "4A5F.vcf"
    assert contact.circle.name == "Friends"  # the card's category naming a circle
    assert contact.city == "Lyon"
    assert contact.search_text  # the search fields are filled
    assert contact.next_reach_out_on == dt.date(2026, 11, 28) + dt.timedelta(days=30)  # due rule
    assert list(contact.methods.filter(kind="phone").values_list("label", "value")) == [
        ("cell", "+33 6 12 34 56 78"),
        ("Studio (ask for Anna, 2nd floor)", "+33 1 42 00 00 00"),
    ]
    birthday = contact.dates.get(kind="birthday")
    assert (birthday.month, birthday.day, birthday.year) == (3, 14, None)
    served = card_render(contact, extra=card.extra, version=VCARD_3)
    assert "item6.X-ABRELATEDNAMES;type=pref:Paul\r\n" in served
    assert card.history[-1]["fields"] == card_fields(contact)


def test_different_fields_edited_on_each_side_both_survive(alice, phone):
    card = put(alice, (SAMPLES / "davx5_40.vcf").read_text(), app_password=phone)
    device_lists(phone, card)
    contact = reload(card.contact)
    contact.role = "Architect"  # edited in the app
    contact_save(contact=contact, today=NOW.date())
    edited = (SAMPLES / "davx5_40.vcf").read_text().replace("Brother of", "Cousin of")
    card = put(alice, edited, card=card, app_password=phone)
    contact = reload(contact)
    assert contact.role == "Architect"
    assert contact.notes == "Cousin of João, lives in Lisbon."
    assert not CardConflict.objects.filter(contact=contact).exists()


def test_the_same_field_edited_on_both_sides_keeps_the_phones_and_offers_to_restore(
    alice, phone, client
):
    card = put(alice, (SAMPLES / "davx5_40.vcf").read_text(), app_password=phone)
    device_lists(phone, card)
    contact = reload(card.contact)
    contact.notes = "Edited in the app"
    contact_save(contact=contact, today=NOW.date())
    edited = (SAMPLES / "davx5_40.vcf").read_text().replace("Brother of", "Cousin of")
    put(alice, edited, card=card, app_password=phone)
    contact = reload(contact)
    assert contact.notes == "Cousin of João, lives in Lisbon."
    conflict = CardConflict.objects.get(contact=contact, field="notes")
    assert conflict.device_name == "Alice's iPhone"

    client.force_login(alice)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "Edited in the app" in page and "Restore yours" in page
    response = client.post(f"/contacts/card-conflicts/{conflict.pk}/settle/", {"action": "restore"})
    assert response.status_code == 302
    assert reload(contact).notes == "Edited in the app"
    assert "Restore yours" not in client.get(contact.get_absolute_url()).content.decode()


def test_restore_puts_back_a_list_of_phones(alice, phone):
    card = put(alice, (SAMPLES / "davx5_40.vcf").read_text(), app_password=phone)
    device_lists(phone, card)
    contact = reload(card.contact)
    ContactMethod.objects.filter(contact=contact, kind="phone").update(value="+351 999 999 999")
    contact_save(contact=contact, today=NOW.date())
    edited = (SAMPLES / "davx5_40.vcf").read_text().replace("+351 912 345 678", "+351 911 111 111")
    put(alice, edited, card=card, app_password=phone)
    conflict = CardConflict.objects.get(contact=contact, field="phones")
    card_conflict_restore(conflict=conflict, now=NOW)
    values = list(reload(contact).methods.filter(kind="phone").values_list("value", flat=True))
    assert values == ["+351 999 999 999", "+351 999 999 999"]


def test_a_phone_created_card_matching_someone_is_offered_as_a_duplicate(alice, phone, client):
    existing = ContactFactory(owner=alice, name="Bruno C.")
    ContactMethod.objects.create(
        owner=alice, contact=existing, kind="email", value="bruno@example.pt"
    )
    card = put(alice, (SAMPLES / "davx5_40.vcf").read_text(), app_password=phone)
    assert Contact.objects.filter(owner=alice).count() == 2  # never merged silently
    pairs = duplicate_pairs(owner=alice)
    assert {(p.first.pk, p.second.pk) for p in pairs} == {(existing.pk, card.contact_id)}
    client.force_login(alice)
    page = client.get(card.contact.get_absolute_url()).content.decode()
    assert "Compare and merge" in page and "bruno@example.pt" in page
    assert f"/contacts/{existing.pk}/merge/{card.contact_id}/" in page


def test_a_delete_from_the_phone_archives_or_deletes_per_the_setting(alice, phone, bob):
    card = put(alice, (SAMPLES / "thunderbird_40.vcf").read_text(), app_password=phone)
    card_remove(owner=alice, card=card, now=NOW)
    card.refresh_from_db()
    assert card.deleted and Contact.objects.get(pk=card.contact_id).archived

    DavSettings.objects.create(owner=alice, on_phone_delete="delete")
    second = put(alice, (SAMPLES / "evolution_30.vcf").read_text(), href="e.vcf")
    contact_id = second.contact_id
    card_remove(owner=alice, card=second, now=NOW)
    second.refresh_from_db()
    assert second.deleted and not Contact.objects.filter(pk=contact_id).exists()


def test_a_refused_card_stores_nothing(alice, phone):
    with pytest.raises(CardRejected, match="no name"):
        put(alice, "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nEND:VCARD\r\n")
    not_a_picture = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\nPHOTO:data:image/jpeg;base64,aGVsbG8=\r\nEND:VCARD\r\n"
    with pytest.raises(CardRejected, match="photo"):
        put(alice, not_a_picture)
    assert not Contact.objects.filter(owner=alice).exists()
    assert not Card.objects.filter(owner=alice).exists()


def test_a_photo_from_the_phone_is_stored_checked_and_comes_back_inline(alice, phone):
    import base64

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pic\r\nUID:pic\r\nPHOTO;ENCODING=b;TYPE=PNG:"
        + base64.b64encode(out.getvalue()).decode()
        + "\r\nEND:VCARD\r\n"
    )
    card = put(alice, text, app_password=phone)
    contact = reload(card.contact)
    assert contact.photo.name.endswith(".jpg")  # re-encoded by contacts/photos.py
    served = card_render(contact, extra=card.extra, version=VCARD_3)
    assert "PHOTO;ENCODING=b;TYPE=JPEG:" in served
    photo = contact.photo.name
    # The phone sends back what it was served: nothing changes.
    card = put(alice, served, card=card, app_password=phone)
    assert reload(contact).photo.name == photo


def test_an_update_without_a_base_takes_the_devices_values(alice):
    card = put(alice, (SAMPLES / "thunderbird_40.vcf").read_text())
    edited = (SAMPLES / "thunderbird_40.vcf").read_text().replace("CFO", "CEO")
    put(alice, edited, card=card)
    contact = reload(card.contact)
    assert contact.role == "CEO"
    assert not ImportantDate.objects.filter(contact=contact, kind="anniversary").exists()


def test_a_card_put_again_where_one_was_deleted_starts_a_new_person(alice, phone):
    text = (SAMPLES / "thunderbird_40.vcf").read_text()
    card = put(alice, text, href="t.vcf", app_password=phone)
    first = card.contact_id
    card_remove(owner=alice, card=card, now=NOW)
    again = put(alice, text, href="t.vcf", app_password=phone)  # no live card: card=None
    assert again.pk == card.pk and not again.deleted
    assert again.contact_id != first
    assert Card.objects.filter(owner=alice, href="t.vcf").count() == 1


def test_a_phone_number_written_differently_is_offered_as_a_duplicate(alice, phone):
    existing = ContactFactory(owner=alice, name="Chloe")
    ContactMethod.objects.create(
        owner=alice, contact=existing, kind="phone", value="+33 6 98 76 54 32"
    )
    card = put(alice, (SAMPLES / "thunderbird_40.vcf").read_text(), app_password=phone)
    offer = CardConflict.objects.get(contact=card.contact, field="duplicate")
    assert offer.replaced_value == str(existing.pk)
    assert [(p.first.pk, p.second.pk) for p in duplicate_pairs(owner=alice)] == [
        (existing.pk, card.contact_id)
    ]


def test_a_device_that_listed_the_apps_version_but_wrote_its_edit_of_the_old_one(alice, phone):
    """vdirsyncer lists the app's new version, then still sends its own edit of the one before
    ("b wins"): the base is the version the card is closest to, so the app's edit of another
    field survives and a same-field edit is kept as a conflict."""
    from dav.services import card_history_append

    card = put(alice, (SAMPLES / "davx5_40.vcf").read_text(), app_password=phone)
    contact = reload(card.contact)
    contact.role = "Architect"
    contact.notes = "Edited in the app"
    contact_save(contact=contact, today=NOW.date())
    card.seq += 1  # what the refresh does when the app's edit changes the card
    card_history_append(card=card, fields=card_fields(reload(contact)))
    card.save()
    device_lists(phone, card)
    edited = (SAMPLES / "davx5_40.vcf").read_text().replace("Brother of", "Cousin of")
    put(alice, edited, card=card, app_password=phone)
    contact = reload(contact)
    assert contact.role == "Architect"
    assert contact.notes == "Cousin of João, lives in Lisbon."
    conflict = CardConflict.objects.get(contact=contact)
    assert (conflict.field, conflict.replaced_value) == ("notes", "Edited in the app")


def test_a_person_made_on_the_phone_stays_on_it_when_only_chosen_circles_sync(alice, phone):
    family = Circle.objects.create(owner=alice, name="Family", cadence_days=30)
    settings = DavSettings.objects.create(owner=alice, sync_everyone=False)
    settings.circles.add(family)
    card = put(alice, (SAMPLES / "thunderbird_40.vcf").read_text(), app_password=phone)
    assert card.contact.circle == family
    assert "CATEGORIES:Family\r\n" in card_render(
        reload(card.contact), extra=card.extra, version="4.0"
    )


def test_a_circle_renamed_in_the_app_is_not_undone_by_a_phone_edit(alice, phone):
    friends = Circle.objects.create(owner=alice, name="Old friends", cadence_days=30)
    text = (
        (SAMPLES / "thunderbird_40.vcf")
        .read_text()
        .replace("END:VCARD", "CATEGORIES:Old friends\r\nEND:VCARD")
    )
    card = put(alice, text, app_password=phone)
    device_lists(phone, card)
    assert card.contact.circle == friends
    friends.name = "Dear friends"
    friends.save()
    put(alice, text.replace("CFO", "CEO"), card=card, app_password=phone)
    contact = reload(card.contact)
    assert (contact.role, contact.circle) == ("CEO", friends)
    assert not CardConflict.objects.filter(contact=contact).exists()
    card.refresh_from_db()
    served = card_render(contact, extra=card.extra, version="4.0")
    assert "CATEGORIES:Dear friends\r\n" in served
