"""The first person owns the instance; everyone after them comes in by invitation."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts.models import Invitation, User
from tests.fixtures.browser import PASSWORD, sign_up

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", [{"timezone_id": "Asia/Tokyo"}], indirect=True)
def test_owner_signs_up_logs_in_and_invites_someone(
    page, new_page, live_server, mailoutbox, settings, browser_errors
):
    settings.ALLOW_SIGNUP = False

    # The first person: the time zone is proposed from the browser's.
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    sign_up(page, name="Ada Lovelace", email="ada@example.com")

    expect(page.get_by_role("heading", name="Hello Ada")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Who do you want to keep in touch with?")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Add your first person")).to_be_visible()
    owner = User.objects.select_related("settings").get(email="ada@example.com")
    assert owner.settings.time_zone == "Asia/Tokyo"
    assert owner.is_superuser

    # Out, and back in.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello Ada")).to_be_visible()

    # Anyone else finds sign-up closed, and nothing is created.
    browser_errors.allow(r"status of 403")  # Chromium's console note about the 403 page
    stranger = new_page()
    response = stranger.goto("/accounts/signup/")
    assert response.status == 403
    expect(stranger.get_by_role("heading", name="Sign-up is by invitation")).to_be_visible()
    expect(stranger.get_by_role("button", name="Create account")).to_have_count(0)
    assert User.objects.count() == 1

    # The owner invites someone from the settings page.
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Their email address").fill("grace@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grace@example.com")).to_be_visible()
    assert [message.to for message in mailoutbox] == [["grace@example.com"]]
    link = re.search(r"\S+\?invite=\S+", mailoutbox[0].body).group()
    assert link.startswith(django_settings.SITE_URL)
    parts = urlsplit(link)

    # The invitee follows the link, signs up and lands on their own, empty dashboard.
    invitee = new_page()
    invitee.goto(f"{live_server.url}{parts.path}?{parts.query}")
    expect(invitee.get_by_text("You were invited to join.")).to_be_visible()
    expect(invitee.get_by_label("Email address")).to_have_value("grace@example.com")
    expect(invitee.get_by_label("Your time zone")).to_have_value("Europe/Paris")
    invitee.get_by_label("Your name").fill("Grace Hopper")
    invitee.get_by_label("Password", exact=True).fill(PASSWORD)
    invitee.get_by_role("button", name="Create account").click()

    expect(invitee.get_by_role("heading", name="Hello Grace")).to_be_visible()
    expect(
        invitee.get_by_role("heading", name="Who do you want to keep in touch with?")
    ).to_be_visible()
    grace = User.objects.select_related("settings").get(email="grace@example.com")
    assert not grace.is_superuser
    assert grace.settings.time_zone == "Europe/Paris"
    assert Invitation.objects.get(email="grace@example.com").accepted_at is not None
