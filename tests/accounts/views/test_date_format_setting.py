"""The "Write dates as" setting: guessed from the browser at sign-up and at the first sign-in,
saved from the settings page, followed by every page's dates and its <html lang>."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User, UserSettings
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Zoë Laurent",
    "email": "zoe@example.com",
    "password": "a-long-password-1",
    "time_zone": "Europe/Paris",
}
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def page_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def set_locale(user, code: str) -> None:
    UserSettings.objects.filter(user=user).update(locale=code)


def test_sign_up_keeps_the_browser_s_format(client):
    client.post(reverse("signup"), SIGNUP, headers={"accept-language": "en-US,en;q=0.9"})
    assert User.objects.get().settings.locale == "en-US"


def test_sign_up_from_a_browser_that_says_nothing_gets_en_gb_not_the_us_order(client):
    client.post(reverse("signup"), SIGNUP)
    assert User.objects.get().settings.locale == "en-GB"


def test_the_first_sign_in_of_an_account_without_a_format_keeps_the_browser_s(client):
    user = UserFactory(email="old@example.com")
    set_locale(user, "")
    client.post(
        reverse("login"),
        {"username": "old@example.com", "password": PASSWORD},
        headers={"accept-language": "de-DE,de;q=0.9"},
    )
    assert UserSettings.objects.get(user=user).locale == "de-DE"
    # A later sign-in from another browser doesn't overwrite it.
    client.logout()
    client.post(
        reverse("login"),
        {"username": "old@example.com", "password": PASSWORD},
        headers={"accept-language": "en-US"},
    )
    assert UserSettings.objects.get(user=user).locale == "de-DE"


def test_pages_before_sign_in_follow_the_browser(client, alice):
    assert page_lang(client.get(reverse("login"))) == "en-GB"
    response = client.get(reverse("login"), headers={"accept-language": "en-US"})
    assert page_lang(response) == "en-US"
    response = client.get(reverse("login"), headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert page_lang(response) == "en-FR"  # the pages are English, as written in France


def test_the_page_lang_and_its_dates_follow_the_setting(alice_client, alice):
    contact = ContactFactory(owner=alice, name="Ada")  # added on 1 January 2026
    set_locale(alice, "en-US")
    response = alice_client.get(contact.get_absolute_url())
    assert page_lang(response) == "en-US"
    assert "<dt>Added</dt><dd>January 1, 2026</dd>" in text(response)
    set_locale(alice, "en-GB")
    response = alice_client.get(contact.get_absolute_url())
    assert page_lang(response) == "en-GB"
    assert "<dt>Added</dt><dd>1 January 2026</dd>" in text(response)
    set_locale(alice, "iso")
    response = alice_client.get(contact.get_absolute_url())
    assert page_lang(response) == "en"
    assert "<dt>Added</dt><dd>2026-01-01</dd>" in text(response)


def test_an_account_that_never_chose_follows_its_browser_without_a_write(alice_client, alice):
    set_locale(alice, "")
    response = alice_client.get(reverse("settings"), headers={"accept-language": "en-US"})
    assert page_lang(response) == "en-US"
    # The settings page proposes the format in force.
    assert re.search(r'<option value="en-US" selected>', response.content.decode())
    assert UserSettings.objects.get(user=alice).locale == ""


def test_the_settings_page_saves_the_format(alice_client, alice, frozen_now):
    page = text(alice_client.get(reverse("settings")))
    assert "Write dates as" in page
    assert "English (US) · 12/3/2026" in page
    response = alice_client.post(reverse("settings"), {"form": "dates", "dates-locale": "de-DE"})
    assert response.status_code == 302
    assert UserSettings.objects.get(user=alice).locale == "de-DE"
    page = alice_client.get(response.url)
    assert page_lang(page) == "en-DE"
    assert "Settings saved." in text(page)


def test_the_settings_page_refuses_an_unknown_format(alice_client, alice):
    before = UserSettings.objects.get(user=alice).locale
    response = alice_client.post(reverse("settings"), {"form": "dates", "dates-locale": "xx-YY"})
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert UserSettings.objects.get(user=alice).locale == before


def test_saving_the_date_format_leaves_the_other_settings_alone(alice_client, alice):
    UserSettings.objects.filter(user=alice).update(daily_limit=7, time_zone="Asia/Tokyo")
    alice_client.post(reverse("settings"), {"form": "dates", "dates-locale": "iso"})
    saved = UserSettings.objects.get(user=alice)
    assert (saved.locale, saved.daily_limit, saved.time_zone) == ("iso", 7, "Asia/Tokyo")


def test_each_user_sees_their_own_format(alice, bob):
    set_locale(alice, "en-US")
    set_locale(bob, "en-GB")
    alice_client, bob_client = Client(), Client()
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    assert page_lang(alice_client.get(reverse("settings"))) == "en-US"
    assert page_lang(bob_client.get(reverse("settings"))) == "en-GB"
