"""Done-when of "Interactions and the dashboard", end to end in Chromium, on seeded demo data.

Who is due is listed; one click logs a coffee in place (announced, with an undo); a lunch logged
three days late from a contact's page moves their next reach-out from that day; the network
health chart draws a year of weeks and says the same in words.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact
from interactions.models import Interaction
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

TIME_ZONE = "America/St_Johns"  # UTC-3:30 (or -2:30): a date taken from UTC shows most evenings
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


def local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TIME_ZONE)).date()


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx's settle then
    # copies onto swapped-in elements, and the CSP reports that as an error.
    page.screenshot(path=SHOTS / f"done5-{name}.png", full_page=True, caret="initial")


def interactions_in_last_52_weeks(owner: User, today: dt.date) -> int:
    monday_51_weeks_ago = today - dt.timedelta(days=today.weekday(), weeks=51)
    return Interaction.objects.filter(
        owner=owner, occurred_on__gte=monday_51_weeks_ago, occurred_on__lte=today
    ).count()


@pytest.mark.parametrize("page", [{"timezone_id": TIME_ZONE}], indirect=True)
def test_due_list_quick_log_with_undo_backdated_lunch_and_health_chart(page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.select_related("settings").get(email="ines@example.com")
    assert owner.settings.time_zone == TIME_ZONE
    call_command("seed_demo", "--user", owner.email, "--contacts", "40", "--seed", "3")
    today = local_today()

    page.goto("/")
    due = page.get_by_role("region", name="Reach out today")
    people = due.locator(".person")
    expected_due = Contact.objects.filter(
        owner=owner, archived=False, paused=False, next_reach_out_on__lte=today
    )
    shown = min(expected_due.count(), owner.settings.daily_limit)
    assert shown >= 2, "the demo data should have people due today"
    # Due people who share a city or an interest may be one meetup card instead of single
    # nudges (reminders/meetups.py): they are shown, just not one by one.
    in_cards = [n.strip() for n in due.locator(".meetup .person-name").all_text_contents()]
    due_names = set(expected_due.values_list("name", flat=True))
    expect(people).to_have_count(shown - sum(1 for name in in_cards if name in due_names))
    names = [name.strip() for name in people.locator(".person-name").all_text_contents()]
    assert set(names) <= set(expected_due.values_list("name", flat=True))
    first, second = names[0], names[1]
    assert Contact.objects.filter(owner=owner, name__in=[first, second]).count() == 2

    # The health chart: 52 weeks as bars, and the same in words.
    chart = page.get_by_role("img", name=re.compile(r"in the last 52 weeks"))
    expect(chart).to_have_class("week-chart")
    bars = chart.locator("rect")
    expect(bars).to_have_count(52)
    heights = bars.evaluate_all("bars => bars.map(bar => Number(bar.getAttribute('height')))")
    assert any(height > 0 for height in heights)
    assert all(0 <= height <= 60 for height in heights)
    weekly = [int(title.rsplit(": ", 1)[1]) for title in bars.locator("title").all_text_contents()]
    total = interactions_in_last_52_weeks(owner, today)
    assert total > 0
    assert sum(weekly) == total
    expect(page.locator("#week-chart-text")).to_contain_text(
        f"{total} interactions in the last 52 weeks"
    )
    # The same figures as a table, folded until asked for; months and a count scale label the axes.
    table = page.get_by_role("table", name=re.compile("Interactions per week"))
    expect(table).to_be_hidden()
    page.get_by_text("Every week as a table").click()
    expect(table).to_be_visible()
    cells = table.locator("tbody td").all_text_contents()
    assert [int(cell) for cell in cells] == weekly
    expect(chart.locator(".chart-months text")).not_to_have_count(0)
    expect(chart.locator(".chart-scale text").first).to_have_text("0")
    screenshot(page, "dashboard-1200")
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-390")
    page.set_viewport_size(DESKTOP)

    # One click logs a coffee with the first person: they leave the list, in place, announced.
    contact = Contact.objects.get(owner=owner, name=first)
    next_before, coffees_before = contact.next_reach_out_on, contact.interactions.count()
    set_reload_marker(page)
    due.get_by_role("button", name=f"Log coffee with {first}", exact=True).click()
    announcement = page.get_by_role("status").filter(has_text=f"Logged coffee with {first}.")
    expect(announcement).to_be_visible()
    expect(due.get_by_role("link", name=first, exact=True)).to_have_count(0)
    assert_not_reloaded(page)
    contact.refresh_from_db()
    assert contact.interactions.count() == coffees_before + 1
    assert contact.interactions.latest("occurred_at").kind == "coffee"
    assert contact.next_reach_out_on > today
    screenshot(page, "announcement")

    # Undo takes the coffee back, and them back into the list, still without a reload.
    announcement.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text(f"Undone: the coffee with {first}")
    expect(due.get_by_role("link", name=first, exact=True)).to_be_visible()
    assert_not_reloaded(page)
    contact.refresh_from_db()
    assert contact.interactions.count() == coffees_before
    assert contact.next_reach_out_on == next_before

    # A lunch three days ago, logged from the second person's page: the rhythm runs from then.
    three_days_ago = today - dt.timedelta(days=3)
    due.get_by_role("link", name=second, exact=True).click()
    expect(page.get_by_role("heading", name=second)).to_be_visible()
    activity = page.get_by_role("region", name="Staying in touch")
    expect(activity).to_contain_text("Due now")
    log_form = page.get_by_role("region", name="Log an interaction")
    log_form.get_by_label("What").select_option(label="Meal")
    log_form.get_by_label("When").fill(three_days_ago.isoformat())
    log_form.get_by_role("button", name="Log it").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Logged meal with {second} on {three_days_ago:%A} {three_days_ago.day} {three_days_ago:%B}."
    )
    lunch_guest = Contact.objects.select_related("circle").get(owner=owner, name=second)
    cadence = lunch_guest.effective_cadence_days
    assert cadence and cadence > 3
    next_on = three_days_ago + dt.timedelta(days=cadence)
    assert lunch_guest.last_interaction_on == three_days_ago
    assert lunch_guest.next_reach_out_on == next_on
    expect(activity).to_contain_text(
        re.compile(rf"Next reach-out in .+ \({next_on:%A} {next_on.day} {next_on:%B}\)\.")
    )
    expect(activity.get_by_role("list", name="Interactions, newest first")).to_contain_text(
        f"Meal · {three_days_ago:%a} {three_days_ago.day} {three_days_ago:%b %Y}"
    )

    page.get_by_role("link", name="Today").click()
    expect(due.get_by_role("link", name=first, exact=True)).to_be_visible()
    expect(due.get_by_role("link", name=second, exact=True)).to_have_count(0)
    recent = page.get_by_role("region", name="Recently")
    expect(recent.get_by_role("listitem").filter(has_text=second).first).to_contain_text("Meal")
