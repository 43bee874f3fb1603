"""The share target in Chromium, as a phone opens it: what was shared opens Things to share,
prefilled; its secondary link proposes it as a note instead, a person is chosen, and the note
lands on their page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from interactions.models import Interaction
from tests.factories import ContactFactory, UserFactory
from tests.fixtures.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"offline-{name}.png", full_page=True, caret="initial")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1200, "height": 900}], ids=["phone", "desk"])
def test_a_shared_link_is_saved_as_a_note_on_the_chosen_person(
    new_page, transactional_db, browser_errors, viewport
):
    browser_errors.allow(r"/share/note/: .*status of 400")  # the form sent back with its error
    owner = UserFactory(email="ines@example.com", name="Ines Duarte")
    ana = ContactFactory(owner=owner, name="Ana Lima")
    ContactFactory(owner=owner, name="Bruno Costa")
    page = new_page(viewport=viewport)
    shared = {
        "title": "Why we sleep <b>well</b>",
        "text": "Thought of you https://example.org/sleep",
        "url": "https://example.org/sleep",
    }
    # Signed out, the share goes through the log-in page and comes back with what was shared.
    page.goto("/share/?" + urlencode(shared))
    page.get_by_label("Email address").fill("ines@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Save a thing to share")).to_be_visible()
    expect(page.get_by_label("Link")).to_have_value("https://example.org/sleep")
    expect(page.get_by_label("Title")).to_have_value("Why we sleep <b>well</b>")
    expect(page.get_by_label("Why it's worth sharing")).to_have_value("Thought of you")
    page.get_by_role("link", name="Save it as a note on a person instead").click()
    expect(page.get_by_role("heading", name="Save this link as a note on…")).to_be_visible()
    note = page.get_by_label("Note")
    expect(note).to_have_value("Why we sleep <b>well</b>\nThought of you https://example.org/sleep")
    assert axe_violations(page, where="share") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    name = "phone" if viewport == PHONE else "desk"
    shot(page, f"share-{name}")

    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Choose whom to save it on.")).to_be_visible()
    expect(note).to_have_value("Why we sleep <b>well</b>\nThought of you https://example.org/sleep")
    shot(page, f"share-error-{name}")
    page.get_by_label("Save it on").select_option(label="Ana Lima")
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_role("heading", name="Ana Lima")).to_be_visible()
    expect(page.get_by_text("Saved on Ana Lima's page.")).to_be_visible()
    interaction = Interaction.objects.get(owner=owner)
    assert list(interaction.contacts.all()) == [ana]
    # A textarea sends its lines with CRLF, as every form of the app does.
    assert (
        interaction.notes.replace("\r\n", "\n")
        == "Why we sleep <b>well</b>\nThought of you https://example.org/sleep"
    )
    shot(page, f"share-saved-{name}")
