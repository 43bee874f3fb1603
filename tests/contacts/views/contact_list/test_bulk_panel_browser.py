"""The bulk panel in a browser: choosing an action shows only its field, the count follows the
ticks (and "select all N matching"), and after applying and undoing you are on the same
filtered, sorted page of the list as before."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact
from tests.factories import ContactFactory
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/locale"))
FIELDS = {
    "Move to circle…": "Circle to move them to",
    "Set rhythm…": "New rhythm, every … days (empty: follow the circle)",
    "Add interest…": "Interest to add",
    "Remove interest…": "Interest to remove",
}


def query(page: Page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def expect_only(panel, visible: str | None) -> None:
    for label in FIELDS.values():
        field = panel.get_by_label(label, exact=True)
        if label == visible:
            expect(field).to_be_visible()
        else:
            expect(field).to_be_hidden()


@pytest.mark.parametrize("width", [390, 1280])
def test_choose_count_apply_and_undo_on_the_same_filtered_page(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    owner = User.objects.get(email="noor@example.com")
    for n in range(60):
        ContactFactory(owner=owner, name=f"Friend {n:02d}")
    ContactFactory(owner=owner, name="Zed Stranger")

    page.goto("/contacts/?q=Friend&page=2")
    results = page.get_by_role("region", name="People found")
    expect(results).to_contain_text("60 matches")
    # Sorting through htmx changes the address without reloading the page.
    page.get_by_label("Sort by").select_option(label="Longest since last contact")
    expect(page).to_have_url(re.compile(r"sort=last"))
    expect(results.get_by_role("checkbox", name="Select Friend")).not_to_have_count(0)
    before = query(page)

    results.get_by_text("Edit selected…").click()
    panel = results.locator(".bulk-panel")
    count = panel.get_by_role("status")
    expect(count).to_have_text("Tick people in the list, or select all 60 matching.")
    expect_only(panel, None)
    for action, label in FIELDS.items():
        panel.get_by_label("With the selected people").select_option(label=action)
        expect_only(panel, label)
    panel.get_by_label("With the selected people").select_option(label="Pause reminders")
    expect_only(panel, None)

    ticks = results.locator("input[name=ids]")
    ticks.nth(0).check()
    ticks.nth(1).check()
    expect(count).to_have_text("2 selected on this page.")
    panel.get_by_label(re.compile("Select all 60 matching")).check()
    expect(count).to_have_text("All 60 matching selected.")
    panel.get_by_label(re.compile("Select all 60 matching")).uncheck()
    expect(count).to_have_text("2 selected on this page.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=SHOTS / f"bulk-panel-test-{width}.png")

    panel.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("Paused reminders for 2 people.", exact=True)).to_be_visible()
    assert query(page) == before
    assert Contact.objects.filter(owner=owner, paused=True).count() == 2

    page.get_by_role("button", name="Undo the last bulk change").click()
    expect(page.get_by_text("Undone: Paused reminders for 2 people.", exact=True)).to_be_visible()
    assert query(page) == before
    assert Contact.objects.filter(owner=owner, paused=True).count() == 0
    page.screenshot(path=SHOTS / f"bulk-undone-test-{width}.png")
