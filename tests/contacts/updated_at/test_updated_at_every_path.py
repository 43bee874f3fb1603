"""Every write that changes what a phone's card shows moves ``Contact.updated_at``.

Phone sync re-reads only the contacts changed since it last looked (dav.sync.addressbook_refresh,
docs/architecture.md "Sync with phones"): a path that changed a name, a number, a date, the
circle, the photo or "archived" without moving updated_at would never reach the phone. The
table below runs each such path an hour after the data was made and checks the contacts it
changed (and only those) carry the new time; a guard on the SQL fails any UPDATE of a card's
columns that leaves updated_at out, whichever path sent it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from contacts import services
from contacts.models import Circle, Contact, ContactMethod, ImportantDate
from portability import backup, duplicates, imports
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)

# What a card shows (dav.cards.card_fields) and lives in the contacts table itself.
CARD_COLUMNS = {
    "name",
    "nickname",
    "company",
    "role",
    "city",
    "country",
    "how_we_met",
    "notes",
    "circle_id",
    "photo",
    "archived",
    "uid",
}
# The SET NULL a deleted circle sends to its members: circle_delete marks them first (the
# "circle deleted" rows of the table check it did).
_CIRCLE_SET_NULL = re.compile(r'SET "circle_id" = %s WHERE "contacts_contact"."circle_id" IN ')
_UPDATE = re.compile(r'^UPDATE "contacts_contact" SET (?P<set>.*?)(?: WHERE |$)', re.S)


@contextmanager
def card_columns_guard():
    """Fail any UPDATE of the contacts table that sets a card's column but not updated_at."""
    offending: list[str] = []

    def wrapper(execute, sql, params, many, context):
        match = _UPDATE.match(sql)
        if match:
            columns = set(re.findall(r'"(\w+)" = ', match["set"]))
            forgot = columns & CARD_COLUMNS and "updated_at" not in columns
            if forgot and not _CIRCLE_SET_NULL.search(sql):
                offending.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield offending


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (180, 83, 42)).save(buffer, format="PNG")
    return SimpleUploadedFile("face.png", buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    owner: object
    client: object
    ana: Contact  # in "Friends", an email and a birthday
    ben: Contact  # in "Friends"
    cleo: Contact  # in no circle: no path below but her own should touch her
    friends: Circle


def make_world(owner, client) -> World:
    friends, _ = Circle.objects.get_or_create(owner=owner, name="Friends")
    ana = ContactFactory(owner=owner, name="Ana Lima", circle=friends)
    ContactMethod.objects.create(owner=owner, contact=ana, kind="email", value="ana@example.org")
    ImportantDate.objects.create(owner=owner, contact=ana, kind="birthday", month=5, day=4)
    ben = ContactFactory(owner=owner, name="Ben Ode", circle=friends)
    cleo = ContactFactory(owner=owner, name="Cleo Park")
    return World(owner, client, ana, ben, cleo, friends)


# Each operation: (prepare at T0 -> state, act at T1 -> the contacts it changed).
Operation = tuple[Callable[[World], object], Callable[[World, object], list[Contact]]]


def _nothing(world):
    return None


def _edit_form_number_only(world, _):
    """The person's edit page, where only the email changed (the contact's own fields are as
    they were)."""
    method = world.ana.methods.get()
    data = {
        "name": "Ana Lima",
        "circle": world.friends.pk,
        "methods-TOTAL_FORMS": "1",
        "methods-INITIAL_FORMS": "1",
        "methods-0-id": method.pk,
        "methods-0-kind": "email",
        "methods-0-value": "ana.lima@example.org",
        "methods-0-label": "",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
    }
    response = world.client.post(reverse("contacts:edit", args=[world.ana.pk]), data)
    assert response.status_code == 302
    assert world.ana.methods.get().value == "ana.lima@example.org"
    return [world.ana]


def _archive_flags(world, _):
    services.contacts_set_flags(owner=world.owner, contact_ids=[world.ana.pk], archived=True)
    return [world.ana]


def _bulk_move_to_circle(world, _):
    peers, _ = Circle.objects.get_or_create(owner=world.owner, name="Peers")
    services.contacts_bulk_edit(
        owner=world.owner,
        contact_ids=[world.ana.pk, world.ben.pk],
        action="set_circle",
        value=peers,
    )
    return [world.ana, world.ben]


def _bulk_archive(world, _):
    services.contacts_bulk_edit(owner=world.owner, contact_ids=[world.ben.pk], action="archive")
    return [world.ben]


def _bulk_archive_before(world):
    return services.contacts_bulk_edit(
        owner=world.owner, contact_ids=[world.ana.pk, world.ben.pk], action="archive"
    )


def _bulk_undo(world, change):
    services.contacts_bulk_undo(change=change, now=T1)
    return [world.ana, world.ben]


def _circle_rename(world, _):
    services.circle_rename(circle=world.friends, name="Old friends", cadence_days=30)
    return [world.ana, world.ben]


def _circle_delete(world, _):
    services.circle_delete(circle=world.friends)
    return [world.ana, world.ben]


def _circle_delete_in_admin(world, _):
    url = reverse("admin:contacts_circle_delete", args=[world.friends.pk])
    response = world.client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Circle.objects.filter(pk=world.friends.pk).exists()
    return [world.ana, world.ben]


def _photo_set(world, _):
    services.contact_photo_set(contact=world.ben, upload=png())
    return [world.ben]


def _photo_before(world):
    services.contact_photo_set(contact=world.ben, upload=png())


def _photo_remove(world, _):
    services.contact_photo_remove(contact=Contact.objects.get(pk=world.ben.pk))
    return [world.ben]


def _merge(world, _):
    duplicates.contacts_merge(survivor=world.ben, other=world.ana, picks={}, today=T1.date())
    return [world.ben]


def _merge_before(world):
    return duplicates.contacts_merge(
        survivor=world.ben, other=world.ana, picks={"name": "other"}, today=T0.date()
    )


def _merge_undo(world, merge):
    ana = duplicates.merge_undo(merge=merge, now=T1)
    return [ana, world.ben]


CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\n"
    "TEL;TYPE=CELL:+351 912 345 678\r\nORG:Atelier Lima\r\nEND:VCARD\r\n"
)


def _import(world):
    batch = imports.import_upload(
        owner=world.owner, upload=SimpleUploadedFile("ana.vcf", CARD.encode())
    )
    return imports.import_run(batch=batch, now=dt.datetime.now(dt.UTC))


def _reimport_adds(world, _):
    _import(world)
    ana = Contact.objects.get(pk=world.ana.pk)
    assert ana.company == "Atelier Lima"
    assert ana.methods.filter(kind="phone").exists()
    return [world.ana]


def _reimport_undo(world, batch):
    imports.import_undo(batch=batch)
    assert Contact.objects.get(pk=world.ana.pk).company == ""
    return [world.ana]


def _restore(world, _):
    other = UserFactory()
    with time_machine.travel(T0, tick=False):
        ContactFactory(owner=other, name="Dana Roy")
    data = backup.backup_read("".join(backup.backup_json(owner=other)).encode())
    fresh = UserFactory()
    backup.backup_restore(owner=fresh, data=data)
    return list(Contact.objects.filter(owner=fresh))


OPERATIONS: dict[str, Operation] = {
    "edit page, only an email changed": (_nothing, _edit_form_number_only),
    "archive (flags)": (_nothing, _archive_flags),
    "bulk: move to a circle": (_nothing, _bulk_move_to_circle),
    "bulk: archive": (_nothing, _bulk_archive),
    "bulk: undo an archive": (_bulk_archive_before, _bulk_undo),
    "circle renamed": (_nothing, _circle_rename),
    "circle deleted": (_nothing, _circle_delete),
    "circle deleted in the admin": (_nothing, _circle_delete_in_admin),
    "photo set": (_nothing, _photo_set),
    "photo removed": (_photo_before, _photo_remove),
    "two people merged": (_nothing, _merge),
    "a merge undone": (_merge_before, _merge_undo),
    "re-import adds a number and a company": (_nothing, _reimport_adds),
    "that import undone": (_import, _reimport_undo),
    "backup restored": (_nothing, _restore),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_change_a_card_shows_moves_updated_at(name, alice, alice_client):
    prepare, act = OPERATIONS[name]
    with time_machine.travel(T0, tick=False) as clock:
        world = make_world(alice, alice_client)
        state = prepare(world)
        clock.move_to(T1)
        with card_columns_guard() as offending:
            changed = act(world, state)
    assert offending == []
    stamps = dict(
        Contact.objects.filter(pk__in=[c.pk for c in changed]).values_list("pk", "updated_at")
    )
    assert stamps == {contact.pk: T1 for contact in changed}
    # Nobody else was marked: Cleo is in none of these changes.
    if world.cleo not in changed:
        assert Contact.objects.get(pk=world.cleo.pk).updated_at == T0


def test_the_guard_catches_an_update_that_forgets(alice):
    """The SQL guard itself: a bare .update() of a card's column is reported."""
    contact = ContactFactory(owner=alice)
    with card_columns_guard() as offending:
        Contact.objects.filter(pk=contact.pk).update(company="Acme")
        Contact.objects.filter(pk=contact.pk).update(next_reach_out_on=None)
    assert len(offending) == 1
    assert '"company"' in offending[0]
