"""Settings → Channels in Chromium under the strict CSP: add a channel pointing at a real
receiver, send a test, see it delivered, remove it; axe on each page; screenshots (desktop and
phone) in /tmp/shots for a look."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from notify.models import Channel
from tests.fixtures.axe import axe_violations
from tests.fixtures.browser import sign_up

from .conftest import SECRET

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"channels-{name}.png", full_page=True, caret="initial")
    # No page may scroll sideways (long URL hints and examples wrap), at any width.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"


@pytest.mark.django_db(transaction=True)
def test_add_test_and_remove_a_channel(page: Page, browser_errors, receiver, allow_private):
    browser_errors.allow(r"status of 400")  # the console's note on the refused URL's answer
    page.goto("/accounts/signup/")
    sign_up(page, name="Alice Martin", email="alice@example.com")
    page.goto("/accounts/settings/")
    expect(page.locator("#channels")).to_contain_text("No channel yet.")
    page.get_by_role("link", name="Manage channels").click()
    expect(page.get_by_role("heading", name="Channels", level=1)).to_be_visible()
    assert axe_violations(page, where="channels (empty)") == []
    screenshot(page, "empty")

    page.get_by_label("Name").fill("My phone (ntfy)")
    page.get_by_label("Apprise URL").fill("tgram://")
    page.get_by_role("button", name="Add the channel").click()
    expect(page.get_by_text("could not be read")).to_be_visible()
    assert axe_violations(page, where="channels (error)") == []
    screenshot(page, "error")

    page.get_by_label("Apprise URL").fill(receiver.url(secret=SECRET))
    page.get_by_role("button", name="Add the channel").click()
    expect(page.locator("#announce")).to_contain_text("“My phone (ntfy)” added.")
    row = page.locator(".channel", has_text="My phone (ntfy)")
    expect(row).to_contain_text("Nothing sent yet.")
    expect(row.locator(".tag")).to_have_text("On")
    assert SECRET not in page.content()

    row.get_by_role("button", name="Send a test to My phone (ntfy)").click()
    expect(page.locator("#announce")).to_contain_text("Test sent to “My phone (ntfy)”.")
    expect(row).to_contain_text("Last delivered")
    assert receiver.received[0]["title"] == "network-crm: test"

    receiver.answer(500)
    row.get_by_role("button", name="Send a test to My phone (ntfy)").click()
    expect(page.locator("#announce")).to_contain_text("The test to “My phone (ntfy)” failed")
    expect(row.locator(".badge-due")).to_have_text("Error")
    assert SECRET not in page.content()
    assert axe_violations(page, where="channels (list)") == []
    screenshot(page, "list")
    page.set_viewport_size(PHONE)
    screenshot(page, "list-phone")
    assert axe_violations(page, where="channels (list, phone)") == []

    row.get_by_role("button", name="Pause My phone (ntfy)").click()
    expect(row.locator(".tag").first).to_have_text("Paused")
    assert not Channel.objects.get().enabled

    row.get_by_role("link", name="Edit My phone (ntfy)").click()
    expect(page.get_by_role("heading", name="My phone (ntfy)", level=1)).to_be_visible()
    expect(page.get_by_label("New Apprise URL")).to_have_value("")
    assert SECRET not in page.content()
    assert axe_violations(page, where="channel edit") == []
    screenshot(page, "edit-phone")
    page.get_by_label("Name").fill("Phone")
    page.get_by_label("Send the daily digest here").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#announce")).to_contain_text("“Phone” saved.")
    assert Channel.objects.get().enabled

    page.locator(".channel", has_text="Phone").get_by_role("link", name="Edit Phone").click()
    page.get_by_role("link", name="Remove…").click()
    expect(page.get_by_role("heading", name="Remove “Phone”?")).to_be_visible()
    assert axe_violations(page, where="channel remove") == []
    screenshot(page, "remove-phone")
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator("#announce")).to_contain_text("“Phone” removed")
    expect(page.get_by_text("No channel yet.")).to_be_visible()
    assert not Channel.objects.exists()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/settings/")
    screenshot(page, "settings")
