"""In Chromium: an introduction through its double opt-in steps (both people's pages show it,
one Introduction interaction with both in the DB), and the brief on a phone (no sideways scroll)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from giving.models import Introduction
from interactions.models import Interaction
from interactions.services import interaction_log
from tests.factories import ContactFactory, InterestFactory, UserFactory
from tests.fixtures.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"intros-{name}.png", full_page=True, caret="initial")


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_an_introduction_through_its_steps_shows_on_both_pages(new_page, transactional_db):
    owner = UserFactory(email="ines@example.com", name="Ines Duarte")
    ana = ContactFactory(owner=owner, name="Ana Lima")
    ben = ContactFactory(owner=owner, name="Ben Adler")
    ContactFactory(owner=owner, name="Benedita Sousa")
    page = new_page(viewport=DESK)
    log_in(page, "ines@example.com")

    page.goto(ana.get_absolute_url())
    page.get_by_role("link", name="Introduce Ana Lima to…").click()
    page.get_by_label("Type a name").fill("ben")
    page.get_by_role("button", name="Find").click()
    shot(page, "add-desk")
    page.get_by_role("link", name="Ben Adler").click()
    page.get_by_label("Why should they meet?").fill("Both hiring data people in Porto")
    page.get_by_role("button", name="Save the introduction").click()
    page.set_viewport_size(PHONE)
    shot(page, "idea-phone")
    page.set_viewport_size(DESK)

    expect(page.get_by_role("heading", name="Introducing Ana Lima to Ben Adler")).to_be_visible()
    expect(page.get_by_text("Double opt-in")).to_be_visible()
    detail = page.url
    for button in ("I asked Ana Lima", "Ana Lima said yes; I asked Ben Adler", "Both agreed"):
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("button", name="Undo")).to_be_visible()
    assert not Interaction.objects.exists()
    shot(page, "agreed-desk")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "agreed-phone")
    page.set_viewport_size(DESK)
    page.get_by_role("button", name="I introduced them").click()
    expect(page.locator("#intro-status")).to_contain_text("Introduced. How did it go?")
    assert axe_violations(page, where="introduction detail") == []
    shot(page, "detail-desk")

    (interaction,) = Interaction.objects.all()
    assert interaction.kind == Interaction.Kind.INTRODUCTION
    assert set(interaction.contacts.all()) == {ana, ben}
    assert Introduction.objects.get().interaction == interaction

    page.get_by_label("How did it go?").fill("Ben hired Ana's colleague")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator("#intro-status")).to_contain_text("Outcome noted.")
    assert Interaction.objects.count() == 1

    for person, other in ((ana, "Ben Adler"), (ben, "Ana Lima")):
        page.goto(person.get_absolute_url())
        card = page.get_by_role("region", name="Introductions")
        expect(card.get_by_role("link", name=re.compile(other))).to_be_visible()
        expect(card).to_contain_text("You introduced")
    shot(page, "person-desk")
    page.set_viewport_size(PHONE)
    for path, name in (
        (ben.get_absolute_url(), "person"),
        (detail, "detail"),
        ("/introductions/", "list"),
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, f"{name}-phone")


def test_the_brief_fits_a_phone(new_page, transactional_db):
    owner = UserFactory(email="ines@example.com", name="Ines Duarte")
    mia = ContactFactory(owner=owner, name="Mia Chen")
    ana = ContactFactory(
        owner=owner,
        name="Ana Lima",
        role="Head of data",
        company="Atelier Sul",
        city="Porto",
        how_we_met="Climbing gym in Porto, the Tuesday evening group; she was the one with the chalk",
        introduced_by=mia,
    )
    ana.interests.add(InterestFactory(owner=owner, name="Jazz", mine=True))
    ana.interests.add(InterestFactory(owner=owner, name="Bouldering", mine=True))
    now = dt.datetime.now(dt.UTC)
    for days, fields in (
        (40, {"notes": "Long talk about moving to Lisbon " * 6}),
        (20, {"ask_next_time": "how the new job is going"}),
        (5, {"follow_up_on": now.date() + dt.timedelta(days=3), "follow_up_note": "the paper"}),
    ):
        interaction_log(
            owner=owner,
            contacts=[ana],
            kind="coffee",
            occurred_at=now - dt.timedelta(days=days),
            today=now.date(),
            place="Café Majestic",
            **fields,
        )
    for viewport, name in ((PHONE, "phone"), (DESK, "desk")):
        page = new_page(viewport=viewport)
        log_in(page, "ines@example.com")
        page.goto(ana.get_absolute_url())
        page.get_by_role("link", name=re.compile("^Brief")).click()
        expect(page.get_by_role("heading", name="Brief: Ana Lima")).to_be_visible()
        for text in ("Climbing gym", "Mia Chen", "how the new job is going", "the paper", "Jazz"):
            expect(page.get_by_text(text).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert axe_violations(page, where=f"brief at {name}") == []
        shot(page, f"brief-{name}")
