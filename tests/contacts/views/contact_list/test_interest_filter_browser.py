"""The contact list's interest filter is a type-ahead: typing part of a name offers a few of the
user's interests (never a menu of thousands), picking one filters the list in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Interest
from contacts.services import contact_interest_add
from tests.factories import ContactFactory
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-f"))


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True, caret="initial")


def wait_for_htmx(page: Page) -> None:
    expect(page.locator(".htmx-request")).to_have_count(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_type_part_of_an_interest_pick_it_and_the_list_filters(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    owner = User.objects.get(email="noor@example.com")
    contact_interest_add(contact=ContactFactory(owner=owner, name="Ana Jazzfan"), name="Jazz")
    contact_interest_add(contact=ContactFactory(owner=owner, name="Bea Funk"), name="Jazz funk")
    # More interests than an account may now make: stored before the limit existed.
    Interest.objects.bulk_create(
        Interest(owner=owner, name=f"Topic {n:04}", folded_name=f"topic {n:04}")
        for n in range(2_000)
    )
    ContactFactory(owner=owner, name="Cy Nothing")

    page.get_by_role("link", name="People").click()
    results = page.get_by_role("region", name="People found")
    expect(results).to_contain_text("3 people")
    set_reload_marker(page)
    box = page.get_by_role("combobox", name="Interest")
    box.press_sequentially("ja")

    # A couple of suggestions, not 2,002 options.
    suggestions = page.locator("#interest-options option")
    expect(suggestions).to_have_count(2)
    assert suggestions.evaluate_all("options => options.map(o => o.value)") == [
        "Jazz",
        "Jazz funk",
    ]
    screenshot(page, f"contact-list-typing-{width}")
    # Picking a suggestion puts its name in the box (headless Chromium draws no datalist popup
    # to click, so the test puts it there) and Enter applies it, in place.
    box.fill(suggestions.first.get_attribute("value"))
    box.press("Enter")

    expect(results).to_contain_text("1 person")
    expect(results).to_contain_text("Ana Jazzfan")
    expect(results).not_to_contain_text("Bea Funk")
    assert "interest=Jazz" in page.url
    assert_not_reloaded(page)
    wait_for_htmx(page)
    screenshot(page, f"contact-list-filtered-{width}")
    # The bulk panel's interest boxes are typed too, with the same suggestions.
    results.get_by_text("Edit selected…").click()
    results.get_by_label("With the selected people").select_option(label="Remove interest…")
    results.get_by_label("Interest to remove").press_sequentially("jazz f")
    expect(suggestions).to_have_count(1)
    screenshot(page, f"contact-list-bulk-{width}")
