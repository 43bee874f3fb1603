"""The Things to share journey in Chromium (issue 20, "Done when"): save a link with topics → who
would enjoy it, by shared interest → "Share with Ana" logs the interaction → Ana waits out the
cooldown on the next thing while Ben is still suggested."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from giving.models import Share, ShareItem
from giving.things import share_item_fetch
from interactions.models import Interaction
from network_crm.clock import now
from tests.fixtures.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desk", DESK)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"things-{name}-{label}.png", full_page=True, caret="initial")
    page.set_viewport_size(PHONE)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_share_a_link_with_the_people_who_would_enjoy_it_then_the_cooldown(
    new_page, transactional_db, site, settings, people
):
    settings.THINGS_ALLOW_PRIVATE = True  # the page to read is on loopback
    ana, ben = people["ana"], people["ben"]
    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("alice@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Things to share").click()
    expect(page.get_by_role("heading", name="Things to share", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Save to network-crm")).to_be_visible()  # bookmarklet
    shot(page, "empty-list")
    page.get_by_role("link", name="Save a thing").click()
    page.get_by_label("Link").fill(site.url("/page"))
    page.get_by_label("Topics").fill("jazz, CLIMBING")
    page.get_by_label("Why it's worth sharing").fill("Ana and Ben both play.")
    assert axe_violations(page, where="save a thing") == []
    shot(page, "add")
    page.get_by_role("button", name="Save it").click()

    # The worker reads the page; the page polls and shows the title when it has it.
    expect(page.get_by_text("Fetching the page's title…")).to_be_visible()
    item = ShareItem.objects.get(owner=people["ana"].owner)
    assert share_item_fetch(item_id=item.pk, now=now()) == "done"
    expect(page.get_by_role("heading", name="The joy of jazz")).to_be_visible()
    expect(page.get_by_text("Why we listen.")).to_be_visible()

    # Suggestions by shared interest: Ana (both topics) first, then Ben and Chloé.
    suggestions = page.locator(".suggestion .person-name")
    expect(suggestions).to_have_text(["Ana Lima", "Ben Okoro", "Chloé Martin"])
    page.get_by_text("Share with Ana Lima").click()
    expect(page.locator(f"#message-{ana.pk}")).to_contain_text("Hi Ana,")
    expect(page.get_by_role("link", name="Open in your mail app").first).to_have_attribute(
        "href", re.compile(r"^mailto:\?subject=The%20joy%20of%20jazz&body=Hi%20Ana")
    )
    expect(page.get_by_role("button", name="Copy message")).to_be_visible()
    assert axe_violations(page, where="thing page, share panel open") == []
    no_sideways_scroll(page)
    shot(page, "detail-share-open")
    page.get_by_role("button", name="Log it as shared with Ana Lima").click()

    expect(page.get_by_text("Logged: you shared “The joy of jazz” with Ana Lima.")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    got = page.get_by_role("region", name="Who got it")
    expect(got.get_by_role("link", name="Ana Lima")).to_be_visible()
    expect(suggestions).to_have_text(["Ben Okoro", "Chloé Martin"])
    share = Share.objects.get()
    assert (share.item, share.contact, share.direction) == (item, ana, "given")
    interaction = Interaction.objects.get()
    assert interaction.kind == Interaction.Kind.SHARED
    assert list(interaction.contacts.all()) == [ana] and share.interaction == interaction
    shot(page, "detail-shared")

    # The next thing, from the bookmarklet: Ana got something today, so only Ben is suggested.
    query = urlencode({"url": "https://example.org/set-list", "title": "A jazz set list"})
    page.goto(f"/things/add/?{query}")
    expect(page.get_by_label("Link")).to_have_value("https://example.org/set-list")
    expect(page.get_by_label("Title")).to_have_value("A jazz set list")
    page.get_by_label("Topics").fill("Jazz")
    page.get_by_role("button", name="Save it").click()
    expect(page.get_by_role("heading", name="A jazz set list")).to_be_visible()
    expect(suggestions).to_have_text(["Ben Okoro"])
    expect(
        page.get_by_text(re.compile(r"^Ana Lima got something today; suggested again from"))
    ).to_be_visible()
    shot(page, "detail-cooldown")

    # Ana's page shows what you sent her; what she sent you is one small form away.
    page.goto(ana.get_absolute_url())
    shared = page.get_by_role("region", name="Shared")
    expect(shared.get_by_role("link", name="The joy of jazz")).to_be_visible()
    shared.get_by_text("They sent you something").click()
    shared.get_by_label("What they sent").fill("Her band's new record")
    page.get_by_role("button", name="Save what Ana Lima sent").click()
    expect(page.get_by_text("Noted: Ana Lima sent you “Her band's new record”.")).to_be_visible()
    expect(shared.get_by_text("Ana Lima sent you")).to_be_visible()
    assert Share.objects.filter(direction="received", contact=ana).count() == 1
    assert ben.shares.count() == 0
    no_sideways_scroll(page)
    shot(page, "contact-shared")
    page.goto("/things/")
    expect(page.get_by_text("shared with 1 person")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "list")
