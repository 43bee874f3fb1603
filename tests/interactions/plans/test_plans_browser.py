"""Plans in Chromium, the whole journey: plan a coffee for tomorrow 10:00 from a person's page →
it is under Coming up → the calendar feed has it as a timed event → the next morning's digest
names it with its brief → after 10:00 one click logs it, and the promise capture sets a
follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from interactions.models import Interaction, PlannedInteraction
from reminders.models import Digest
from reminders.services.digests import digest_render
from tests.factories import ContactFactory, UserFactory
from tests.fixtures.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
BERLIN = ZoneInfo("Europe/Berlin")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"plans-{name}.png", full_page=True, caret="initial")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_plan_a_coffee_see_it_coming_up_in_the_calendar_and_digest_then_log_it(
    new_page, transactional_db, live_server, browser_errors, viewport
):
    owner = UserFactory(email="ines@example.com", name="Ines Duarte")
    owner.settings.time_zone = "Europe/Berlin"
    owner.settings.save(update_fields=["time_zone"])
    ana = ContactFactory(owner=owner, name="Ana Lima")
    today = dt.datetime.now(BERLIN).date()
    tomorrow = today + dt.timedelta(days=1)
    name = "phone" if viewport == PHONE else "desk"

    with time_machine.travel(at(today, 9), tick=True) as traveller:
        page = new_page(viewport=viewport)
        page.goto(ana.get_absolute_url())
        page.get_by_label("Email address").fill("ines@example.com")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        page.get_by_role("link", name="Plan a meeting with Ana Lima").click()
        expect(page.get_by_role("heading", name="Plan a meeting")).to_be_visible()
        expect(page.get_by_label("Day")).to_have_value(tomorrow.isoformat())
        expect(page.get_by_label("Time")).to_have_value("10:00")
        page.get_by_label("Where").fill("Café Einstein")
        page.get_by_label("To talk about").fill("Her trip to Lisbon")
        assert axe_violations(page, where="plan form") == []
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shot(page, f"form-{name}")
        page.get_by_role("button", name="Plan it").click()

        expect(page.get_by_role("heading", name="Ana Lima")).to_be_visible()
        expect(page.get_by_text("Planned: coffee with Ana Lima on")).to_be_visible()
        plans_card = page.locator("#plans")
        expect(plans_card).to_contain_text("Coffee with Ana Lima")
        expect(plans_card).to_contain_text("Tomorrow")
        shot(page, f"person-{name}")

        page.goto("/")
        coming_up = page.locator("#soon")
        expect(coming_up).to_contain_text("Coffee with Ana Lima")
        expect(coming_up).to_contain_text("at 10:00")
        expect(coming_up).to_contain_text("Café Einstein")
        expect(coming_up.get_by_role("link", name="Brief: Ana Lima")).to_be_visible()
        expect(coming_up.get_by_role("button", name="Log it: Coffee with Ana Lima")).to_have_count(
            0
        )
        shot(page, f"coming-up-{name}")

        plan = PlannedInteraction.objects.get(owner=owner)
        assert plan.starts_at == at(tomorrow, 10)
        feed_url = reverse("reminders:calendar", args=[owner.settings.calendar_token])
        feed = page.request.get(feed_url).text()
        assert f"UID:{plan.uid}" in feed and "SUMMARY:Coffee with Ana Lima" in feed
        assert f"DTSTART:{at(tomorrow, 10).astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in feed

        traveller.move_to(at(tomorrow, 7))
        digest = Digest.objects.create(owner=owner, local_date=tomorrow)
        message, _count = digest_render(digest=digest)
        assert "Coffee with Ana Lima at 10:00 (Café Einstein)" in message.body
        assert "To talk about: Her trip to Lisbon" in message.body
        assert "Ana Lima's brief: " in message.body

        traveller.move_to(at(tomorrow, 10, 45))
        page.goto("/")
        page.get_by_role("button", name="Log it: Coffee with Ana Lima").click()
        announcement = page.locator("#announce")
        expect(announcement).to_contain_text("Logged: coffee with Ana Lima.")
        expect(announcement.get_by_role("button", name="Undo")).to_be_visible()
        interaction = Interaction.objects.get(owner=owner)
        assert list(interaction.contacts.all()) == [ana]
        assert interaction.place == "Café Einstein" and interaction.occurred_at == at(tomorrow, 10)
        assert PlannedInteraction.objects.get().state == "logged"
        expect(coming_up).not_to_contain_text("Coffee with Ana Lima")

        announcement.get_by_label("What you promised").fill("Send the Lisbon photos")
        announcement.get_by_text("In 3 days").click()
        shot(page, f"logged-{name}")
        assert axe_violations(page, where="promise capture") == []
        announcement.get_by_role("button", name="Remind me").click()
        expect(announcement).to_contain_text("Noted: Send the Lisbon photos")
        interaction.refresh_from_db()
        assert interaction.follow_up_on == tomorrow + dt.timedelta(days=3)
    assert browser_errors.unexpected() == []
