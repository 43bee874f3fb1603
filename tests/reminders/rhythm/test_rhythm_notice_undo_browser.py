"""Don't hound, in Chromium: after three ignored nudges the dashboard and the person's page say
the rhythm was stretched; Undo (one Tab away in the live region) puts it back and the notice
goes, without a reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact
from contacts.services import contact_save
from network_crm.clock import local_today
from reminders.models import Reminder, RhythmStretch
from reminders.services.rhythm import rhythm_stretch_ignored
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"hound-{name}.png", full_page=True, caret="initial")


def ignored_three_times(page: Page) -> Contact:
    """Sign up; Ana (every 4 weeks) is due and her nudge went by in three digests."""
    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.get(email="ines@example.com")
    today = local_today(owner)
    ana = contact_save(
        contact=Contact(owner=owner, name="Ana Lima", cadence_days=28),
        today=today - dt.timedelta(days=31),
    )
    Reminder.objects.create(
        owner=owner, contact=ana, kind="reach_out", due_on=ana.next_reach_out_on, nudge_count=3
    )
    # What the sweep does when the fourth digest is owed.
    rhythm_stretch_ignored(owner=owner, today=today, now=dt.datetime.now(dt.UTC))
    return ana


def test_the_stretch_is_said_and_undone_from_the_dashboard(page, new_page):
    ana = ignored_three_times(page)
    page.goto("/")
    notice = page.get_by_role("region", name="Rhythms we made gentler")
    expect(notice).to_contain_text(
        "Ana Lima's nudge went by three times, so we'll suggest every 5 weeks instead of 4."
    )
    expect(page.get_by_role("link", name="Ana Lima", exact=True)).to_have_count(0)  # not due
    shot(page, "dashboard-1280")

    phone = new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(ana.get_absolute_url())
    expect(phone.get_by_text("Ana Lima's nudge went by three times")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "person-390")
    phone.goto("/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "dashboard-390")

    set_reload_marker(page)
    notice.get_by_role("button", name="Undo the longer rhythm for Ana Lima").click()
    announcement = page.locator("#announce")
    expect(announcement).to_contain_text("Ana Lima's rhythm is back to every 4 weeks.")
    expect(announcement).to_be_focused()
    expect(notice).to_have_count(0)
    # Back on four weeks, and long overdue: she is in "Reach out today" again.
    expect(
        page.get_by_role("region", name="Reach out today").get_by_role(
            "link", name="Ana Lima", exact=True
        )
    ).to_be_visible()
    assert_not_reloaded(page)
    shot(page, "undone-1280")
    ana.refresh_from_db()
    assert ana.cadence_days == 28
    assert RhythmStretch.objects.get(contact=ana).undone_at is not None
