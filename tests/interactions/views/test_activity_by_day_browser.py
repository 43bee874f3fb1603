"""The activity page in Chromium on a phone: days as headings, an icon beside each kind that
screen readers skip, and the kind filter regrouping the list in place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from interactions.services import interaction_log
from network_crm.clock import local_today, now
from tests.factories import ContactFactory
from tests.fixtures.browser import assert_not_reloaded, set_reload_marker

pytestmark = pytest.mark.browser


def test_days_icons_and_filter_on_a_phone(page: Page, alice, live_server):
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    today = local_today(alice)
    for days_ago, kind in [(0, "coffee"), (1, "call"), (1, "message"), (9, "call")]:
        interaction_log(
            owner=alice,
            contacts=[amara],
            kind=kind,
            occurred_at=now() - dt.timedelta(days=days_ago),
            today=today,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/interactions/")
    results = page.get_by_role("region", name="Interactions")
    days = results.get_by_role("heading", level=2)
    expect(days).to_have_count(3)
    expect(days.nth(0)).to_have_text("Today")
    expect(days.nth(1)).to_have_text("Yesterday")
    expect(results.locator(".activity-row")).to_have_count(4)
    icons = results.locator("svg.kind-icon")
    expect(icons).to_have_count(4)
    for index in range(4):
        expect(icons.nth(index)).to_have_attribute("aria-hidden", "true")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    set_reload_marker(page)
    page.get_by_label("Kind").select_option("call")
    expect(results.locator(".activity-row")).to_have_count(2)
    expect(days).to_have_count(2)
    expect(days.nth(0)).to_have_text("Yesterday")
    expect(results.locator("svg.kind-call")).to_have_count(2)
    assert_not_reloaded(page)
