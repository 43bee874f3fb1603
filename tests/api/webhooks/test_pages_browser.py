"""Settings → Webhooks in Chromium under the strict CSP: add one, see its secret, see a
delivery the worker's service made to a real receiver (screenshots in /tmp/shots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from api.models import Webhook
from api.services.webhooks import deliveries_due, delivery_send
from contacts.models import Contact
from contacts.services import contact_save
from network_crm.clock import now
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"webhooks-{name}.png", full_page=True, caret="initial")


@pytest.mark.django_db(transaction=True)
def test_add_a_webhook_and_see_its_deliveries(page: Page, receiver, allow_private):
    page.goto("/accounts/signup/")
    sign_up(page, name="Alice Martin", email="alice@example.com")
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Manage webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    page.get_by_label("Name").fill("Home automation")
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("A person is added").check()
    page.get_by_label("An interaction is logged").check()
    screenshot(page, "list-form")
    page.get_by_role("button", name="Add the webhook").click()

    webhook = Webhook.objects.get()
    expect(page.get_by_role("heading", name="Home automation")).to_be_visible()
    expect(page.locator(".webhook-secret")).to_have_text(webhook.secret)
    expect(page.get_by_text("Nothing sent yet.")).to_be_visible()

    owner = User.objects.get(email="alice@example.com")
    contact_save(contact=Contact(owner=owner, name="Ada Lovelace"), today=now().date())
    for delivery_id in deliveries_due(now=now()):
        delivery_send(delivery_id=delivery_id, now=now())
    assert len(receiver.received) == 1
    page.reload()
    row = page.locator("table.deliveries tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("contact.created")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("HTTP 200")
    screenshot(page, "detail")

    page.get_by_role("link", name="All webhooks").click()
    expect(page.get_by_role("link", name="Home automation", exact=True)).to_be_visible()
    screenshot(page, "list")
