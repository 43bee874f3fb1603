"""Hostile input to the contact form and its formsets (ways to reach, important dates), issue 8.
Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, example, given, note
from hypothesis import strategies as st

from contacts.limits import MAX_METHODS_PER_CONTACT
from contacts.models import Contact, ContactMethod, ImportantDate
from tests.fixtures.hostile import (
    ID_KINDS,
    NUL,
    HostileInputTestCase,
    as_int,
    assert_rendered,
    assert_shown,
    char_errors,
    clean_text,
    fewer,
    form_body,
    fragment,
    get,
    hostile_fields,
    html_of,
    id_kind,
    int_error,
    number,
    post,
    received,
    rows_of,
    short_text,
    too_big,
    unsafe_links,
)

CONTACT_TEXT_FIELDS = {
    "name": 200,
    "nickname": 100,
    "company": 200,
    "role": 200,
    "city": 120,
    "country": 120,
    "how_we_met": None,
    "notes": None,
}
EMPTY_FORMSETS = {
    "methods-TOTAL_FORMS": "0",
    "methods-INITIAL_FORMS": "0",
    "dates-TOTAL_FORMS": "0",
    "dates-INITIAL_FORMS": "0",
}


class ContactFormTest(HostileInputTestCase):
    @given(
        texts=hostile_fields(list(CONTACT_TEXT_FIELDS)),
        circle=st.sampled_from(["none", *ID_KINDS]),
        cadence=number,
        paused=st.sampled_from(["", "on", "false", "0", NUL, "\ud800"]),
    )
    @example(
        texts={"name": " Zoë\u202e <b>x</b> ", "nickname": "", "company": "", "role": "",
               "city": "", "country": "", "how_we_met": "\r\n", "notes": "a" * 1_000_000},
        circle="mine",
        cadence="30",
        paused="on",
    )  # fmt: skip
    def test_create_refuses_with_a_message_or_stores_what_was_typed(
        self, texts, circle, cadence, paused
    ):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        circle_id = (
            "" if circle == "none" else self.resolve_id(circle, self.circle.pk, self.bob_circle.pk)
        )
        fields = {**texts, "circle": circle_id, "cadence_days": cadence, "paused": paused}
        response = post(client, reverse("contacts:create"), {**fields, **EMPTY_FORMSETS})
        if too_big(form_body(fields)):
            return
        errors = {
            name: char_errors(texts[name], max_length=limit, required=name == "name")
            for name, limit in CONTACT_TEXT_FIELDS.items()
        }
        circle_ok = circle in ("none", "mine")
        cadence_error = int_error(cadence, low=1, high=3650)
        valid = not any(errors.values()) and circle_ok and cadence_error is None
        event("valid" if valid else "refused")
        if valid:
            assert response.status_code == 302, "valid input was refused"
            contact = Contact.objects.filter(owner=self.alice).latest("pk")
            assert response["Location"] == contact.get_absolute_url()
            for name in CONTACT_TEXT_FIELDS:
                assert getattr(contact, name) == clean_text(texts[name]), name
            assert contact.circle_id == (self.circle.pk if circle == "mine" else None)
            assert contact.cadence_days == as_int(cadence)
            assert contact.paused == forms.CheckboxInput().value_from_datadict(
                {"paused": received(paused)}, {}, "paused"
            )
            page = html_of(get(client, contact.get_absolute_url()))
            for name in CONTACT_TEXT_FIELDS:
                if getattr(contact, name):
                    assert_rendered(page, getattr(contact, name))
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert_shown(html, "Please check the fields marked below.")
            for messages in errors.values():
                for message in messages:
                    assert_shown(html, message)
            if circle == "nul":
                assert_shown(html, "Null characters are not allowed.")
            elif not circle_ok:
                assert_shown(html, "Select a valid choice.")
            if cadence_error:
                assert escape(cadence_error) in html

    @given(data=st.data())
    @fewer(2)
    def test_edit_with_hostile_formsets_refuses_or_stores_the_rows_as_typed(self, data):
        """Ways to reach and important dates: tampered management forms, other users' row ids,
        impossible dates, hostile text. Nothing is saved half-way."""
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            "name": "Ada Lovelace",
            "cadence_days": "14",
            "methods-TOTAL_FORMS": data.draw(st.sampled_from(["0", "1", "2", "3"]) | number),
            "methods-INITIAL_FORMS": data.draw(st.sampled_from(["0", "1"]) | number),
            "dates-TOTAL_FORMS": data.draw(st.sampled_from(["0", "1", "2"]) | number),
            "dates-INITIAL_FORMS": data.draw(st.sampled_from(["0", "0", "1"]) | number),
        }
        methods = []
        for index in range(3):
            row = {
                "kind": data.draw(st.sampled_from(["email", "phone", "link", "fax", ""])),
                "label": data.draw(st.sampled_from(["", "work"]) | short_text),
                "value": data.draw(
                    st.sampled_from(
                        ["new@example.com", "+33 6 12 34 56 78", "example.org/x", "", "1234"]
                    ).flatmap(lambda v: st.tuples(st.just(v), fragment).map(lambda t: t[0] + t[1]))
                    | st.sampled_from(["new@example.com", " +1 555 0100 ", "https://example.org"])
                    | short_text
                ),
                "id": self.resolve_id(
                    data.draw(st.sampled_from(["none", *ID_KINDS])),
                    self.method.pk,
                    self.bob_method.pk,
                )
                if data.draw(st.booleans())
                else "",
                "DELETE": data.draw(st.sampled_from(["", "", "on"])),
            }
            methods.append(row)
            fields.update({f"methods-{index}-{key}": value for key, value in row.items()})
        for index in range(2):
            row = {
                "kind": data.draw(st.sampled_from(["birthday", "anniversary", "other", "wedding"])),
                "label": data.draw(st.sampled_from(["", ""]) | short_text),
                "day": data.draw(number),
                "month": data.draw(st.sampled_from(["", "2", "13", "0", "-1"]) | number),
                "year": data.draw(st.sampled_from(["", "1900", "2100", "2101", "1899"]) | number),
                "id": self.resolve_id(data.draw(id_kind), 0, self.bob_date.pk)
                if data.draw(st.booleans())
                else "",
            }
            fields.update({f"dates-{index}-{key}": value for key, value in row.items()})
        note(fields)
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        self.assert_bob_untouched(bob_before)
        if response.status_code == 302:
            contact = Contact.objects.get(pk=self.contact.pk)
            stored = ContactMethod.objects.filter(contact=contact).exclude(pk=self.method.pk)
            typed = {clean_text(row["value"]) for row in methods}
            for method in stored:
                assert method.value in typed | {"https://" + value for value in typed}
                assert method.label == clean_text(
                    next(
                        r["label"] for r in methods if method.value.endswith(clean_text(r["value"]))
                    )
                ) or any(method.label == clean_text(r["label"]) for r in methods)
            for date in ImportantDate.objects.filter(contact=contact):
                dt.date(date.year or 2000, date.month, date.day)  # a real day
                assert date.year is None or 1900 <= date.year <= 2100
            page = html_of(get(client, contact.get_absolute_url()))
            for method in ContactMethod.objects.filter(contact=contact):
                assert_rendered(page, method.value)
                if method.label:
                    assert_rendered(page, method.label)
            assert not unsafe_links(page)
        else:
            assert response.status_code in (200, 400)
            assert rows_of(self.alice) == before
            if response.status_code == 200:
                assert_shown(html_of(response), "Please check the fields marked below.")

    def test_two_unlabelled_birthdays_in_one_post_are_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {
            "name": "Ada Lovelace",
            "methods-TOTAL_FORMS": "0",
            "methods-INITIAL_FORMS": "0",
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-0-kind": "birthday",
            "dates-0-day": "10",
            "dates-0-month": "12",
            "dates-1-kind": "birthday",
            "dates-1-day": "11",
            "dates-1-month": "12",
        }
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before

    def test_more_rows_than_the_formset_allows_are_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"name": "Ada Lovelace", "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0"}
        too_many = MAX_METHODS_PER_CONTACT + 1
        fields.update({"methods-TOTAL_FORMS": str(too_many), "methods-INITIAL_FORMS": "0"})
        for index in range(too_many):
            fields.update(
                {f"methods-{index}-kind": "phone", f"methods-{index}-value": f"555 01{index:02}"}
            )
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before
        assert_shown(
            html_of(response),
            f"One person can have at most {MAX_METHODS_PER_CONTACT} ways to reach them here: "
            "remove one to add another.",
        )
