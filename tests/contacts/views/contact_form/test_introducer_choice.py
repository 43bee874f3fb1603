"""Who introduced whom: the form takes one of the user's people, and says so for anything else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["abc", "1.5", "0x10", "-1", "١٢", " ", "1e3"])
def test_anything_but_an_id_is_refused_with_a_message(alice_client, alice, posted):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa", introduced_by=ana)
    response = alice_client.post(
        reverse("contacts:introducer", args=[bea.pk]), {"introduced_by": posted}, follow=True
    )
    assert response.status_code == 200
    if posted.strip():
        assert "Choose who introduced them from the list." in response.content.decode()
        bea.refresh_from_db()
        assert bea.introduced_by == ana  # unchanged
    else:  # blank clears it, as the "no one" choice does
        bea.refresh_from_db()
        assert bea.introduced_by is None


def test_an_id_too_big_for_the_database_is_a_404_like_any_missing_one(alice_client, alice):
    bea = ContactFactory(owner=alice, name="Bea Costa")
    response = alice_client.post(
        reverse("contacts:introducer", args=[bea.pk]), {"introduced_by": "9" * 30}
    )
    assert response.status_code == 404
