"""Idempotency-Key and If-Match on interactions: a retried log is one row, even when the two tries
race each other; an edit from a stale read is refused with 412 and changes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from api.models import IdempotencyRecord
from interactions.models import ActivityDay, Interaction
from tests.factories import ContactFactory, InteractionFactory

URL = "/api/v1/interactions/"


def test_a_retry_with_the_same_key_replays_the_first_answer(alice_api, alice, frozen_now):
    ada = ContactFactory(owner=alice, cadence_days=14)
    body = {"contacts": [ada.pk], "kind": "call"}

    first = alice_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="log-1")
    again = alice_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="log-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["ETag"] == first["ETag"]
    assert again["Idempotent-Replayed"] == "true"
    assert Interaction.objects.count() == 1
    assert ActivityDay.objects.get(owner=alice).total == 1


def test_the_same_key_for_another_body_is_refused(alice_api, alice, frozen_now):
    ada = ContactFactory(owner=alice)
    alice_api.post(URL, {"contacts": [ada.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    response = alice_api.post(
        URL, {"contacts": [ada.pk], "notes": "other"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert Interaction.objects.count() == 1


def test_a_refused_log_keeps_no_key(alice_api, alice, frozen_now):
    ada = ContactFactory(owner=alice)
    refused = alice_api.post(
        URL, {"contacts": [ada.pk], "kind": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="fix-me"
    )
    fixed = alice_api.post(
        URL, {"contacts": [ada.pk], "kind": "call"}, format="json", HTTP_IDEMPOTENCY_KEY="fix-me"
    )

    assert (refused.status_code, fixed.status_code) == (400, 201)
    assert Interaction.objects.get().kind == "call"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_log_one_interaction(alice_api, alice):
    """Both tries reach the server at once (a client timed out and retried): the unique
    (owner, key) index makes the second wait for the first and replay its answer."""
    ada = ContactFactory(owner=alice, cadence_days=14)
    body = {"contacts": [ada.pk], "kind": "coffee", "notes": "Retried"}
    start = threading.Barrier(2, timeout=10)
    answers: list = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            start.wait()
            answers.append(alice_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="race-1"))
        except BaseException as exc:  # reported below, from the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Interaction.objects.count() == 1
    assert Interaction.objects.get().notes == "Retried"
    assert IdempotencyRecord.objects.filter(owner=alice, key="race-1").count() == 1
    assert ActivityDay.objects.get(owner=alice).total == 1
    replayed = [answer for answer in answers if answer.has_header("Idempotent-Replayed")]
    assert len(replayed) == 1


def test_an_edit_from_a_stale_read_is_412_and_changes_nothing(alice_api, alice, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC), tick=False)
    ada = ContactFactory(owner=alice)
    interaction = InteractionFactory(owner=alice, contacts=[ada], notes="First")
    url = f"{URL}{interaction.pk}/"
    stale = alice_api.get(url)["ETag"]
    changed = alice_api.patch(url, {"notes": "Second"}, format="json", HTTP_IF_MATCH=stale)
    assert changed.status_code == 200
    assert changed["ETag"] != stale

    refused_patch = alice_api.patch(url, {"notes": "Third"}, format="json", HTTP_IF_MATCH=stale)
    refused_put = alice_api.put(url, {"contacts": [ada.pk]}, format="json", HTTP_IF_MATCH=stale)
    refused_delete = alice_api.delete(url, HTTP_IF_MATCH=stale)

    assert (refused_patch.status_code, refused_put.status_code) == (412, 412)
    assert refused_delete.status_code == 412
    interaction.refresh_from_db()
    assert interaction.notes == "Second"
    current = alice_api.get(url)["ETag"]
    assert current == changed["ETag"]
    assert alice_api.delete(url, HTTP_IF_MATCH=current).status_code == 204
    assert not Interaction.objects.exists()
