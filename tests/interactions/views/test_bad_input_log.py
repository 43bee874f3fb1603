"""Hostile input to logging an interaction: the quick log and the full form, new and edited
(issue 8). Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from interactions.models import Interaction
from tests.fixtures.hostile import (
    NUL,
    HostileInputTestCase,
    as_date,
    as_int,
    assert_rendered,
    assert_shown,
    char_errors,
    clean_text,
    date_strings,
    fewer,
    form_body,
    get,
    hostile_fields,
    html_of,
    huge_text,
    id_kind,
    number,
    post,
    received,
    rows_of,
    short_text,
    too_big,
)

KINDS = [kind for kind, _ in Interaction.Kind.choices]


class InteractionFormsTest(HostileInputTestCase):
    @given(
        kind=st.sampled_from([*KINDS, "", "party", "coffee\x00"]),
        notes=short_text | huge_text | st.just("n" * 10_001),
        data=st.data(),
        htmx=st.booleans(),
    )
    def test_quick_log_refuses_with_a_message_or_stores_what_was_typed(
        self, kind, notes, data, htmx
    ):
        today = self.today
        occurred_on = data.draw(date_strings(today))
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": kind, "occurred_on": occurred_on, "notes": notes}
        response = post(
            client, reverse("interactions:log", args=[self.contact.pk]), fields, htmx=htmx
        )
        if too_big(form_body(fields)):
            return
        note_errors = char_errors(notes, max_length=10_000)
        # Only an empty field means today: Django's DateField reads a blank one ("\x0b", " ") as
        # an unreadable date and says so.
        day = as_date(occurred_on) if received(occurred_on) else today
        if day is None:
            date_error = "Enter a valid date."
        elif day > today:
            date_error = "That day hasn't happened yet: log it once it has."
        elif day < today - dt.timedelta(days=36500):
            date_error = "Please pick a date within the last hundred years."
        else:
            date_error = None
        valid = kind in KINDS and not note_errors and date_error is None
        if valid:
            assert response.status_code == (200 if htmx else 302)
            logged = Interaction.objects.filter(owner=self.alice).latest("pk")
            assert logged.kind == kind and logged.occurred_on == day
            assert logged.notes == clean_text(notes)
            assert list(logged.contacts.all()) == [self.contact]
            if logged.notes:
                page = html_of(get(client, self.contact.get_absolute_url()))
                assert_rendered(page, logged.notes)
        else:
            assert response.status_code == (200 if htmx else 400)
            assert rows_of(self.alice) == before
            html = html_of(response)
            for message in [*note_errors, date_error]:
                if message:
                    assert_shown(html, message)
            if kind == "":
                assert_shown(html, "This field is required.")
            elif kind not in KINDS:
                assert_shown(html, "Select a valid choice.")

    @given(
        texts=hostile_fields(["place", "notes", "follow_up_note", "ask_next_time"]),
        kind=st.sampled_from([*KINDS, "party"]),
        people=st.lists(id_kind, min_size=0, max_size=3),
        at_time=st.sampled_from(["", "12:30", "25:00", "02:30", "23:59:59", "noon", NUL]),
        duration=number,
        initiated_by=st.sampled_from(["", "me", "them", "nobody"]),
        data=st.data(),
        edit=st.booleans(),
    )
    @fewer(2)
    def test_the_full_form_refuses_other_users_people_and_stores_what_was_typed(
        self, texts, kind, people, at_time, duration, initiated_by, data, edit
    ):
        today = self.today
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            **texts,
            "kind": kind,
            "people": [
                self.resolve_id(p, self.other_contact.pk, self.bob_contact.pk) for p in people
            ],
            "occurred_on": data.draw(date_strings(today)),
            "at_time": at_time,
            "duration_minutes": duration,
            "initiated_by": initiated_by,
            "follow_up_on": data.draw(date_strings(today)),
        }
        url = (
            reverse("interactions:edit", args=[self.interaction.pk])
            if edit
            else reverse("interactions:create", args=[self.contact.pk])
        )
        response = post(client, url, fields)
        self.assert_bob_untouched(bob_before)
        if too_big(form_body(fields)):
            return
        errors = {
            "place": char_errors(texts["place"], max_length=200),
            "notes": char_errors(texts["notes"], max_length=10_000),
            "follow_up_note": char_errors(texts["follow_up_note"], max_length=300),
            "ask_next_time": char_errors(texts["ask_next_time"], max_length=300),
        }
        if any(p != "mine" for p in people) or not people:
            assert response.status_code == 200, "someone else's (or nobody's) interaction saved"
        if response.status_code == 302:
            assert not any(errors.values())
            saved = (
                Interaction.objects.get(pk=self.interaction.pk)
                if edit
                else Interaction.objects.filter(owner=self.alice).latest("pk")
            )
            for name in errors:
                assert getattr(saved, name) == clean_text(texts[name]), name
            assert saved.kind == kind
            assert saved.occurred_on == as_date(fields["occurred_on"])
            assert saved.follow_up_on == as_date(fields["follow_up_on"])
            assert saved.duration_minutes == as_int(duration)
            assert {c.owner_id for c in saved.contacts.all()} == {self.alice.pk}
            page = html_of(get(client, self.other_contact.get_absolute_url()))
            for name in ("notes", "ask_next_time"):
                if getattr(saved, name):
                    assert_rendered(page, getattr(saved, name))
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert_shown(html, "Please check the fields marked below.")
            for messages in errors.values():
                for message in messages:
                    assert_shown(html, message)

    def test_a_person_id_written_with_a_superscript_digit_is_refused(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": "coffee", "people": ["²"], "occurred_on": self.today.isoformat()}
        response = post(client, reverse("interactions:create", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before

    def test_a_twenty_digit_person_id_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": "coffee", "people": ["9" * 20], "occurred_on": self.today.isoformat()}
        response = post(client, reverse("interactions:create", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before
        assert_shown(html_of(response), "Select a valid choice.")
