"""The interactions', circles' and interests' admin actions end to end in Chromium, each with
its Undo: re-kind, bulk delete (days recounted), rename and re-time a circle, merge interests.
As a plain user and as a superuser, who still sees and changes only their own rows."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Circle, Contact, Interest
from contacts.services import contacts_recompute_due
from interactions.models import ActivityDay, Interaction
from interactions.services import interaction_log
from tests.factories import CircleFactory, ContactFactory, InterestFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
TODAY = dt.date(2026, 11, 28)


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def choose(page: Page, labels: list[str], action: str) -> None:
    """Tick the rows called ``labels`` on the changelist, pick ``action`` and run it."""
    for label in labels:
        page.get_by_label(f"Select this object for an action - {label}", exact=True).check()
    page.get_by_role("combobox", name="Action").select_option(label=action)
    page.get_by_role("button", name="Run").click()


def confirm(page: Page, button: str, done: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messagelist")).to_contain_text(done)


def undo(page: Page, undone: str) -> None:
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".messagelist")).to_contain_text(undone)


def coffee(owner, contacts, day: dt.date, kind: str = "coffee") -> Interaction:
    return interaction_log(
        owner=owner,
        contacts=contacts,
        kind=kind,
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
    )


def day_totals(owner) -> dict[dt.date, int]:
    return {row.day: row.total for row in ActivityDay.objects.filter(owner=owner) if row.total}


@pytest.mark.parametrize("superuser", [False, True], ids=["user", "superuser"])
def test_interactions_circles_and_interests_actions_with_undo(page, superuser):
    alice = UserFactory(email="alice@example.com", is_superuser=superuser)
    bob = UserFactory(email="bob@example.com", is_superuser=True)
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    amara = ContactFactory(owner=alice, name="Amara Diallo", circle=friends)
    kwame = ContactFactory(owner=alice, name="Kwame Mensah", circle=friends)
    first = coffee(alice, [amara, kwame], dt.date(2026, 11, 1))
    call = coffee(alice, [amara], dt.date(2026, 11, 20), "call")
    meal = coffee(alice, [kwame], dt.date(2026, 11, 20), "meal")
    bobs_contact = ContactFactory(owner=bob, name="Bob's confidant")
    coffee(bob, [bobs_contact], dt.date(2026, 11, 20))
    CircleFactory(owner=bob, name="Bob's poker night")
    jazz = InterestFactory(owner=alice, name="Jazz")
    jazz_music = InterestFactory(owner=alice, name="Jazz music")
    amara.interests.add(jazz, jazz_music)
    kwame.interests.add(jazz_music)
    InterestFactory(owner=bob, name="Secret hobby")
    contacts_recompute_due(owner=alice)

    log_in(page, "alice@example.com")

    # Re-kind: the call and the meal become video calls, and back.
    page.goto("/admin/interactions/interaction/")
    expect(page.get_by_text("Bob's confidant")).to_have_count(0)
    choose(page, [str(call), str(meal)], "Change the kind…")
    expect(page.get_by_role("heading", name="Change the kind")).to_be_visible()
    expect(page.get_by_text("This changes 2 interactions:")).to_be_visible()
    page.get_by_label("Video call").check()
    confirm(page, "Change 2 interactions", "Changed 2 interactions to “Video call”.")
    assert set(Interaction.objects.filter(owner=alice).values_list("kind", flat=True)) == {
        "coffee",
        "video_call",
    }
    undo(page, "Undone: 2 interactions back to their kind.")
    assert Interaction.objects.get(pk=call.pk).kind == "call"
    assert Interaction.objects.get(pk=meal.pk).kind == "meal"

    # Bulk delete: the 20th is recounted to nothing, Kwame's clock falls back; Undo restores.
    call.refresh_from_db()
    meal.refresh_from_db()
    choose(page, [str(call), str(meal)], "Delete…")
    expect(page.get_by_role("heading", name="Delete interactions")).to_be_visible()
    confirm(page, "Delete 2 interactions", "Deleted 2 interactions.")
    assert list(Interaction.objects.filter(owner=alice)) == [first]
    assert day_totals(alice) == {dt.date(2026, 11, 1): 1}
    assert Contact.objects.get(pk=kwame.pk).last_interaction_on == dt.date(2026, 11, 1)
    undo(page, "Undone: 2 interactions restored.")
    assert Interaction.objects.filter(owner=alice).count() == 3
    assert day_totals(alice) == {dt.date(2026, 11, 1): 1, dt.date(2026, 11, 20): 2}
    assert Contact.objects.get(pk=kwame.pk).last_interaction_on == dt.date(2026, 11, 20)
    assert day_totals(bob) == {dt.date(2026, 11, 20): 1}

    # Rename a circle and re-time its people, then undo.
    page.goto("/admin/contacts/circle/")
    expect(page.get_by_text("Bob's poker night")).to_have_count(0)
    choose(page, ["Friends"], "Rename and re-time…")
    expect(page.get_by_role("heading", name="Rename a circle")).to_be_visible()
    page.get_by_label("Name").fill("Good friends")
    page.get_by_label("Reach out every (days)").fill("10")
    confirm(page, "Save the circle", "Renamed “Friends” to “Good friends”")
    assert Contact.objects.get(pk=kwame.pk).next_reach_out_on == dt.date(2026, 11, 30)
    undo(page, "Undone: “Friends” is back as it was.")
    assert Circle.objects.get(pk=friends.pk).cadence_days == 30
    assert Contact.objects.get(pk=kwame.pk).next_reach_out_on == dt.date(2026, 12, 20)

    # Merge "Jazz music" into "Jazz": Amara keeps one, Kwame gains it; Undo splits them again.
    page.goto("/admin/contacts/interest/")
    expect(page.get_by_text("Secret hobby")).to_have_count(0)
    choose(page, ["Jazz", "Jazz music"], "Merge into one…")
    expect(page.get_by_role("heading", name="Merge interests")).to_be_visible()
    page.get_by_label("Jazz", exact=True).check()
    confirm(page, "Merge 2 interests", "Merged “Jazz music” into “Jazz”: 1 person gained it.")
    assert sorted(Interest.objects.get(pk=jazz.pk).contacts.values_list("name", flat=True)) == [
        "Amara Diallo",
        "Kwame Mensah",
    ]
    assert not Interest.objects.filter(pk=jazz_music.pk).exists()
    undo(page, "Undone: 1 interest back, with their people.")
    assert sorted(
        Interest.objects.get(pk=jazz_music.pk).contacts.values_list("name", flat=True)
    ) == [
        "Amara Diallo",
        "Kwame Mensah",
    ]
    assert list(Interest.objects.get(pk=jazz.pk).contacts.values_list("name", flat=True)) == [
        "Amara Diallo"
    ]
