"""Restoring hostile backups (issue 8): a damaged backup is refused whole or restored exactly;
any file is refused with a message; backups of imported cards restore. Shared setup:
tests/fixtures/hostile.py."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, note
from hypothesis import strategies as st

from contacts.models import Circle, Contact
from portability.models import ImportBatch
from tests.factories import UserFactory
from tests.fixtures.hostile import (
    DATES,
    HostileInputTestCase,
    assert_rendered,
    assert_shown,
    check_response,
    fewer,
    get,
    html_of,
    huge_text,
    rows_of,
    short_text,
    unsafe_links,
)

BACKUP_FIELDS = {
    "circles": ["id", "name", "cadence_days"],
    "interests": ["id", "name", "mine"],
    "contacts": ["id", "uid", "name", "nickname", "company", "role", "city", "country",
                 "how_we_met", "notes", "circle_id", "cadence_days", "paused", "archived",
                 "added_on", "cadence_restarted_on", "snoozed_until", "introduced_by_id"],
    "contact_interests": ["contact_id", "interest_id"],
    "contact_methods": ["contact_id", "kind", "label", "value", "position"],
    "important_dates": ["contact_id", "kind", "label", "day", "month", "year"],
    "interactions": ["id", "kind", "occurred_at", "duration_minutes", "place", "notes",
                     "initiated_by", "follow_up_on", "follow_up_note", "ask_next_time"],
    "interaction_contacts": ["interaction_id", "contact_id"],
    "reminders": ["contact_id", "interaction_id", "kind", "due_on", "state", "snoozed_until",
                  "note"],
}  # fmt: skip


def a_backup() -> dict:
    """A small, valid backup, as backup_json writes it."""
    return {
        "format": "network-crm-backup",
        "version": 1,
        "circles": [{"id": 1, "name": "Friends", "cadence_days": 30}],
        "interests": [{"id": 2, "name": "Jazz", "mine": True}],
        "contacts": [
            {"id": 3, "uid": "urn:uuid:1", "name": "Ada Lovelace", "nickname": "Ada",
             "company": "", "role": "", "city": "London", "country": "", "how_we_met": "",
             "notes": "Notes", "circle_id": 1, "cadence_days": None, "paused": False,
             "archived": False, "added_on": "2026-01-01", "cadence_restarted_on": None,
             "snoozed_until": None, "introduced_by_id": None}
        ],
        "contact_interests": [{"contact_id": 3, "interest_id": 2}],
        "contact_methods": [
            {"contact_id": 3, "kind": "email", "label": "", "value": "ada@example.com",
             "position": 0}
        ],
        "important_dates": [
            {"contact_id": 3, "kind": "birthday", "label": "", "day": 10, "month": 12,
             "year": 1990}
        ],
        "interactions": [
            {"id": 4, "kind": "coffee", "occurred_at": "2026-01-10T12:00:00+00:00",
             "duration_minutes": None, "place": "", "notes": "Tea", "initiated_by": "",
             "follow_up_on": None, "follow_up_note": "", "ask_next_time": ""}
        ],
        "interaction_contacts": [{"interaction_id": 4, "contact_id": 3}],
        "reminders": [
            {"contact_id": 3, "interaction_id": 4, "kind": "follow_up", "due_on": "2026-02-01",
             "state": "open", "snoozed_until": None, "note": "Send the article"}
        ],
    }  # fmt: skip


backup_values = st.one_of(
    short_text,
    huge_text,
    st.sampled_from(DATES),
    st.sampled_from([None, True, -5, 0, 10**40, -(10**40), 1e308, 2**63, [], {}, [1], {"a": 1}]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)


class RestoreTest(HostileInputTestCase):
    """The restore goes into Charlie's fresh account (a restore needs one with no people)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.charlie = UserFactory(email="charlie@example.com", name="Charlie Nguyen")
        Circle.objects.get_or_create(owner=cls.charlie, name="Close friends", cadence_days=14)

    def restore(self, client: Client, raw: bytes):
        response = client.post(
            reverse("portability:restore"),
            {"backup": SimpleUploadedFile("backup.json", raw)},
            follow=True,
        )
        check_response(response)
        return response

    @given(
        changes=st.lists(
            st.sampled_from(
                [(t, f) for t, fields in BACKUP_FIELDS.items() for f in fields]
            ).flatmap(lambda tf: st.tuples(st.just(tf), backup_values)),
            min_size=1,
            max_size=3,
        ),
        bob_ids=st.booleans(),
    )
    @fewer(2)
    def test_a_damaged_backup_is_refused_whole_or_restored_exactly(self, changes, bob_ids):
        client = self.client_for(self.charlie)
        before = rows_of(self.charlie)
        bob_before = rows_of(self.bob)
        alice_before = rows_of(self.alice)
        data = a_backup()
        for (table, field), value in changes:
            data[table][0][field] = value
        if bob_ids:
            # Bob's row ids where the backup's own ids go: they are only labels in the file.
            data["contacts"][0]["id"] = self.bob_contact.pk
            data["contact_methods"][0]["contact_id"] = self.bob_contact.pk
        note(data)
        raw = json.dumps(data, allow_nan=True).encode()
        html = html_of(self.restore(client, raw))
        self.assert_bob_untouched(bob_before)
        assert rows_of(self.alice) == alice_before
        contacts = Contact.objects.filter(owner=self.charlie)
        event("restored" if "Backup restored" in html else "refused")
        if "Backup restored" in html:
            row = data["contacts"][0]
            contact = contacts.get()
            for field in ("name", "nickname", "company", "role", "city", "country", "notes",
                          "how_we_met", "uid"):  # fmt: skip
                # Text columns keep strings as they are (NULs and lone surrogates included, where
                # the database takes them) and store other JSON values as str().
                expected = row[field] if isinstance(row[field], str) else str(row[field])
                assert getattr(contact, field) == expected, field
            page = html_of(get(client, contact.get_absolute_url()))
            assert_rendered(page, contact.name)
        else:
            assert rows_of(self.charlie) == before
            assert "message-error" in html
            assert "nothing was restored" in html or "isn&#x27;t a network-crm backup" in html

    @given(
        raw=st.binary(max_size=2000) | short_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
    @fewer(2)
    def test_any_file_is_refused_with_a_message(self, raw):
        client = self.client_for(self.charlie)
        before = rows_of(self.charlie)
        html = html_of(self.restore(client, raw))
        assert rows_of(self.charlie) == before
        assert "message-error" in html

    def round_trip(self, vcard: bytes) -> str:
        """Alice imports ``vcard`` and downloads her backup; Charlie restores it."""
        alice = self.client_for(self.alice)
        alice.post(reverse("portability:import"), {"file": SimpleUploadedFile("old.vcf", vcard)})
        batch = ImportBatch.objects.get(owner=self.alice)
        alice.post(reverse("portability:import_confirm", args=[batch.pk]))
        assert Contact.objects.filter(import_batches=batch).count() == 1
        backup = b"".join(alice.get(reverse("portability:backup")).streaming_content)
        return html_of(self.restore(self.client_for(self.charlie), backup))

    def test_a_backup_with_an_imported_card_restores(self):
        html = self.round_trip(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byron\r\nBDAY:1990-12-10\r\nEND:VCARD\r\n"
        )
        assert_shown(html, "Backup restored: 3 people, with their history.")

    def test_a_backup_with_an_old_imported_birthday_restores(self):
        html = self.round_trip(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byron\r\nBDAY:1815-12-10\r\nEND:VCARD\r\n"
        )
        assert_shown(html, "Backup restored: 3 people, with their history.")

    def test_deeply_nested_json_is_refused_with_a_message(self):
        client = self.client_for(self.charlie)
        response = client.post(
            reverse("portability:restore"),
            {"backup": SimpleUploadedFile("backup.json", b"[" * 100_000 + b"]" * 100_000)},
            follow=True,
        )
        assert response.status_code == 200
        assert "message-error" in html_of(response)

    def test_a_restored_javascript_link_is_not_a_link_on_the_contact_page(self):
        client = self.client_for(self.charlie)
        data = a_backup()
        data["contact_methods"][0].update(kind="link", value="javascript:alert(document.cookie)")
        self.restore(client, json.dumps(data).encode())
        contact = Contact.objects.get(owner=self.charlie)
        assert unsafe_links(html_of(client.get(contact.get_absolute_url()))) == []
