"""Meetups on the dashboard, in Chromium: two due people in one city are one card in place of
their nudges; "Log it" logs one interaction with both and they are no longer due; "Not now"
brings their single nudges back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact
from contacts.services import contact_save
from interactions.models import Interaction
from interactions.services import interaction_log
from network_crm.clock import local_today
from reminders.models import MeetupDismissal
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "Dinner with Ana Lima, Ben Costa and Chloé Martin in Lisbon?"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"meetups-{name}.png", full_page=True, caret="initial")


def due_people(page: Page, *people: tuple[str, str]) -> User:
    """Sign up, and give the new user (name, city) people on a 7-day rhythm last seen ten days
    ago: all due today."""
    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.get(email="ines@example.com")
    today = local_today(owner)
    for name, city in people:
        contact = contact_save(
            contact=Contact(owner=owner, name=name, city=city, cadence_days=7), today=today
        )
        interaction_log(
            owner=owner,
            contacts=[contact],
            kind="call",
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10),
            today=today,
        )
    page.goto("/")
    return owner


LISBON = [("Ana Lima", "Lisbon"), ("Ben Costa", "lisbon"), ("Chloé Martin", "Lisbon ")]


@pytest.mark.parametrize("page", [{"viewport": PHONE}], indirect=True)
def test_log_a_meetup_once_for_everyone(page):
    owner = due_people(page, *LISBON, ("Dev Patel", "Porto"))
    due = page.get_by_role("region", name="Reach out today")
    card = due.get_by_role("article", name=TITLE)
    expect(card).to_be_visible()
    expect(due.get_by_role("button", name="Log coffee with Dev Patel")).to_be_visible()
    for name, _ in LISBON:  # in the card, not as nudges of their own
        expect(card.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(due.get_by_role("button", name=f"Log coffee with {name}")).to_have_count(0)
    shot(page, "card-390")
    set_reload_marker(page)

    expect(card.get_by_label("What you did together")).to_have_value("meal")
    card.get_by_role("button", name=re.compile("^Log it")).click()
    announce = page.locator("#announce")
    expect(announce).to_contain_text("Logged meal with Ana Lima, Ben Costa and Chloé Martin.")
    expect(announce.get_by_role("button", name="Undo")).to_be_visible()
    expect(due.get_by_role("article")).to_have_count(0)
    expect(due.get_by_role("link", name="Ana Lima", exact=True)).to_have_count(0)
    expect(due.get_by_role("button", name="Log coffee with Dev Patel")).to_be_visible()
    assert_not_reloaded(page)
    shot(page, "logged-390")

    meal = Interaction.objects.get(owner=owner, kind="meal")
    assert sorted(meal.contacts.values_list("name", flat=True)) == [n for n, _ in LISBON]
    today = local_today(owner)
    assert [c.name for c in Contact.objects.filter(owner=owner).due(today)] == ["Dev Patel"]


def test_not_now_brings_the_single_nudges_back(new_page):
    page = new_page(viewport=DESKTOP)
    owner = due_people(page, *LISBON[:2], ("Dev Patel", "Porto"))
    due = page.get_by_role("region", name="Reach out today")
    card = due.get_by_role("article", name="Dinner with Ana Lima and Ben Costa in Lisbon?")
    expect(card).to_be_visible()
    expect(due.get_by_role("button", name="Log coffee with Ana Lima")).to_have_count(0)
    shot(page, "card-1280")

    card.get_by_role("button", name=re.compile("^Not now")).click()
    expect(page.locator("#announce")).to_contain_text("are back one by one")
    expect(due.get_by_role("article")).to_have_count(0)
    for name in ("Ana Lima", "Ben Costa", "Dev Patel"):
        expect(due.get_by_role("button", name=f"Log coffee with {name}")).to_be_visible()
    assert MeetupDismissal.objects.filter(owner=owner).count() == 1
    assert not Interaction.objects.filter(owner=owner, kind="meal").exists()
    shot(page, "dismissed-1280")
