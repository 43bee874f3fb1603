"""The due cards' avatar and "why" line, written in Python by reminders.selectors (issue 21), are
byte for byte what the includes they replace (contacts/_avatar.html, contacts/_why.html) write,
for every case the includes tell apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from contacts.list_rows import avatar_html
from contacts.models import Contact
from reminders.selectors import _why_text
from tests.factories import CircleFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
AVATAR = Template('{% include "contacts/_avatar.html" %}')
WHY = Template('<p>{% include "contacts/_why.html" %}</p>')


@pytest.mark.parametrize("photo", ["", "photos/a.jpg"])
@pytest.mark.parametrize("name", ["Ana Lima", "é <b>&'\"", "  ", "李 小龍"])
@pytest.mark.parametrize("circle_cadence", [None, "none", 21])
@pytest.mark.parametrize("cadence", [None, 10])
@pytest.mark.parametrize("last", [None, 0, 1, 9, 400])
def test_written_as_the_includes_write_them(alice, photo, name, circle_cadence, cadence, last):
    circle = None
    if circle_cadence is not None:
        circle = CircleFactory(
            owner=alice,
            name="Friends & <family>",
            cadence_days=None if circle_cadence == "none" else circle_cadence,
        )
    contact = Contact.objects.create(
        owner=alice,
        name=name,
        photo=photo,
        circle=circle,
        cadence_days=cadence,
        added_on=TODAY,
        last_interaction_on=None if last is None else TODAY - dt.timedelta(days=last),
    )
    contact = Contact.objects.select_related("circle").get(pk=contact.pk)
    context = Context({"contact": contact, "today": TODAY})
    assert avatar_html(contact) == AVATAR.render(context)
    assert Template("<p>{{ why }}</p>").render(
        Context({"why": _why_text(contact, TODAY)})
    ) == WHY.render(context)
