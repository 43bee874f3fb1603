"""The dashboard's actions, in Chromium: each says what it did in the one live region, focus
goes there (never back to <body>), its Undo is one Tab away and takes the action back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact
from contacts.services import contact_save
from interactions.models import Interaction
from interactions.services import interaction_log
from network_crm.clock import local_today
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/dash")
PHONE = {"width": 390, "height": 844}


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"test-{name}.png", full_page=False, caret="initial")


def due_people(page: Page, *names: str) -> User:
    """Sign up, and give the new user people on a 7-day rhythm last seen ten days ago."""
    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.get(email="ines@example.com")
    today = local_today(owner)
    for name in names:
        contact = contact_save(contact=Contact(owner=owner, name=name, cadence_days=7), today=today)
        interaction_log(
            owner=owner,
            contacts=[contact],
            kind="call",
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10),
            today=today,
        )
    page.goto("/")
    return owner


def expect_announced(page: Page, text: str) -> None:
    """The announcement says ``text``, has focus, and one Tab reaches its Undo."""
    announcement = page.locator("#announce")
    expect(announcement).to_contain_text(text)
    expect(announcement).to_be_focused()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    page.keyboard.press("Tab")
    expect(announcement.get_by_role("button", name="Undo")).to_be_focused()


def test_log_coffee_announces_with_focus_and_undo_one_tab_away(page):
    owner = due_people(page, "Amara Diallo", "Bruno Costa")
    due = page.get_by_role("region", name="Reach out today")
    expect(due.get_by_role("link", name="Amara Diallo", exact=True)).to_be_visible()
    set_reload_marker(page)

    due.get_by_role("button", name="Log coffee with Amara Diallo").click()
    expect_announced(page, "Logged coffee with Amara Diallo.")
    expect(due.get_by_role("link", name="Amara Diallo", exact=True)).to_have_count(0)
    # The due list refreshed behind it without taking focus away from the Undo.
    expect(page.locator("#announce").get_by_role("button", name="Undo")).to_be_focused()
    coffee = Interaction.objects.get(owner=owner, kind="coffee")
    screenshot(page, "logged-1280")

    page.locator("#announce").get_by_role("button", name="Undo").click()
    expect(page.locator("#announce")).to_contain_text("Undone: the coffee with Amara Diallo")
    expect(page.locator("#announce")).to_be_focused()
    expect(due.get_by_role("link", name="Amara Diallo", exact=True)).to_be_visible()
    assert not Interaction.objects.filter(pk=coffee.pk).exists()
    assert_not_reloaded(page)

    # The next action starts with an empty region: the old message does not linger.
    page.evaluate(
        "document.body.addEventListener('htmx:beforeSend', () => "
        "{ window.__during = document.getElementById('announce').textContent.trim(); })"
    )
    due.get_by_role("button", name="Log coffee with Bruno Costa").click()
    expect_announced(page, "Logged coffee with Bruno Costa.")
    assert page.evaluate("window.__during") == ""


def test_snooze_from_the_menu_by_keyboard_and_undo(page):
    owner = due_people(page, "Amara Diallo")
    amara = Contact.objects.get(owner=owner)
    due_on = amara.next_reach_out_on
    due = page.get_by_role("region", name="Reach out today")
    set_reload_marker(page)

    # The compact menu opens from the keyboard; its rows are at least 44px tall.
    menu_button = due.get_by_text("More", exact=False).first
    menu_button.focus()
    page.keyboard.press("Enter")
    snooze = due.get_by_role("button", name="Snooze a week for Amara Diallo")
    expect(snooze).to_be_visible()
    assert snooze.bounding_box()["height"] >= 44
    # Escape closes it and gives focus back to its button.
    page.keyboard.press("Escape")
    expect(snooze).to_be_hidden()
    expect(due.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    snooze.focus()
    page.keyboard.press("Enter")

    expect_announced(page, "Snoozed Amara Diallo for 7 days.")
    expect(due).to_contain_text("Nobody is due today")
    amara.refresh_from_db()
    assert amara.snoozed_until == local_today(owner) + dt.timedelta(days=7)

    page.keyboard.press("Enter")  # focus is on Undo
    expect(page.locator("#announce")).to_contain_text("Undone: Amara Diallo's snooze.")
    expect(due.get_by_role("link", name="Amara Diallo", exact=True)).to_be_visible()
    amara.refresh_from_db()
    assert (amara.snoozed_until, amara.next_reach_out_on) == (None, due_on)
    assert_not_reloaded(page)


def test_we_are_fine_from_the_menu_on_a_phone_and_undo(page):
    page.set_viewport_size(PHONE)
    owner = due_people(page, "Amara Diallo")
    amara = Contact.objects.get(owner=owner)
    due_on, restarted = amara.next_reach_out_on, amara.cadence_restarted_on
    due = page.get_by_role("region", name="Reach out today")

    due.locator("summary").click()
    fine = due.get_by_role("button", name="We're fine with Amara Diallo")
    assert fine.bounding_box()["height"] >= 44
    screenshot(page, "menu-390")
    fine.click()

    expect_announced(page, "Noted: you and Amara Diallo are fine.")
    expect(due).to_contain_text("Nobody is due today")
    amara.refresh_from_db()
    assert amara.cadence_restarted_on == local_today(owner)
    screenshot(page, "fine-390")

    page.locator("#announce").get_by_role("button", name="Undo").click()
    expect(page.locator("#announce")).to_contain_text("Undone: Amara Diallo's “we're fine”.")
    expect(due.get_by_role("link", name="Amara Diallo", exact=True)).to_be_visible()
    amara.refresh_from_db()
    assert (amara.cadence_restarted_on, amara.next_reach_out_on) == (restarted, due_on)
