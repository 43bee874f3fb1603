"""/api/v1/contacts/: the same writes as the contact form, through HTTP (api/views/contacts.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact, Interest
from interactions.models import Interaction
from interactions.services import interaction_log
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
TODAY = dt.date(2026, 11, 28)


def test_create_a_person_with_everything(alice_api, alice):
    circle = CircleFactory(owner=alice, name="Climbers", cadence_days=14)
    response = alice_api.post(
        "/api/v1/contacts/",
        {
            "name": "  Ada   Lovelace ",
            "company": "Analytical Engines",
            "circle": circle.pk,
            "notes": "Likes poetry",
            "methods": [
                {"kind": "email", "value": "ada@example.com", "label": "work"},
                {"kind": "link", "value": "ada.example.com"},
            ],
            "dates": [{"kind": "birthday", "month": 12, "day": 10, "year": 1936}],
            "interests": ["Poetry", "Mathematics"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    contact = Contact.objects.get(owner=alice)
    assert response["Location"].endswith(f"/api/v1/contacts/{contact.pk}/")
    assert response["ETag"]
    assert body["id"] == contact.pk
    assert body["name"] == "Ada Lovelace"
    assert body["circle"] == circle.pk
    assert body["effective_cadence_days"] == 14
    assert body["added_on"] == "2026-11-28"
    # The due rule ran: added today + the circle's 14 days.
    assert body["next_reach_out_on"] == "2026-12-12"
    assert contact.next_reach_out_on == dt.date(2026, 12, 12)
    assert body["methods"] == [
        {"kind": "email", "value": "ada@example.com", "label": "work"},
        {"kind": "link", "value": "https://ada.example.com", "label": ""},
    ]
    assert body["dates"] == [
        {"kind": "birthday", "label": "", "month": 12, "day": 10, "year": 1936}
    ]
    assert body["interests"] == ["Mathematics", "Poetry"]
    assert body["updated_at"] == "2026-11-28T09:30:00Z"
    assert body["app_url"].endswith(contact.get_absolute_url())
    # Folded for search like a contact saved by the form.
    assert contact.methods.get(kind="email").folded_value == "ada@example.com"
    assert set(Interest.objects.filter(owner=alice).values_list("name", flat=True)) == {
        "Poetry",
        "Mathematics",
    }


def test_retrieve_gives_an_etag_that_matches_the_body(alice_api, alice):
    contact = ContactFactory(owner=alice, name="Grace Hopper")
    response = alice_api.get(f"/api/v1/contacts/{contact.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Grace Hopper"
    assert response["ETag"].startswith('"')


def test_patch_changes_only_what_is_sent_and_recomputes_due(alice_api, alice):
    contact = ContactFactory(owner=alice, name="Grace", company="Navy")
    contact.methods.create(owner=alice, kind="phone", value="+1 555 0100")
    response = alice_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"cadence_days": 30}, format="json"
    )
    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.company == "Navy"
    assert contact.cadence_days == 30
    # Added 1 January 2026, every 30 days.
    assert contact.next_reach_out_on == dt.date(2026, 1, 31)
    assert response.json()["next_reach_out_on"] == "2026-01-31"
    assert [m.value for m in contact.methods.all()] == ["+1 555 0100"]


def test_put_replaces_the_lists(alice_api, alice):
    contact = ContactFactory(owner=alice, name="Grace")
    contact.methods.create(owner=alice, kind="phone", value="+1 555 0100")
    contact.interests.add(InterestFactory(owner=alice, name="Navy"))
    response = alice_api.put(
        f"/api/v1/contacts/{contact.pk}/",
        {"name": "Grace Hopper", "methods": [], "interests": ["COBOL"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["methods"] == []
    assert response.json()["interests"] == ["COBOL"]
    assert not contact.methods.exists()
    assert list(contact.interests.values_list("name", flat=True)) == ["COBOL"]


def test_archive_is_a_patch_and_goes_through_the_flag_service(alice_api, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)
    frozen_now.shift(dt.timedelta(hours=1))
    response = alice_api.patch(f"/api/v1/contacts/{contact.pk}/", {"archived": True}, format="json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.archived is True
    assert contact.updated_at == dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.UTC)
    assert response.json()["archived"] is True


def test_delete_removes_the_person_and_their_solo_interactions(alice_api, alice):
    contact = ContactFactory(owner=alice)
    other = ContactFactory(owner=alice)
    interaction_log(
        owner=alice,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC),
        today=TODAY,
    )
    response = alice_api.delete(f"/api/v1/contacts/{contact.pk}/")
    assert response.status_code == 204
    assert list(Contact.objects.filter(owner=alice)) == [other]
    assert not Interaction.objects.filter(owner=alice).exists()


def test_last_contact_comes_from_the_log(alice_api, alice):
    contact = ContactFactory(owner=alice, cadence_days=10)
    interaction_log(
        owner=alice,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        today=TODAY,
    )
    body = alice_api.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert body["last_interaction_on"] == "2026-11-20"
    assert body["next_reach_out_on"] == "2026-11-30"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "A", "cadence_days": 0}, "cadence_days"),
        ({"name": "A", "cadence_days": 4000}, "cadence_days"),
        ({"name": "A", "circle": "x"}, "circle"),
        ({"name": "A", "circle": 999999}, "circle"),
        ({"name": "A", "methods": [{"kind": "email", "value": "nope"}]}, "methods"),
        ({"name": "A", "methods": [{"kind": "fax", "value": "1"}]}, "methods"),
        ({"name": "A", "methods": [{"kind": "phone", "value": "12"}]}, "methods"),
        ({"name": "A", "dates": [{"kind": "birthday", "month": 4, "day": 31}]}, "dates"),
        ({"name": "A", "dates": [{"kind": "birthday", "month": 13, "day": 1}]}, "dates"),
        (
            {
                "name": "A",
                "dates": [
                    {"kind": "birthday", "month": 1, "day": 1},
                    {"kind": "birthday", "month": 2, "day": 1},
                ],
            },
            "dates",
        ),
        ({"name": "A", "interests": ["  "]}, "interests"),
        ({"name": "A", "interests": "jazz"}, "interests"),
        ({"name": "A", "archived": "maybe"}, "archived"),
        ({"name": "A", "introduced_by": 999999}, "introduced_by"),
    ],
)
def test_bad_input_is_a_400_per_field_and_stores_nothing(alice_api, alice, body, field):
    response = alice_api.post("/api/v1/contacts/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Contact.objects.filter(owner=alice).exists()
    assert not Interest.objects.filter(owner=alice).exists()


def test_a_bad_patch_changes_nothing(alice_api, alice):
    contact = ContactFactory(owner=alice, name="Grace")
    contact.methods.create(owner=alice, kind="phone", value="+1 555 0100")
    before = contact.updated_at
    response = alice_api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"name": "New", "methods": [{"kind": "email", "value": "bad"}]},
        format="json",
    )
    assert response.status_code == 400
    contact.refresh_from_db()
    assert (contact.name, contact.updated_at) == ("Grace", before)
    assert contact.methods.count() == 1


def test_someone_cannot_introduce_themselves(alice_api, alice):
    contact = ContactFactory(owner=alice)
    introducer = ContactFactory(owner=alice)
    response = alice_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"introduced_by": contact.pk}, format="json"
    )
    assert response.status_code == 400
    assert "introduced_by" in response.json()
    response = alice_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"introduced_by": introducer.pk}, format="json"
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.introduced_by == introducer


def test_read_token_may_read_but_not_write(alice_api_read, alice):
    contact = ContactFactory(owner=alice, name="Grace")
    assert alice_api_read.get("/api/v1/contacts/").status_code == 200
    assert alice_api_read.post("/api/v1/contacts/", {"name": "X"}, format="json").status_code == 403
    assert (
        alice_api_read.patch(f"/api/v1/contacts/{contact.pk}/", {"name": "X"}, format="json")
    ).status_code == 403
    assert alice_api_read.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Grace"
    assert Contact.objects.filter(owner=alice).count() == 1


def test_a_stale_if_match_is_412_and_changes_nothing(alice_api, alice):
    contact = ContactFactory(owner=alice, name="Grace")
    etag = alice_api.get(f"/api/v1/contacts/{contact.pk}/")["ETag"]
    assert (
        alice_api.patch(
            f"/api/v1/contacts/{contact.pk}/", {"name": "G"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    response = alice_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"name": "H"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert (
        alice_api.delete(f"/api/v1/contacts/{contact.pk}/", HTTP_IF_MATCH=etag).status_code == 412
    )
    contact.refresh_from_db()
    assert contact.name == "G"


def test_an_idempotent_retry_creates_one_person(alice_api, alice):
    first = alice_api.post(
        "/api/v1/contacts/", {"name": "Ada"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = alice_api.post(
        "/api/v1/contacts/", {"name": "Ada"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Contact.objects.filter(owner=alice).count() == 1
