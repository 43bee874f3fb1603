"""Hostile bulk edits on the contact list (issue 8): other users' ids and hostile values are
refused with a message. Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contacts.models import BulkChange, Contact, Interest
from network_crm.text import fold
from tests.fixtures.hostile import (
    ID_KINDS,
    NUL,
    HostileInputTestCase,
    as_int,
    assert_shown,
    char_errors,
    collapsed,
    form_body,
    html_of,
    huge_text,
    id_kind,
    int_error,
    number,
    post,
    rows_of,
    short_text,
    too_big,
)

BULK_ACTIONS = [
    "set_circle",
    "set_cadence",
    "add_interest",
    "remove_interest",
    "pause",
    "unpause",
    "archive",
    "unarchive",
    "export_vcard",
    "export_csv",
    "delete",
    "drop_table",
    "",
]


class BulkEditTest(HostileInputTestCase):
    @given(
        action=st.sampled_from(BULK_ACTIONS),
        ids=st.lists(id_kind, max_size=3),
        all_matching=st.sampled_from(["", "on", NUL]),
        target_circle=st.sampled_from(["", *ID_KINDS]),
        target_interest=st.sampled_from(["", *ID_KINDS]),
        cadence=number,
        interest_name=short_text | huge_text,
        q=short_text,
        confirmed=st.sampled_from(["", "yes"]),
    )
    def test_bulk_edits_refuse_other_users_ids_and_hostile_values(
        self,
        action,
        ids,
        all_matching,
        target_circle,
        target_interest,
        cadence,
        interest_name,
        q,
        confirmed,
    ):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            "action": action,
            "ids": [self.resolve_id(kind, self.contact.pk, self.bob_contact.pk) for kind in ids],
            "all_matching": all_matching,
            "target_circle": self.resolve_id(target_circle, self.circle.pk, self.bob_circle.pk)
            if target_circle
            else "",
            "target_interest": self.resolve_id(
                target_interest, self.interest.pk, self.bob_interest.pk
            )
            if target_interest
            else "",
            "cadence_days": cadence,
            "interest_name": interest_name,
            "q": q,
            "querystring": q,
            "confirmed": confirmed,
        }
        response = post(client, reverse("contacts:bulk"), fields, follow=True)
        self.assert_bob_untouched(bob_before)
        if too_big(form_body(fields)):
            return
        html = html_of(response)
        assert "BOBCONTACT" not in html
        refused = (
            any(kind != "mine" for kind in ids)
            or (target_circle not in ("", "mine"))
            or (target_interest not in ("", "mine"))
            or int_error(cadence, low=1, high=3650) is not None
            or bool(char_errors(interest_name, max_length=80))
            or action not in BULK_ACTIONS[:-2]
        )
        if refused:
            assert rows_of(self.alice) == before
            assert "message-error" in html or 'class="errorlist' in html
        if "bob" in ids and set(ids) <= {"mine", "bob"}:
            # Django names only the first bad id; when it is Bob's, it isn't a choice of hers.
            assert_shown(html, "Select a valid choice.")
        if action == "add_interest" and BulkChange.objects.filter(owner=self.alice).exists():
            added = Interest.objects.get(
                pk=BulkChange.objects.get(owner=self.alice).payload["interest_id"]
            )
            assert fold(added.name) == fold(collapsed(interest_name))
        if action == "set_cadence" and BulkChange.objects.filter(owner=self.alice).exists():
            assert Contact.objects.get(pk=self.contact.pk).cadence_days == as_int(cadence)

    def test_a_twenty_digit_contact_id_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"action": "pause", "ids": ["9" * 20]}
        response = post(client, reverse("contacts:bulk"), fields, follow=True)
        assert rows_of(self.alice) == before
        assert_shown(html_of(response), "Select a valid choice.")
