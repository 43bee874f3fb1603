"""Settings → "Sync with your phone": addresses, devices, the profile and the sync settings
(dav/settings_views.py)."""

from __future__ import annotations

import plistlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AppPassword
from dav.models import DavSettings, SyncCollection
from dav.sync import addressbook_refresh
from tests.factories import CircleFactory

PAGE = "/accounts/settings/sync/"


@pytest.fixture(autouse=True)
def site_url(settings, frozen_now):
    settings.SITE_URL = "https://crm.example.org"


def add_device(client, name="Alice's iPhone"):
    response = client.post(reverse("dav_settings:device_add"), {"name": name})
    assert response.status_code == 302
    return client.get(response.url), AppPassword.objects.get(name=name)


def shown_password(response) -> str:
    return re.search(r'id="app-password">([^<]+)<', response.text)[1]


def test_the_page_shows_the_server_the_user_name_and_the_steps(alice_client):
    response = alice_client.get(PAGE)

    assert response.status_code == 200
    assert "https://crm.example.org/dav/" in response.text
    assert "alice@example.com" in response.text
    for client_name in ("iPhone, iPad and Mac", "DAVx⁵", "Thunderbird"):
        assert client_name in response.text
    assert "No device can sync yet." in response.text
    # The menu shows where you are: under Settings.
    assert 'href="/accounts/settings/" aria-current="page">Settings' in response.text


def test_the_settings_page_links_to_it(alice_client):
    response = alice_client.get(reverse("settings"))

    assert 'href="/accounts/settings/sync/"' in response.text
    assert "Sync with your phone" in response.text


def test_a_new_device_gets_a_password_shown_once_that_works(alice_client, alice):
    response, app_password = add_device(alice_client)

    secret = shown_password(response)
    assert "This password is shown only now." in response.text
    assert '<svg width="' in response.text and "qr-code" in response.text
    assert "<img" not in response.text and "style=" not in response.text  # CSP: no inline styles
    assert (
        account_services.app_password_authenticate(
            email="alice@example.com", password=secret, ip_address=None, now=app_password.created_at
        )
        == app_password
    )
    assert secret not in str(list(AppPassword.objects.values()))

    again = alice_client.get(reverse("dav_settings:device_new", args=[app_password.pk]))
    assert again.status_code == 302
    assert secret not in alice_client.get(again.url).text
    listed = alice_client.get(PAGE).text
    assert "Alice&#x27;s iPhone" in listed and "last synced 0\xa0minutes ago" in listed


def test_a_device_needs_a_name(alice_client):
    response = alice_client.post(reverse("dav_settings:device_add"), {"name": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not AppPassword.objects.exists()


def test_the_profile_right_after_adding_carries_the_password(alice_client):
    response, app_password = add_device(alice_client)
    secret = shown_password(response)

    profile = alice_client.post(
        reverse("dav_settings:device_profile", args=[app_password.pk]), {"password": secret}
    )

    assert profile["Content-Type"] == "application/x-apple-aspen-config"
    assert "network-crm.mobileconfig" in profile["Content-Disposition"]
    plist = plistlib.loads(profile.content)
    assert plist["PayloadType"] == "Configuration"
    carddav, caldav = plist["PayloadContent"]
    assert carddav["PayloadType"] == "com.apple.carddav.account"
    assert caldav["PayloadType"] == "com.apple.caldav.account"
    assert carddav["CardDAVHostName"] == caldav["CalDAVHostName"] == "crm.example.org"
    assert carddav["CardDAVPort"] == 443 and carddav["CardDAVUseSSL"] is True
    assert carddav["CardDAVPrincipalURL"] == "/dav/alice@example.com/"
    assert carddav["CardDAVUsername"] == "alice@example.com"
    assert carddav["CardDAVPassword"] == caldav["CalDAVPassword"] == secret
    uuids = {plist["PayloadUUID"], carddav["PayloadUUID"], caldav["PayloadUUID"]}
    assert len(uuids) == 3


def test_a_later_profile_has_no_password_and_a_wrong_one_gets_nothing(alice_client, settings):
    settings.SITE_URL = "http://192.168.1.20:8000"
    _, app_password = add_device(alice_client)
    url = reverse("dav_settings:device_profile", args=[app_password.pk])

    carddav = plistlib.loads(alice_client.get(url).content)["PayloadContent"][0]
    assert "CardDAVPassword" not in carddav
    assert carddav["CardDAVPort"] == 8000 and carddav["CardDAVUseSSL"] is False
    assert alice_client.post(url, {"password": "guess-not-it"}).status_code == 404


def test_revoking_asks_first_then_the_password_stops_working(alice_client, alice):
    response, app_password = add_device(alice_client)
    secret = shown_password(response)
    url = reverse("dav_settings:device_revoke", args=[app_password.pk])

    confirm = alice_client.get(url)
    assert "Revoke “Alice&#x27;s iPhone”?" in confirm.text
    assert AppPassword.objects.get(pk=app_password.pk).revoked_at is None

    done = alice_client.post(url, {"next": PAGE}, follow=True)
    assert "can no longer sync" in done.text
    assert "No device can sync yet." in done.text
    assert (
        account_services.app_password_authenticate(
            email="alice@example.com", password=secret, ip_address=None, now=app_password.created_at
        )
        is None
    )
    assert alice_client.get(url).status_code == 404


def test_another_users_device_is_not_found(alice_client, bob):
    bobs, secret = account_services.app_password_create(owner=bob, name="Bob's phone")

    for name in ("device_new", "device_profile", "device_revoke"):
        url = reverse(f"dav_settings:{name}", args=[bobs.pk])
        assert alice_client.get(url).status_code == 404, name
    revoke = reverse("dav_settings:device_revoke", args=[bobs.pk])
    assert alice_client.post(revoke).status_code == 404
    profile = reverse("dav_settings:device_profile", args=[bobs.pk])
    assert alice_client.post(profile, {"password": secret}).status_code == 404
    assert AppPassword.objects.get(pk=bobs.pk).revoked_at is None
    assert "Bob&#x27;s phone" not in alice_client.get(PAGE).text


def test_choosing_circles_saves_and_rebuilds_the_address_book(alice_client, alice):
    family = CircleFactory(owner=alice, name="Family")
    data = {"who": "circles", "circles": [family.pk], "on_phone_delete": "delete"}
    addressbook_refresh(owner=alice, now=timezone.now())

    response = alice_client.post(PAGE, data, follow=True)

    assert "Sync settings saved" in response.text
    dav_settings = DavSettings.objects.get(owner=alice)
    assert dav_settings.sync_everyone is False
    assert list(dav_settings.circles.all()) == [family]
    assert dav_settings.on_phone_delete == "delete"
    book = SyncCollection.objects.get(owner=alice, kind=SyncCollection.Kind.CARDS)
    assert book.refreshed_at is None  # the next sync re-reads everyone

    addressbook_refresh(owner=alice, now=timezone.now())
    alice_client.post(PAGE, data)  # the same again: who syncs did not change
    book.refresh_from_db()
    assert book.refreshed_at is not None


def test_only_some_circles_needs_one_and_only_your_own(alice_client, bob):
    bobs_circle = CircleFactory(owner=bob, name="Bob's club")

    none = alice_client.post(PAGE, {"who": "circles", "on_phone_delete": "archive"})
    assert none.status_code == 400
    assert "Choose at least one circle" in none.text

    other = alice_client.post(
        PAGE, {"who": "circles", "circles": [bobs_circle.pk], "on_phone_delete": "archive"}
    )
    assert other.status_code == 400
    assert "Bob&#x27;s club" not in alice_client.get(PAGE).text
    assert not DavSettings.objects.filter(circles=bobs_circle).exists()


def test_the_qr_code_opens_davx5_with_everything_filled_in(alice, settings):
    from dav import settings_services

    assert (
        settings_services.davx5_url(owner=alice, password="abc-123")
        == "carddavs://alice%40example.com:abc-123@crm.example.org/dav/"
    )
    settings.SITE_URL = "http://192.168.1.20:8000"
    assert settings_services.davx5_url(owner=alice) == (
        "carddav://alice%40example.com@192.168.1.20:8000/dav/"
    )
    assert settings_services.dav_server().well_known == "http://192.168.1.20:8000/"


def test_installing_the_profile_again_replaces_the_same_accounts(alice_client):
    _, app_password = add_device(alice_client)
    url = reverse("dav_settings:device_profile", args=[app_password.pk])

    first, second = (plistlib.loads(alice_client.get(url).content) for _ in range(2))

    assert first["PayloadUUID"] == second["PayloadUUID"]
    assert [p["PayloadUUID"] for p in first["PayloadContent"]] == [
        p["PayloadUUID"] for p in second["PayloadContent"]
    ]


def test_the_settings_page_counts_the_devices_that_can_sync(alice_client, alice):
    account_services.app_password_create(owner=alice, name="Phone")
    revoked, _ = account_services.app_password_create(owner=alice, name="Old phone")
    account_services.app_password_revoke(app_password=revoked, now=revoked.created_at)

    assert "1 device can sync." in alice_client.get(reverse("settings")).text


def test_revoking_from_htmx_answers_in_the_announcement(alice_client, alice):
    app_password, _ = account_services.app_password_create(owner=alice, name="Tablet")

    response = alice_client.post(
        reverse("dav_settings:device_revoke", args=[app_password.pk]),
        headers={"HX-Request": "true"},
    )

    assert response.headers["HX-Retarget"] == "#announce"
    assert "“Tablet” can no longer sync." in response.text
