"""network_crm/rows.py: model instances from raw rows equal, field for field, to the ORM's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from contacts.models import Circle, Contact
from interactions.models import Interaction
from network_crm.rows import columns, load, width
from reminders.models import Reminder
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def values(instance) -> list:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


def test_loaded_rows_equal_the_orms_with_dates_datetimes_booleans_and_nulls(alice):
    circle = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    contact = ContactFactory(
        owner=alice,
        name="Amara Diallo",
        circle=circle,
        paused=True,
        next_reach_out_on=dt.date(2026, 12, 1),
        snoozed_until=None,
    )
    interaction = InteractionFactory(
        owner=alice,
        contacts=[contact],
        occurred_at=dt.datetime(2026, 11, 3, 18, 30, 15, 123456, tzinfo=dt.UTC),
    )
    reminder = Reminder.objects.create(
        owner=alice,
        contact=contact,
        interaction=interaction,
        kind="follow_up",
        due_on=dt.date(2026, 11, 20),
        note="Send the book",
    )
    sql = (
        f"SELECT {columns(Reminder, 'r')}, {columns(Contact, 'c')}, {columns(Circle, 'k')}"
        " FROM reminders_reminder r INNER JOIN contacts_contact c ON c.id = r.contact_id"
        " INNER JOIN contacts_circle k ON k.id = c.circle_id WHERE r.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [reminder.pk])
        row = cursor.fetchone()
        cursor.execute(
            f"SELECT {columns(Interaction, 'i')} FROM interactions_interaction i WHERE i.id = %s",
            [interaction.pk],
        )
        interaction_row = cursor.fetchone()
    assert len(row) == width(Reminder) + width(Contact) + width(Circle)
    loaded = load(Reminder, row)
    loaded_contact = load(Contact, row, width(Reminder))
    loaded_circle = load(Circle, row, width(Reminder) + width(Contact))
    assert values(loaded) == values(Reminder.objects.get(pk=reminder.pk))
    assert values(loaded_contact) == values(Contact.objects.get(pk=contact.pk))
    assert values(loaded_circle) == values(Circle.objects.get(pk=circle.pk))
    loaded_interaction = load(Interaction, interaction_row)
    assert values(loaded_interaction) == values(Interaction.objects.get(pk=interaction.pk))
    # The types the ORM gives: aware datetimes, booleans, dates; and a loaded instance is saved
    # as an update like any other.
    assert loaded_interaction.occurred_at == interaction.occurred_at
    assert loaded_interaction.occurred_at.tzinfo is not None
    assert loaded_contact.paused is True and loaded_contact.archived is False
    assert loaded.due_on == dt.date(2026, 11, 20)
    assert not loaded._state.adding
