"""Done-when of "Contacts, circles and shared interests", end to end in Chromium.

A new user says what they're into, adds a person with two emails and a rhythm, gives them three
interests (two shared, typed with other accents and case) and finds them by interest in a live
search; then twelve people move to "Mentors" at once, and back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Circle, Contact
from contacts.services import contact_save
from interactions.services import interaction_log
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

TIME_ZONE = "America/Los_Angeles"  # behind UTC, so a date taken from the server's clock shows
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}


def local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TIME_ZONE)).date()


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx's settle then
    # copies onto swapped-in elements, and the CSP reports that as an error.
    page.screenshot(path=SHOTS / f"done4-{name}.png", full_page=True, caret="initial")


def add_people(owner: User, count: int) -> list[Contact]:
    """``count`` people in assorted circles (or none), some seen ten days ago."""
    today = local_today()
    circles = {circle.name: circle for circle in Circle.objects.filter(owner=owner)}
    homes = [circles["Close friends"], circles["Friends"], None, circles["Acquaintances"]]
    people = []
    for number in range(count):
        contact = contact_save(
            contact=Contact(owner=owner, name=f"Person {number:02d}", circle=homes[number % 4]),
            today=today,
        )
        if number % 3 == 0:
            seen = dt.datetime.combine(
                today - dt.timedelta(days=10), dt.time(12), tzinfo=ZoneInfo(TIME_ZONE)
            )
            interaction_log(
                owner=owner, contacts=[contact], kind="call", occurred_at=seen, today=today
            )
        people.append(contact)
    return people


def wait_for_htmx(page: Page) -> None:
    """Until no htmx request is in flight (one that a change started has been swapped in)."""
    expect(page.locator(".htmx-request")).to_have_count(0)


def due_state(contacts: list[Contact]) -> dict[int, tuple]:
    rows = Contact.objects.filter(pk__in=[c.pk for c in contacts])
    return {
        pk: (circle_id, last, added, next_on)
        for pk, circle_id, last, added, next_on in rows.values_list(
            "pk", "circle_id", "last_interaction_on", "added_on", "next_reach_out_on"
        )
    }


@pytest.mark.parametrize("page", [{"timezone_id": TIME_ZONE}], indirect=True)
def test_shared_interests_and_a_live_search_by_interest(page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    owner = User.objects.get(email="noor@example.com")

    # What the user is into, in their own spelling.
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Set your interests on the Interests page").click()
    page.get_by_role("textbox", name="Your interests").fill("jazz, Climbing")
    page.get_by_role("button", name="Save interests").click()
    expect(page.get_by_role("status")).to_contain_text("Your interests are saved.")
    expect(page.get_by_role("textbox", name="Your interests")).to_have_value("Climbing, jazz")

    # A person with two ways to reach them and a rhythm of their own.
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Léa Moreau")
    ways = page.get_by_role("group", name="Ways to reach them")
    expect(ways.get_by_label("Type")).to_have_count(2)
    for row, (label, address) in enumerate(
        [("work", "lea@studio.example"), ("home", "lea.moreau@example.org")]
    ):
        ways.get_by_label("Type").nth(row).select_option(label="Email")
        ways.get_by_label("Label").nth(row).fill(label)
        ways.get_by_label("Address, number or link").nth(row).fill(address)
    page.get_by_label("Reach out every (days)").fill("21")
    page.get_by_role("button", name="Add person").click()

    expect(page.get_by_role("heading", name="Léa Moreau")).to_be_visible()
    lea = Contact.objects.get(owner=owner, name="Léa Moreau")
    assert sorted(lea.methods.values_list("kind", "label", "value")) == [
        ("email", "home", "lea.moreau@example.org"),
        ("email", "work", "lea@studio.example"),
    ]
    assert lea.cadence_days == 21
    assert lea.next_reach_out_on == lea.added_on + dt.timedelta(days=21)
    about = page.get_by_role("region", name="About")
    expect(about.get_by_role("link", name="lea@studio.example")).to_be_visible()
    expect(about.get_by_role("link", name="lea.moreau@example.org")).to_be_visible()
    expect(about).to_contain_text("every 21 days")

    # Three interests typed in place; the two the user shares match despite accents and case.
    interests = page.get_by_role("region", name="Interests")
    set_reload_marker(page)
    chips = interests.get_by_role("listitem")
    for count, name in enumerate(["Jázz", "climbing", "Pottery"], start=1):
        interests.get_by_label("Add an interest").fill(name)
        interests.get_by_role("button", name="Add", exact=True).click()
        # The section comes back with the new chip before the next one is typed into it.
        expect(chips).to_have_count(count)
    shared = re.compile(r"\bshared\b")
    for name in ["jazz", "Climbing"]:  # the user's spelling: one interest, not two
        chip = chips.filter(has=page.get_by_role("link", name=name, exact=True))
        expect(chip).to_have_class(shared)
        expect(chip).to_contain_text("you too")
    pottery = chips.filter(has=page.get_by_role("link", name="Pottery", exact=True))
    expect(pottery).not_to_have_class(shared)
    expect(pottery).not_to_contain_text("you too")
    assert_not_reloaded(page)
    # The line under the name is outside the interests fragment: it is drawn on page load.
    page.reload()
    expect(page.get_by_text(re.compile(r"^You both love"))).to_have_text(
        "You both love Climbing and jazz."
    )
    assert sorted(lea.interests.values_list("name", "mine")) == [
        ("Climbing", True),
        ("Pottery", False),
        ("jazz", True),
    ]
    screenshot(page, "contact")

    # Twelve more people, then a live search by interest, typed without the accent.
    add_people(owner, 12)
    page.get_by_role("link", name="People").click()
    results = page.get_by_role("region", name="People found")
    expect(results).to_contain_text("13 people")
    screenshot(page, "list-1200")
    set_reload_marker(page)
    page.get_by_label("Search people").fill("jazz")
    expect(results).to_contain_text("1 match for “jazz”")
    expect(results.get_by_role("link", name="Léa Moreau")).to_be_visible()
    expect(results.get_by_role("link", name="Person 00")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]q=jazz\b"))
    assert_not_reloaded(page)
    page.set_viewport_size(PHONE)
    page.get_by_label("Search people").fill("")
    expect(results).to_contain_text("13 people")
    screenshot(page, "list-390")

    page.set_viewport_size({"width": 1200, "height": 900})
    page.get_by_role("link", name="Interests").click()
    expect(page.get_by_role("heading", name=re.compile(r"^jazz"))).to_be_visible()
    screenshot(page, "interests")


@pytest.mark.parametrize("page", [{"timezone_id": TIME_ZONE}], indirect=True)
def test_move_twelve_people_to_mentors_and_undo(page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    owner = User.objects.get(email="noor@example.com")
    lea = contact_save(
        contact=Contact(owner=owner, name="Léa Moreau", cadence_days=21), today=local_today()
    )
    others = add_people(owner, 12)
    before = due_state(others)
    lea_before = due_state([lea])

    # Twelve of the thirteen rows ticked and moved to "Mentors" (every 60 days) in one go.
    page.get_by_role("link", name="People").click()
    results = page.get_by_role("region", name="People found")
    expect(results).to_contain_text("13 people")
    for contact in others:
        results.get_by_label(f"Select {contact.name}").check()
    results.get_by_text("Edit selected…").click()
    ticked = results.get_by_role("checkbox", name=re.compile("^Select"), checked=True)
    results.get_by_label("With the selected people").select_option(label="Move to circle…")
    wait_for_htmx(page)
    assert ticked.count() == 12, "choosing an action lost the ticks"
    results.get_by_label("Circle to move them to", exact=True).select_option(label="Mentors")
    wait_for_htmx(page)
    assert ticked.count() == 12, "choosing a circle lost the ticks"
    results.get_by_role("button", name="Apply to selected").click()

    expect(page.get_by_role("status")).to_contain_text("Moved 12 people to Mentors.")
    mentors = Circle.objects.get(owner=owner, name="Mentors")
    assert mentors.cadence_days == 60
    after = due_state(others)
    for pk, (circle_id, last, added, next_on) in after.items():
        assert circle_id == mentors.pk
        assert next_on == (last or added) + dt.timedelta(days=60), pk
    assert after != before
    assert due_state([lea]) == lea_before  # not ticked, not moved

    # Undo puts back every circle (or none) and every date.
    undo_bar = page.locator(".undo-bar")
    expect(undo_bar).to_contain_text("Last bulk change: Moved 12 people to Mentors.")
    undo_bar.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone: Moved 12 people to Mentors.")
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    assert due_state(others) == before
