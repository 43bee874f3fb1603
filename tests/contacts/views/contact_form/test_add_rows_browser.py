"""Adding a person with more ways to reach them than the form first shows: "Add another" puts one
more empty row in place (no save, no reload), focused, and everything is saved together."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from contacts.models import Contact
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker, sign_up

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/contact"))


@pytest.mark.parametrize("width", [390, 1280])
def test_add_two_more_emails_without_saving_then_save_them_all(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/accounts/signup/")
    sign_up(page, name="Noor Haddad", email="noor@example.com")
    expect(page.get_by_role("heading", name="Hello Noor")).to_be_visible()

    page.goto("/contacts/new/")
    page.get_by_label("Name", exact=True).fill("Ana Lima")
    values = page.get_by_label("Address, number or link")
    expect(values).to_have_count(2)
    values.nth(0).fill("ana@example.org")
    values.nth(1).fill("ana@home.example")
    set_reload_marker(page)

    add = page.get_by_role("button", name="Add another way to reach them")
    add.click()
    expect(values).to_have_count(3)
    # The new row's first field has the focus, ready to type into.
    expect(page.locator('select[name="methods-2-kind"]')).to_be_focused()
    values.nth(2).fill("ana@work.example")
    page.get_by_label("Label (optional)").nth(2).fill("work")
    add.click()
    expect(values).to_have_count(4)
    values.nth(3).fill("lima@example.net")
    assert_not_reloaded(page)
    assert page.locator("#id_methods-TOTAL_FORMS").input_value() == "4"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"add-rows-{width}.png", full_page=True)

    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="Ana Lima")).to_be_visible()
    contact = Contact.objects.get(owner=User.objects.get(email="noor@example.com"))
    assert sorted(contact.methods.values_list("value", "label")) == [
        ("ana@example.org", ""),
        ("ana@home.example", ""),
        ("ana@work.example", "work"),
        ("lima@example.net", ""),
    ]
    about = page.get_by_role("region", name="About")
    for address in ("ana@example.org", "ana@home.example", "ana@work.example", "lima@example.net"):
        expect(about.get_by_role("link", name=address)).to_be_visible()
