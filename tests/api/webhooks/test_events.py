"""Events fired by the apps' real services (api/receivers.py): each becomes one delivery per
subscribed webhook of the owner, written on commit, carrying ids, names and links only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from accounts.services import user_signup
from api.models import WebhookDelivery
from api.services.webhooks import webhook_create
from contacts.models import Contact
from contacts.services import contact_save, contacts_bulk_edit, contacts_set_flags
from interactions.services import interaction_log
from reminders.services.digests import digest_send
from reminders.services.sweep import sweep_run

ALL = [
    "contact.created",
    "contact.updated",
    "contact.archived",
    "interaction.logged",
    "reminder.due",
    "digest.sent",
]
TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def hook(alice, allow_private):
    return webhook_create(owner=alice, url="http://127.0.0.1:9/hook", events=ALL)


def events(owner=None) -> list[tuple[str, dict]]:
    rows = WebhookDelivery.objects.order_by("pk")
    if owner is not None:
        rows = rows.filter(owner=owner)
    return [(row.event, row.payload["data"]) for row in rows]


def ref(contact) -> dict:
    return {
        "id": contact.pk,
        "name": contact.name,
        "url": f"https://crm.example.com/contacts/{contact.pk}/",
        "api_url": f"https://crm.example.com/api/v1/contacts/{contact.pk}/",
    }


def add(owner, name="Ada Lovelace", **fields) -> Contact:
    return contact_save(contact=Contact(owner=owner, name=name, **fields), today=TODAY)


def test_adding_changing_and_archiving_a_person(
    alice, hook, django_capture_on_commit_callbacks, frozen_now
):
    with django_capture_on_commit_callbacks(execute=True):
        ada = add(alice)
    with django_capture_on_commit_callbacks(execute=True):
        ada.name = "Ada King"
        contact_save(contact=ada, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        ada.archived = True
        contact_save(contact=ada, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        contact_save(contact=ada, today=TODAY)  # already archived: an update, not an archive
    assert events() == [
        ("contact.created", {"contact": {**ref(ada), "name": "Ada Lovelace"}}),
        ("contact.updated", {"contact": ref(ada)}),
        ("contact.updated", {"contact": ref(ada)}),
        ("contact.archived", {"contact": ref(ada)}),
        ("contact.updated", {"contact": ref(ada)}),
    ]
    first = WebhookDelivery.objects.order_by("pk").first()
    assert first.payload["id"] == str(first.event_id)
    assert first.payload["created_at"] == "2026-11-28T09:30:00+00:00"
    assert (first.status, first.next_attempt_at) == ("pending", NOW)


def test_archiving_from_the_page_and_in_bulk(alice, hook, django_capture_on_commit_callbacks):
    ada, bo, cy = add(alice, "Ada"), add(alice, "Bo"), add(alice, "Cy")
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        contacts_set_flags(owner=alice, contact_ids=[ada.pk], archived=True)
    with django_capture_on_commit_callbacks(execute=True):
        contacts_bulk_edit(owner=alice, contact_ids=[ada.pk, bo.pk, cy.pk], action="archive")
    # Ada was archived already: the bulk edit tells only about the other two.
    assert events() == [
        ("contact.archived", {"contact": ref(ada)}),
        ("contact.archived", {"contact": ref(bo)}),
        ("contact.archived", {"contact": ref(cy)}),
    ]


def test_logging_an_interaction(alice, hook, django_capture_on_commit_callbacks):
    ada, bo = add(alice, "Ada"), add(alice, "Bo")
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        interaction = interaction_log(
            owner=alice, contacts=[ada, bo], kind="coffee", occurred_at=NOW, today=TODAY
        )
    assert events() == [
        (
            "interaction.logged",
            {
                "interaction": {
                    "id": interaction.pk,
                    "kind": "coffee",
                    "occurred_at": "2026-11-28T09:30:00+00:00",
                    "api_url": f"https://crm.example.com/api/v1/interactions/{interaction.pk}/",
                },
                "contacts": [ref(ada), ref(bo)],
            },
        )
    ]


def test_someone_becoming_due_and_the_digest(db, allow_private, django_capture_on_commit_callbacks):
    utc = dt.UTC
    zoe = user_signup(
        email="zoe@example.com",
        password="a-long-password-1",
        name="Zoë",
        time_zone="Europe/Paris",
        now=dt.datetime(2026, 3, 2, 9, tzinfo=utc),
    )
    webhook_create(owner=zoe, url="http://127.0.0.1:9/hook", events=["reminder.due", "digest.sent"])
    amara = contact_save(
        contact=Contact(owner=zoe, name="Amara", cadence_days=7), today=dt.date(2026, 3, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_run(now=dt.datetime(2026, 3, 9, 7, 1, tzinfo=utc))
    assert events() == [("reminder.due", {"contact": ref(amara), "due_on": "2026-03-09"})]
    [digest_id] = report.digests_to_deliver
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(digest_id=digest_id, now=dt.datetime(2026, 3, 9, 7, 2, tzinfo=utc))
    assert events()[-1] == (
        "digest.sent",
        {"digest": {"id": digest_id, "item_count": 1, "sent_at": "2026-03-09T07:02:00+00:00"}},
    )
    # A second sweep opens nothing new: no second reminder.due.
    with django_capture_on_commit_callbacks(execute=True):
        sweep_run(now=dt.datetime(2026, 3, 9, 7, 5, tzinfo=utc))
    assert [event for event, _ in events()] == ["reminder.due", "digest.sent"]


def test_only_subscribed_events_of_the_owners_own_webhooks(
    alice, bob, allow_private, django_capture_on_commit_callbacks
):
    webhook_create(owner=alice, url="http://127.0.0.1:9/a", events=["interaction.logged"])
    webhook_create(owner=bob, url="http://127.0.0.1:9/b", events=ALL)
    with django_capture_on_commit_callbacks(execute=True):
        add(alice)
    assert events() == []


def test_two_webhooks_get_their_own_delivery_ids(
    alice, allow_private, django_capture_on_commit_callbacks
):
    for path in ("a", "b"):
        webhook_create(owner=alice, url=f"http://127.0.0.1:9/{path}", events=["contact.created"])
    with django_capture_on_commit_callbacks(execute=True):
        add(alice)
    rows = list(WebhookDelivery.objects.all())
    assert len(rows) == 2
    assert len({row.event_id for row in rows}) == 2
    assert {row.webhook.url for row in rows} == {"http://127.0.0.1:9/a", "http://127.0.0.1:9/b"}


def test_a_rolled_back_change_sends_nothing(alice, hook, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        add(alice)
        raise Boom
    assert events() == []
    assert not Contact.objects.exists()


def test_without_webhooks_a_save_costs_one_query_after_commit(
    alice, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks:
        add(alice)
    with django_assert_num_queries(1):  # "has alice an active webhook?"
        for callback in callbacks:
            callback()
