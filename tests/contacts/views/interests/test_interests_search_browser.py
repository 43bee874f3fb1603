"""Typing in the interests search narrows the list in place (htmx), folded like every search:
"cafe" finds "Café", "obrien" finds "O’Brien"; clearing it brings the whole list back."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from contacts.services import contact_interest_add
from tests.factories import ContactFactory
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker

pytestmark = pytest.mark.browser


def signed_in(page: Page, user, live_server) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def test_typing_filters_the_interests_in_place(page: Page, alice, bob, live_server):
    for index, name in enumerate(["Café culture", "O’Brien's pub quiz", "Jazz", "Chess"]):
        contact = ContactFactory(owner=alice, name=f"Friend {index}")
        contact_interest_add(contact=contact, name=name)
    contact_interest_add(contact=ContactFactory(owner=bob, name="Bob Pal"), name="Café society")
    for index in range(40):
        contact_interest_add(
            contact=ContactFactory(owner=alice, name=f"Filler {index}"), name=f"Hobby {index:02d}"
        )
    signed_in(page, alice, live_server).goto("/contacts/interests/")
    rows = page.locator(".interest-row")
    expect(rows).to_have_count(30)  # a page of them, not all 44
    expect(page.get_by_text("44 interests · page 1 of 2")).to_be_visible()
    set_reload_marker(page)

    search = page.get_by_role("searchbox", name="Find an interest")
    search.press_sequentially("cafe")
    expect(rows).to_have_count(1)
    expect(page.get_by_role("heading", name="Café culture")).to_be_visible()
    expect(page.get_by_text("1 interest matches “cafe”")).to_be_visible()
    expect(page.get_by_text("Café society")).to_have_count(0)  # bob's
    assert page.url.endswith("?q=cafe")

    search.fill("")
    search.press_sequentially("obrien")
    expect(rows).to_have_count(1)
    expect(page.get_by_role("heading", name="O’Brien's pub quiz")).to_be_visible()
    expect(rows.first).to_contain_text("1 person")
    expect(rows.first.get_by_role("link", name="Friend 1")).to_be_visible()

    search.fill("")
    search.press("Enter")
    expect(rows).to_have_count(30)
    assert_not_reloaded(page)
    # Your own interests stay above, usable whatever the search.
    expect(page.get_by_role("textbox", name="Your interests")).to_be_editable()
