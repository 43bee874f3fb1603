"""Done-when of "Import and duplicates" (issue 7), end to end in Chromium.

A new user uploads a vCard file with forty good cards and one broken one, sees the preview (with
the broken card's number and why), confirms, and watches the queued import finish by itself on the
page; importing the same file again adds nobody. Then two records of one person are compared,
merged into one, and the merge is undone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from contacts.models import Contact, ContactMethod
from contacts.services import contact_save
from network_crm.clock import local_today, now
from portability import tasks
from portability.models import ImportBatch
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

GOOD = 40
BROKEN_AT = 21  # card number of the unclosed card, in the middle of the file


def person(number: int) -> tuple[str, str]:
    return f"Guest {number:02d} Lindqvist", f"guest{number:02d}@example.org"


def write_vcards(path: Path) -> Path:
    cards = []
    for number in range(1, GOOD + 1):
        if len(cards) == BROKEN_AT - 1:
            cards.append("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Closed\r\nN:Closed;Never;;;\r\n")
        name, email = person(number)
        given, _, family = name.rpartition(" ")
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{name}\r\nN:{family};{given};;;\r\nEMAIL;TYPE=INTERNET:{email}\r\n"
            "END:VCARD\r\n"
        )
    path.write_text("".join(cards), encoding="utf-8")
    return path


def nav_people(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()


def upload(page: Page, path: Path) -> None:
    nav_people(page)
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Contacts file").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()


def people_count(page: Page, count: int) -> None:
    nav_people(page)
    expect(page.get_by_role("region", name="People found")).to_contain_text(f"{count} people")


def test_import_a_vcard_file_with_progress_then_merge_and_undo(page, settings, tmp_path):
    settings.IMPORT_SYNC_LIMIT = 10  # 41 cards: queued for the worker, the page polls
    vcf = write_vcards(tmp_path / "phone-contacts.vcf")

    page.goto("/accounts/signup/")
    sign_up(page, name="Ines Duarte", email="ines@example.com")
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    owner = User.objects.get(email="ines@example.com")

    # The preview: forty new, the broken card by number and reason; nothing imported yet.
    upload(page, vcf)
    status = page.locator("#import-status")
    expect(status.get_by_role("heading", name="Preview")).to_be_visible()
    expect(status).to_contain_text(
        f"{GOOD + 1} cards in this file: {GOOD} new, 0 already in your network (skipped), "
        "1 that can't be read (skipped)."
    )
    expect(status.get_by_role("listitem").filter(has_text=f"Card {BROKEN_AT}:")).to_have_text(
        f"Card {BROKEN_AT}: this card has no END:VCARD"
    )
    assert not Contact.objects.filter(owner=owner).exists()

    # Confirmed: queued (no worker here), the progress bar shows and the page polls.
    status.get_by_role("button", name=f"Import {GOOD} people").click()
    expect(status.get_by_role("heading", name="Waiting to start…")).to_be_visible()
    expect(status.get_by_role("progressbar", name="Import progress")).to_be_visible()
    batch = ImportBatch.objects.get(owner=owner)
    assert batch.state == ImportBatch.State.QUEUED
    page.evaluate("window.__marker = 1")

    # The worker's job, run here; the page catches up by itself.
    assert tasks.run_import(batch.pk) == ImportBatch.State.DONE
    expect(status.get_by_role("heading", name="Imported")).to_be_visible(timeout=5_000)
    expect(status).to_contain_text(f"{GOOD} people added, 0 already there, 1 skipped as unreadable")
    expect(status.get_by_role("progressbar")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    people_count(page, GOOD)
    results = page.get_by_role("region", name="People found")
    for number in (1, BROKEN_AT, GOOD):
        expect(results.get_by_role("link", name=person(number)[0], exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Never Closed")).to_have_count(0)

    # The same file again: nobody new, all already there.
    upload(page, vcf)
    expect(status).to_contain_text(
        f"{GOOD + 1} cards in this file: 0 new, {GOOD} already in your network (skipped), "
        "1 that can't be read (skipped)."
    )
    expect(status).to_contain_text("Nothing new to import.")
    expect(status.get_by_role("button", name=re.compile(r"^Import"))).to_have_count(0)
    assert Contact.objects.filter(owner=owner).count() == GOOD

    # A second record of one person, with the same email.
    name, email = person(7)
    twin = contact_save(
        contact=Contact(owner=owner, name="Mina Work"), today=local_today(owner, now())
    )
    ContactMethod.objects.create(owner=owner, contact=twin, kind="email", value=email.upper())
    people_count(page, GOOD + 1)

    page.get_by_role("link", name="Duplicates").click()
    pairs = page.get_by_role("region", name="Pairs")
    expect(pairs.get_by_role("listitem")).to_have_count(1)
    expect(pairs).to_contain_text(f"{name} and Mina Work")
    expect(pairs).to_contain_text("Why: same email")
    pairs.get_by_role("link", name=re.compile(r"^Compare")).click()
    expect(page.get_by_role("heading", name="Same person?")).to_be_visible()
    page.get_by_role("button", name="Merge into one person").click()
    expect(page.get_by_role("status")).to_contain_text(f"Merged Mina Work into {name}.")
    expect(pairs).to_contain_text("No likely duplicates")
    people_count(page, GOOD)
    assert not Contact.objects.filter(owner=owner, name="Mina Work").exists()
    survivor = Contact.objects.get(owner=owner, name=name)
    assert {email} <= {v.lower() for v in survivor.methods.values_list("value", flat=True)}

    # Undone: both are back, and the pair with them.
    page.get_by_role("link", name="Duplicates").click()
    page.get_by_role("button", name="Undo merge").click()
    expect(page.get_by_role("status")).to_contain_text("Merge undone: Mina Work is back.")
    expect(pairs).to_contain_text(f"{name} and Mina Work")
    people_count(page, GOOD + 1)
    results = page.get_by_role("region", name="People found")
    expect(results.get_by_role("link", name="Mina Work", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=name, exact=True)).to_be_visible()
