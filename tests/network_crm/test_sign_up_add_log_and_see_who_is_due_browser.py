"""The first slice, end to end: sign up, add a person, log a coffee, see who is due, log again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

TIME_ZONE = "Pacific/Auckland"  # far from UTC, so a date taken from the wrong clock shows


@pytest.mark.parametrize("page", [{"timezone_id": TIME_ZONE}], indirect=True)
def test_add_a_person_log_a_coffee_and_see_them_due(page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Sam Rivera", email="sam@example.com")
    page.get_by_role("link", name="Add your first person").click()

    expect(page.get_by_role("heading", name="Add a person")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Amara Okoye")
    page.get_by_label("Reach out every (days)").fill("7")
    page.get_by_role("button", name="Add person").click()

    expect(page.get_by_role("heading", name="Amara Okoye")).to_be_visible()
    expect(page).to_have_title("Amara Okoye · network-crm")
    activity = page.get_by_role("region", name="Staying in touch")
    expect(activity).to_contain_text("Nothing logged yet")

    # A coffee ten days ago, by the user's own calendar (the browser's zone, chosen at sign-up).
    today = dt.datetime.now(ZoneInfo(TIME_ZONE)).date()
    ten_days_ago = today - dt.timedelta(days=10)
    set_reload_marker(page)
    log_form = page.get_by_role("region", name="Log an interaction")
    expect(log_form.get_by_label("What")).to_have_value("coffee")
    log_form.get_by_label("When").fill(ten_days_ago.isoformat())
    log_form.get_by_role("button", name="Log it").click()

    expect(
        page.get_by_role("status").filter(has_text="Logged coffee with Amara Okoye")
    ).to_be_visible()
    expect(activity).to_contain_text("Due now")
    history = activity.get_by_role("list", name="Interactions, newest first")
    expect(history.get_by_role("listitem")).to_have_count(1)
    expect(history.get_by_role("listitem")).to_contain_text(
        f"Coffee · {ten_days_ago:%a} {ten_days_ago.day} {ten_days_ago:%b %Y}"
    )
    assert_not_reloaded(page)

    # The dashboard says who to reach out to today; one click logs the next coffee, in place.
    page.get_by_role("link", name="Today").click()
    due = page.get_by_role("region", name="Reach out today")
    expect(due.get_by_role("link", name="Amara Okoye", exact=True)).to_be_visible()
    set_reload_marker(page)
    due.get_by_role("button", name="Log coffee").click()

    expect(due.get_by_role("link", name="Amara Okoye", exact=True)).to_have_count(0)
    expect(due).to_contain_text("Nobody is due today")
    assert_not_reloaded(page)
    amara = Contact.objects.get(name="Amara Okoye")
    assert amara.interactions.count() == 2
    # "Now" in the user's zone (the test may straddle their midnight).
    assert amara.last_interaction_on in {today, dt.datetime.now(ZoneInfo(TIME_ZONE)).date()}
