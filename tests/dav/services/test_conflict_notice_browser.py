"""The person's page after a phone's write: the replaced value with "Restore yours", and a
likely duplicate with "Compare and merge", on a phone and a desktop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.services import app_password_create
from contacts.models import Contact, ContactMethod
from contacts.services import contact_save
from dav.models import DeviceSync
from dav.services import card_put
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/dav")
SAMPLES = Path(__file__).parent.parent / "cards" / "samples"


def test_restore_the_value_a_phone_replaced_and_see_the_duplicate_offer(page: Page):
    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.get(email="ines@example.com")
    now = dt.datetime.now(dt.UTC)
    phone, _ = app_password_create(owner=owner, name="Ines's Pixel")
    existing = contact_save(contact=Contact(owner=owner, name="Bruno"), today=now.date())
    ContactMethod.objects.create(
        owner=owner, contact=existing, kind="email", value="bruno@example.pt"
    )
    text = (SAMPLES / "davx5_40.vcf").read_text()
    card = card_put(owner=owner, href="b.vcf", text=text, card=None, app_password=phone, now=now)
    DeviceSync.objects.create(owner=owner, app_password=phone, kind="cards", seq=card.seq)
    contact = card.contact
    contact.notes = "Met at Ana's wedding"
    contact_save(contact=contact, today=now.date())
    edited = text.replace("Brother of", "Cousin of")
    card_put(owner=owner, href="b.vcf", text=edited, card=card, app_password=phone, now=now)

    page.goto(contact.get_absolute_url())
    notice = page.locator("form.notice", has_text="changed the notes")
    expect(notice).to_contain_text("Ines's Pixel")
    expect(notice).to_contain_text("Met at Ana's wedding")
    expect(page.get_by_role("link", name="Compare and merge")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "conflict-1280.png", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "conflict-390.png", full_page=True)

    notice.get_by_role("button", name="Restore yours").click()
    expect(page.locator("form.notice", has_text="changed the notes")).to_have_count(0)
    assert Contact.objects.get(pk=contact.pk).notes == "Met at Ana's wedding"

    page.get_by_role("link", name="Compare and merge").click()
    expect(page).to_have_url(
        f"http://{page.url.split('/')[2]}/contacts/{existing.pk}/merge/{contact.pk}/"
    )
