"""Hostile input to the circle forms, new and renamed (issue 8). Shared setup:
tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from contacts.models import Circle
from network_crm.text import fold
from tests.fixtures.hostile import (
    HostileInputTestCase,
    as_int,
    assert_rendered,
    assert_shown,
    char_errors,
    collapsed,
    form_body,
    html_of,
    huge_text,
    int_error,
    number,
    post,
    rows_of,
    short_text,
    too_big,
)


class CircleFormsTest(HostileInputTestCase):
    @given(name=short_text | huge_text, cadence=number, edit=st.booleans())
    def test_circles_refuse_with_a_message_or_store_what_was_typed(self, name, cadence, edit):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        prefix = f"c{self.circle.pk}" if edit else "new"
        url = (
            reverse("contacts:circle_edit", args=[self.circle.pk])
            if edit
            else reverse("contacts:circles")
        )
        others = Circle.objects.filter(owner=self.alice).exclude(
            pk=self.circle.pk if edit else None
        )
        taken = {fold(n) for n in others.values_list("name", flat=True)}
        response = post(
            client, url, {f"{prefix}-name": name, f"{prefix}-cadence_days": cadence}, follow=True
        )
        if too_big(form_body({"name": name})):
            return
        name_errors = char_errors(name, max_length=80, required=True)
        duplicate = not name_errors and fold(collapsed(name)) in taken
        cadence_error = int_error(cadence, low=1, high=3650)
        html = html_of(response)
        if not name_errors and not duplicate and cadence_error is None:
            circle = (
                Circle.objects.get(pk=self.circle.pk)
                if edit
                else Circle.objects.filter(owner=self.alice).latest("pk")
            )
            assert circle.name == collapsed(name)
            assert circle.cadence_days == as_int(cadence)
            assert_rendered(html, circle.name)
        else:
            assert rows_of(self.alice) == before
            for message in name_errors:
                assert_shown(html, message)
            if duplicate:
                assert_shown(html, "You already have a circle with this name.")
            if cadence_error:
                assert escape(cadence_error) in html
