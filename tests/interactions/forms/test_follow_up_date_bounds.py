"""A follow-up date is a day a calendar can show: within a hundred years of today."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interactions.models import Interaction
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def log_with_follow_up(client, contact, day: str):
    return client.post(
        reverse("interactions:create", args=[contact.pk]),
        {
            "kind": "coffee",
            "people": [contact.pk],
            "occurred_on": "2026-11-27",
            "follow_up_on": day,
            "follow_up_note": "Send her the article",
        },
    )


@pytest.mark.parametrize("day", ["9999-12-31", "2126-12-01", "0001-01-01", "1926-11-01"])
def test_a_follow_up_far_from_today_is_refused_and_nothing_is_logged(
    alice_client, alice, frozen_now, day
):
    amara = ContactFactory(owner=alice, cadence_days=7)
    response = log_with_follow_up(alice_client, amara, day)
    assert response.status_code == 200
    assert "Please pick a date within a hundred years of today." in response.content.decode()
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-20", "2026-12-03", "2099-01-01"])
def test_a_follow_up_in_the_coming_years_or_past_days_is_kept(alice_client, alice, frozen_now, day):
    amara = ContactFactory(owner=alice, cadence_days=7)
    assert log_with_follow_up(alice_client, amara, day).status_code == 302
    assert Interaction.objects.get().follow_up_on.isoformat() == day
