"""A person's page reads in the order it is used (log, history, then the rest, photo and
archive/delete last) on a phone, with the log card top left on a wide screen; checkboxes,
radios and the file picker are the app's own, with clickable labels and a visible focus."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import ContactFactory
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

CARDS_IN_ORDER = ["Log an interaction", "Staying in touch", "Interests", "About", "Photo"]


def boxes(page):
    return {
        name: page.get_by_role("heading", name=name, exact=True).bounding_box()
        for name in [*CARDS_IN_ORDER, "Stop keeping track"]
    }


@pytest.mark.parametrize("width", [390, 1280])
def test_the_contact_page_puts_logging_first(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    contact = ContactFactory(owner=User.objects.get(email="noor@example.com"), name="Ana Lima")
    page.goto(contact.get_absolute_url())

    headings = page.locator("main h2").all_inner_texts()
    order = [headings.index(name) for name in [*CARDS_IN_ORDER, "Stop keeping track"]]
    assert order == sorted(order), headings  # reading order, for screen readers and phones
    found = boxes(page)
    if width == 390:
        tops = [found[name]["y"] for name in [*CARDS_IN_ORDER, "Stop keeping track"]]
        assert tops == sorted(tops)
    else:
        log = found["Log an interaction"]
        assert log["y"] <= min(box["y"] for box in found.values())
        assert log["x"] <= min(box["x"] for box in found.values())
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The photo picker's button is styled like the app's secondary buttons.
    picker = page.get_by_label("Add a photo")
    background = picker.evaluate(
        "el => getComputedStyle(el, '::file-selector-button').backgroundColor"
    )
    assert background == "rgb(255, 253, 250)"  # --paper


def test_checkboxes_and_radios_are_ours_clickable_by_label_with_visible_focus(page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()
    contact = ContactFactory(owner=User.objects.get(email="noor@example.com"), name="Ana Lima")

    page.goto(f"/contacts/{contact.pk}/edit/")
    paused = page.get_by_role("checkbox", name="Paused")
    assert paused.evaluate("el => getComputedStyle(el).appearance") == "none"
    page.locator("label", has_text="Paused").click()
    expect(paused).to_be_checked()
    paused.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible applies
    expect(paused).to_be_focused()
    assert paused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    page.keyboard.press("Space")
    expect(paused).not_to_be_checked()

    page.goto(f"/interactions/new/{contact.pk}/")
    they_did = page.get_by_role("radio", name="They did")
    assert they_did.evaluate("el => getComputedStyle(el).appearance") == "none"
    page.get_by_text("They did", exact=True).click()  # the words, not the circle
    expect(they_did).to_be_checked()
    expect(page.get_by_role("radio", name="Not sure")).not_to_be_checked()
