"""Every main page and the admin, in Chromium, under the strict Content-Security-Policy.

The browser harness fails a test on any console error, and a CSP violation is one: so this walk
proves no page needs inline scripts, inline styles or eval. At phone width, no page may scroll
sideways.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from contacts.models import Contact, Interest
from giving.models import ShareItem
from interactions.models import Interaction
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser


def pages_to_visit() -> list[str]:
    contact = Contact.objects.filter(interactions__isnull=False).first()
    interaction = Interaction.objects.first()
    thing = ShareItem.objects.create(owner=contact.owner, title="A talk", url="https://ex.com/t")
    thing.topics.set(Interest.objects.filter(owner=contact.owner)[:3])
    return [
        "/",
        "/contacts/",
        "/contacts/?q=a&sort=last",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        "/contacts/new/",
        "/contacts/interests/",
        "/contacts/circles/",
        "/contacts/import/",
        "/contacts/duplicates/",
        "/interactions/",
        f"/interactions/{interaction.pk}/edit/",
        f"/interactions/new/{contact.pk}/",
        f"/plans/add/?contact={contact.pk}",
        f"/plans/promise/{interaction.pk}/",
        "/accounts/settings/",
        "/accounts/password/change/",
        "/accounts/settings/notifications/channels/",
        "/accounts/settings/notifications/push/",
        "/share/?title=A%20talk&url=https%3A%2F%2Fexample.com%2Ftalk",
        f"/brief/{contact.pk}/",
        "/introductions/",
        f"/introductions/new/?a={contact.pk}&q=a",
        "/share/note/?title=A%20talk&url=https%3A%2F%2Fexample.com%2Ftalk",
        "/things/",
        "/things/add/?url=https%3A%2F%2Fexample.com%2Ftalk&title=A%20talk",
        f"/things/{thing.pk}/",
        "/offline/",
        "/admin/",
        "/admin/contacts/contact/",
        f"/admin/contacts/contact/{contact.pk}/change/",
        "/admin/interactions/interaction/",
        "/admin/contacts/circle/",
        "/admin/accounts/user/",
    ]


@pytest.mark.parametrize("width", [1200, 390])
def test_every_page_renders_without_a_csp_violation(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/accounts/signup/")
    sign_up(page, name="Priya Raman", email="priya@example.com")
    expect(page.get_by_role("heading", name="Hello Priya")).to_be_visible()
    call_command("seed_demo", "--user", "priya@example.com", "--contacts", "30", "--seed", "5")
    assert User.objects.get(email="priya@example.com").is_superuser
    too_wide = {}
    for path in pages_to_visit():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("body")).to_be_visible()
        if width == 390 and not path.startswith("/admin/"):
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                culprits = page.evaluate(
                    f"""() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > {width} + 1)
                    .slice(-3).map(e => e.tagName + '.' + e.className)"""
                )
                too_wide[path] = (scroll_width, culprits)  # the widest elements, to fix
    assert too_wide == {}, f"pages that scroll sideways on a phone: {too_wide}"
