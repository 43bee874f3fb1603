"""The interactions admin's actions: change the kind of many, delete many with their days
recounted and their people's dates recomputed, each asked first and undone from its message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from interactions import services
from interactions.models import ActivityDay, Interaction
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CHANGELIST = reverse("admin:interactions_interaction_changelist")
TODAY = FROZEN_NOW.date()


def log(owner, contacts, day: dt.date, kind: str = "coffee", **extra) -> Interaction:
    return services.interaction_log(
        owner=owner,
        contacts=contacts,
        kind=kind,
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
        **extra,
    )


def run(client, action: str, ids: list[int], fields: dict | None = None) -> tuple[str, str]:
    """Choose the action on the list, then confirm it: the intermediate page and the list after."""
    first = client.post(CHANGELIST, {"action": action, "index": "0", "_selected_action": ids})
    assert first.status_code == 200
    confirm = {"action": action, "_selected_action": ids, "confirmed": "yes", **(fields or {})}
    response = client.post(CHANGELIST, confirm, follow=True)
    assert response.status_code == 200
    return first.content.decode(), response.content.decode()


def undo(client, html: str) -> str:
    url = re.search(r'<form method="post" action="([^"]+)" class="crm-undo">', html).group(1)
    return client.post(url, {"next": CHANGELIST}, follow=True).content.decode()


def days(owner) -> dict[dt.date, int]:
    return {row.day: row.total for row in ActivityDay.objects.filter(owner=owner) if row.total}


@pytest.fixture(params=[False, True], ids=["user", "superuser"])
def admin_client(request, client, alice):
    alice.is_superuser = request.param
    alice.save()
    client.force_login(alice)
    return client


def test_rekind_asks_changes_only_the_kind_and_undoes(admin_client, alice, bob):
    amara = ContactFactory(owner=alice, name="Amara", cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 1), "coffee")
    call = log(alice, [amara], dt.date(2026, 11, 20), "call")
    meal = log(alice, [amara], dt.date(2026, 11, 21), "meal")
    theirs = log(bob, [ContactFactory(owner=bob)], dt.date(2026, 11, 2), "coffee")
    amara.refresh_from_db()
    dates_before = (amara.last_interaction_on, amara.next_reach_out_on)

    page, after = run(
        admin_client, "rekind", [coffee.pk, call.pk, theirs.pk], {"kind": "video_call"}
    )

    assert "Change the kind" in page and "2 interactions" in page
    assert "Changed 2 interactions to “Video call”." in after
    kinds = dict(Interaction.objects.values_list("pk", "kind"))
    assert kinds == {
        coffee.pk: "video_call",
        call.pk: "video_call",
        meal.pk: "meal",
        theirs.pk: "coffee",
    }
    amara.refresh_from_db()
    assert (amara.last_interaction_on, amara.next_reach_out_on) == dates_before

    undone = undo(admin_client, after)
    assert "Undone: 2 interactions back to their kind." in undone
    kinds = dict(Interaction.objects.values_list("pk", "kind"))
    assert kinds == {coffee.pk: "coffee", call.pk: "call", meal.pk: "meal", theirs.pk: "coffee"}
    # An Undo works once.
    assert "nothing to undo" in undo(admin_client, after)


def test_rekind_refuses_an_unknown_kind(admin_client, alice):
    coffee = log(alice, [ContactFactory(owner=alice)], dt.date(2026, 11, 1))
    response = admin_client.post(
        CHANGELIST,
        {"action": "rekind", "_selected_action": [coffee.pk], "confirmed": "yes", "kind": "duel"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    coffee.refresh_from_db()
    assert coffee.kind == "coffee"


def test_bulk_delete_recounts_days_recomputes_people_and_undoes(admin_client, alice, bob):
    amara = ContactFactory(owner=alice, name="Amara", cadence_days=7)
    kwame = ContactFactory(owner=alice, name="Kwame", cadence_days=10)
    oldest = log(alice, [amara, kwame], dt.date(2026, 11, 1))
    same_day = log(alice, [kwame], dt.date(2026, 11, 20), initiated_by="me")
    latest = log(alice, [amara, kwame], dt.date(2026, 11, 20), notes="Talked about Lisbon")
    log(alice, [amara], dt.date(2026, 11, 25))
    theirs = log(bob, [ContactFactory(owner=bob)], dt.date(2026, 11, 20))
    assert days(alice) == {
        dt.date(2026, 11, 1): 1,
        dt.date(2026, 11, 20): 2,
        dt.date(2026, 11, 25): 1,
    }

    page, after = run(admin_client, "delete_interactions", [same_day.pk, latest.pk, theirs.pk])

    assert "Delete interactions" in page and "2 interactions" in page
    assert "Deleted 2 interactions." in after
    assert not Interaction.objects.filter(pk__in=[same_day.pk, latest.pk]).exists()
    assert Interaction.objects.filter(pk=theirs.pk).exists()
    # The 20th is recounted down to nothing; the others stay.
    assert days(alice) == {dt.date(2026, 11, 1): 1, dt.date(2026, 11, 25): 1}
    assert days(bob) == {dt.date(2026, 11, 20): 1}
    kwame.refresh_from_db()
    assert (kwame.last_interaction_on, kwame.next_reach_out_on) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 11),
    )

    undone = undo(admin_client, after)

    assert "Undone: 2 interactions restored." in undone
    restored = Interaction.objects.get(pk=latest.pk)
    assert restored.notes == "Talked about Lisbon"
    assert sorted(restored.contacts.values_list("name", flat=True)) == ["Amara", "Kwame"]
    assert Interaction.objects.get(pk=same_day.pk).initiated_by == "me"
    assert days(alice) == {
        dt.date(2026, 11, 1): 1,
        dt.date(2026, 11, 20): 2,
        dt.date(2026, 11, 25): 1,
    }
    kwame.refresh_from_db()
    assert (kwame.last_interaction_on, kwame.next_reach_out_on) == (
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 30),
    )
    assert oldest.pk in set(Interaction.objects.values_list("pk", flat=True))


def test_an_undo_is_only_for_the_user_who_acted(client, alice, bob):
    amara = ContactFactory(owner=alice)
    coffee = log(alice, [amara], dt.date(2026, 11, 1))
    client.force_login(alice)
    _, after = run(client, "delete_interactions", [coffee.pk])
    url = re.search(r'class="crm-undo">|action="([^"]+)" class="crm-undo"', after).group(1)

    client.force_login(bob)  # a new session: the undo isn't in it
    page = client.post(url, {"next": CHANGELIST}, follow=True).content.decode()
    assert "nothing to undo" in page
    assert not Interaction.objects.filter(pk=coffee.pk).exists()


def test_the_undo_url_takes_only_a_post(admin_client, alice):
    coffee = log(alice, [ContactFactory(owner=alice)], dt.date(2026, 11, 1))
    _, after = run(admin_client, "delete_interactions", [coffee.pk])
    url = re.search(r'action="([^"]+)" class="crm-undo"', after).group(1)
    assert admin_client.get(url).status_code == 405
    assert not Interaction.objects.filter(pk=coffee.pk).exists()


def test_djangos_own_bulk_delete_is_not_offered(admin_client, alice):
    log(alice, [ContactFactory(owner=alice)], dt.date(2026, 11, 1))
    page = admin_client.get(CHANGELIST).content.decode()
    assert 'value="delete_selected"' not in page
    assert 'value="delete_interactions"' in page and 'value="rekind"' in page
