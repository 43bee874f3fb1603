"""Every action on the contacts admin, end to end in Chromium with its Undo: as a plain user and
as a superuser, who still sees and changes only their own people."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from contacts.admin import ContactAdmin
from contacts.models import BulkChange, Contact
from contacts.services import contacts_recompute_due
from tests.factories import CircleFactory, ContactFactory, InterestFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def choose(page: Page, names: list[str], action: str) -> None:
    """Tick ``names`` on the changelist, pick ``action`` and run it."""
    for name in names:
        page.get_by_label(f"Select this object for an action - {name}").check()
    page.get_by_role("combobox", name="Action").select_option(label=action)
    page.get_by_role("button", name="Run").click()


def confirm_then_undo(page: Page, button: str, done: str, check_done, check_undone) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messagelist")).to_contain_text(done)
    check_done()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".messagelist")).to_contain_text("Undone: " + done)
    check_undone()


def field(name: str, column: str):
    return Contact.objects.values_list(column, flat=True).get(name=name)


@pytest.mark.parametrize("superuser", [False, True], ids=["user", "superuser"])
def test_each_contact_action_asks_applies_and_undoes(page, superuser, monkeypatch):
    alice = UserFactory(email="alice@example.com", is_superuser=superuser)
    bob = UserFactory(email="bob@example.com", is_superuser=True)
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    climbers = CircleFactory(owner=alice, name="Climbers", cadence_days=7)
    CircleFactory(owner=bob, name="Bob's poker night")
    jazz = InterestFactory(owner=alice, name="Jazz")
    for name in ["Amara Diallo", "Kwame Mensah", "Lena Vogel"]:
        ContactFactory(owner=alice, name=name, circle=friends).interests.add(jazz)
    ContactFactory(owner=bob, name="Bob's confidant")
    contacts_recompute_due(owner=alice)
    two = ["Amara Diallo", "Kwame Mensah"]

    log_in(page, "alice@example.com")
    page.goto("/admin/contacts/contact/")
    expect(page.get_by_role("link", name="Amara Diallo")).to_be_visible()
    expect(page.get_by_text("Bob's confidant")).to_have_count(0)

    # Move to a circle: the page says who, offers only her circles.
    choose(page, two, "Move to a circle…")
    expect(page.get_by_role("heading", name="Move to a circle")).to_be_visible()
    expect(page.get_by_text("This changes 2 people:")).to_be_visible()
    expect(page.get_by_role("list", name="Some of them")).to_contain_text("Kwame Mensah")
    expect(page.get_by_label("Circle").locator("option", has_text="poker")).to_have_count(0)
    page.get_by_label("Circle").select_option(label="Climbers")
    confirm_then_undo(
        page,
        "Move 2 people",
        "Moved 2 people to Climbers.",
        lambda: field("Kwame Mensah", "circle") == climbers.pk or pytest.fail("not moved"),
        lambda: field("Kwame Mensah", "circle") == friends.pk or pytest.fail("not back"),
    )

    # Set the rhythm, then the same page clears it.
    choose(page, two, "Set or clear the rhythm…")
    page.get_by_label("Every how many days").fill("14")
    confirm_then_undo(
        page,
        "Set the rhythm of 2 people",
        "Set 2 people to every 14 days.",
        lambda: field("Amara Diallo", "cadence_days") == 14 or pytest.fail("rhythm not set"),
        lambda: field("Amara Diallo", "cadence_days") is None or pytest.fail("rhythm not back"),
    )
    Contact.objects.filter(name="Amara Diallo").update(cadence_days=20)
    choose(page, ["Amara Diallo"], "Set or clear the rhythm…")
    page.get_by_label("Follow their circle").check()
    confirm_then_undo(
        page,
        "Set the rhythm of 1 person",
        "Set 1 person to follow their circle.",
        lambda: field("Amara Diallo", "cadence_days") is None or pytest.fail("not cleared"),
        lambda: field("Amara Diallo", "cadence_days") == 20 or pytest.fail("not back"),
    )

    # Add, then remove an interest.
    choose(page, two, "Add an interest…")
    page.get_by_label("Interest").fill("Bouldering")
    linked = Contact.interests.through.objects
    confirm_then_undo(
        page,
        "Add it to 2 people",
        "Added “Bouldering” to 2 people.",
        lambda: linked.filter(interest__name="Bouldering").count() == 2 or pytest.fail("not added"),
        lambda: linked.filter(interest__name="Bouldering").count() == 0 or pytest.fail("still"),
    )
    choose(page, two, "Remove an interest…")
    page.get_by_label("Interest").select_option(label="Jazz (2 of them)")
    confirm_then_undo(
        page,
        "Remove it from 2 people",
        "Removed “Jazz” from 2 people.",
        lambda: linked.filter(interest=jazz).count() == 1 or pytest.fail("not removed"),
        lambda: linked.filter(interest=jazz).count() == 3 or pytest.fail("not back"),
    )

    # Pause / resume, archive / unarchive.
    for action, button, done, flag, value in [
        ("Pause reminders…", "Pause 2 people", "Paused reminders for 2 people.", "paused", True),
        ("Archive…", "Archive 2 people", "Archived 2 people.", "archived", True),
    ]:
        choose(page, two, action)
        confirm_then_undo(
            page,
            button,
            done,
            lambda flag=flag, value=value: field("Amara Diallo", flag) is value or pytest.fail(),
            lambda flag=flag, value=value: (
                field("Amara Diallo", flag) is not value or pytest.fail()
            ),
        )
    Contact.objects.filter(owner=alice).update(paused=True, archived=True)
    for action, button, done, flag in [
        ("Resume reminders…", "Resume 2 people", "Resumed reminders for 2 people.", "paused"),
        ("Unarchive…", "Bring back 2 people", "Brought back 2 people.", "archived"),
    ]:
        page.goto("/admin/contacts/contact/")
        choose(page, two, action)
        confirm_then_undo(
            page,
            button,
            done,
            lambda flag=flag: field("Kwame Mensah", flag) is False or pytest.fail(),
            lambda flag=flag: field("Kwame Mensah", flag) is True or pytest.fail(),
        )
    Contact.objects.filter(owner=alice).update(paused=False, archived=False)

    # "Select all 3 contacts" on a searched list, one row per page: every match, nobody else's.
    monkeypatch.setattr(ContactAdmin, "list_per_page", 1)
    page.goto("/admin/contacts/contact/?q=a")
    page.get_by_label("Select all objects on this page for an action").check()
    page.get_by_role("button", name="Select all 3 contacts").click()
    page.get_by_role("combobox", name="Action").select_option(label="Pause reminders…")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("This changes 3 people, every one matching")).to_be_visible()
    confirm_then_undo(
        page,
        "Pause 3 people",
        "Paused reminders for 3 people.",
        lambda: Contact.objects.filter(owner=alice, paused=True).count() == 3 or pytest.fail(),
        lambda: not Contact.objects.filter(paused=True).exists() or pytest.fail(),
    )
    assert Contact.objects.get(name="Bob's confidant").paused is False
    assert not BulkChange.objects.filter(owner=bob).exists()
    monkeypatch.undo()

    # Export: pick a format, get a file of the selection; nothing to undo.
    page.goto("/admin/contacts/contact/")
    choose(page, two, "Export…")
    expect(page.get_by_text("This exports 2 people:")).to_be_visible()
    page.get_by_label("CSV for spreadsheets").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download 2 people").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Amara Diallo" in text and "Kwame Mensah" in text and "Lena" not in text

    # Merge: exactly two, on the merge screen.
    page.goto("/admin/contacts/contact/")
    choose(page, ["Amara Diallo", "Kwame Mensah", "Lena Vogel"], "Merge two people…")
    expect(page.locator(".messagelist")).to_contain_text("Merging takes exactly two people")
    choose(page, two, "Merge two people…")
    expect(page).to_have_url(re.compile(r"/contacts/\d+/merge/\d+/$"))
    expect(page.get_by_role("heading", name="Same person?")).to_be_visible()
    page.get_by_role("button", name="Merge into one person").click()
    expect(page.get_by_text("Merged Kwame Mensah into Amara Diallo.")).to_be_visible()
    assert not Contact.objects.filter(name="Kwame Mensah").exists()
    page.get_by_role("button", name="Undo merge").click()
    expect(page.get_by_text("Merge undone: Kwame Mensah is back.")).to_be_visible()
    assert Contact.objects.filter(owner=alice).count() == 3
