"""Ids that are no ids, or too big for the database: a 404 in the URL, a 400 in a body, never a
500 (api/base.py, OwnedViewSet.lookup_value)."""

from __future__ import annotations

import pytest

from contacts.models import Contact, Interest
from tests.factories import InterestFactory


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/contacts/abc/",
        "/api/v1/contacts/99999999999999999999999/",
        "/api/v1/circles/-1/",
        "/api/v1/interests/1e5/",
    ],
)
def test_odd_ids_in_the_url_are_404(alice_api, url):
    assert alice_api.get(url).status_code == 404
    assert alice_api.patch(url, {}, format="json").status_code == 404
    assert alice_api.delete(url).status_code == 404


def test_huge_ids_in_a_body_are_400(alice_api, alice):
    response = alice_api.post(
        "/api/v1/contacts/", {"name": "X", "circle": 2**70, "introduced_by": 2**64}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"circle", "introduced_by"}
    assert not Contact.objects.exists()
    interest = InterestFactory(owner=alice)
    response = alice_api.post(
        f"/api/v1/interests/{interest.pk}/merge/", {"others": [2**70]}, format="json"
    )
    assert response.status_code == 400
    assert Interest.objects.count() == 1
    big = "9" * 18
    response = alice_api.get(f"/api/v1/contacts/?circle={big}&interest={big}")
    assert response.status_code == 200
    assert response.json()["results"] == []
