"""Settings → Channels through the real views: add, see, test, pause, edit, remove; bad input
says why; the URL never comes back in full (page, admin, JSON backup); another user gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from notify import secrets
from notify.models import Channel

from .conftest import SECRET

pytestmark = pytest.mark.django_db

LIST = reverse("notify_channels:list")


def test_the_settings_page_links_to_channels(alice_client, alice_channel):
    page = alice_client.get(reverse("settings")).content.decode()
    assert 'id="channels"' in page
    assert "1 channel, 1 on." in page
    assert f'href="{LIST}"' in page


def test_add_a_channel_then_see_it_without_its_secret(alice_client, alice, receiver, allow_private):
    url = receiver.url(secret=SECRET)
    response = alice_client.post(LIST, {"name": "Phone", "url": url, "enabled": "on"})
    channel = Channel.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#channel-{channel.pk}"
    assert secrets.decrypt(channel.url_encrypted) == url
    page = alice_client.get(LIST).content.decode()
    assert "“Phone” added. Send a test to check that it arrives." in page
    assert "Phone" in page and "Nothing sent yet." in page
    assert SECRET not in page
    assert f"json://bot:****@127.0.0.1:{receiver.port}/digest" in page
    edit = alice_client.get(reverse("notify_channels:edit", args=[channel.pk])).content.decode()
    assert SECRET not in edit


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "url": ""}, "This field is required."),
        ({"name": "x", "url": "windows://"}, "is not offered here"),
        ({"name": "x", "url": "tgram://"}, "could not be read"),
        ({"name": "x", "url": "json://127.0.0.1/x"}, "private or reserved address"),
        ({"name": "x", "url": "tgram://12345:ABC\x00DEF/1"}, "Null characters are not allowed."),
        ({"name": "x", "url": "tgram://" + "A" * 5000}, "at most 1000 characters"),
        ({"name": "<b>n</b>" * 20, "url": "ntfys://my-topic"}, "at most 80 characters"),
    ],
)
def test_refused_input_says_why_and_keeps_what_was_typed(alice_client, data, message):
    response = alice_client.post(LIST, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert not Channel.objects.exists()
    if data["url"] and "\x00" not in data["url"] and len(data["url"]) < 1000:
        # Typed, not stored: shown back so nothing typed is lost (it is the user's own input).
        assert f'value="{data["url"]}"' in page


def test_hostile_name_is_stored_as_typed_and_shown_escaped(alice_client, alice):
    name = "<script>alert(1)</script>‮"
    alice_client.post(LIST, {"name": name, "url": "ntfys://my-topic", "enabled": "on"})
    assert Channel.objects.get(owner=alice).name == name
    page = alice_client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_send_a_test_reaches_the_receiver_and_the_page_says_so(
    alice_client, alice_channel, receiver
):
    url = reverse("notify_channels:test", args=[alice_channel.pk])
    response = alice_client.post(url, follow=True)
    assert receiver.received[0]["title"] == "network-crm: test"
    page = response.content.decode()
    assert "Test sent to “Home ntfy”. Check that it arrived." in page
    assert "Last delivered" in page


def test_a_failed_test_says_why_on_the_page(alice_client, alice_channel, receiver):
    receiver.answer(500)
    url = reverse("notify_channels:test", args=[alice_channel.pk])
    page = alice_client.post(url, follow=True).content.decode()
    assert "The test to “Home ntfy” failed: Failed to send JSON POST notification" in page
    assert 'class="tag badge-due">Error</span>' in page
    assert SECRET not in page
    assert Channel.objects.get(pk=alice_channel.pk).last_error.startswith(
        "Failed to send JSON POST"
    )


def test_a_test_by_htmx_answers_in_the_announce_region(alice_client, alice_channel, receiver):
    url = reverse("notify_channels:test", args=[alice_channel.pk])
    response = alice_client.post(url, headers={"HX-Request": "true"})
    assert response["HX-Retarget"] == "#announce"
    assert "Test sent to “Home ntfy”" in response.content.decode()


def test_pause_and_resume(alice_client, alice_channel):
    url = reverse("notify_channels:switch", args=[alice_channel.pk])
    page = alice_client.post(url, {"enabled": "0"}, follow=True).content.decode()
    assert not Channel.objects.get(pk=alice_channel.pk).enabled
    assert "is paused: no digest goes there." in page
    assert "Resume" in page
    alice_client.post(url, {"enabled": "1"})
    assert Channel.objects.get(pk=alice_channel.pk).enabled


def test_edit_keeps_the_url_when_left_blank(alice_client, alice_channel):
    before = alice_channel.url_encrypted
    url = reverse("notify_channels:edit", args=[alice_channel.pk])
    response = alice_client.post(url, {"name": "Renamed", "url": ""})
    assert response.status_code == 302
    channel = Channel.objects.get(pk=alice_channel.pk)
    assert (channel.name, channel.enabled, channel.url_encrypted) == ("Renamed", False, before)


def test_edit_to_a_refused_url_says_why_and_changes_nothing(alice_client, alice_channel):
    url = reverse("notify_channels:edit", args=[alice_channel.pk])
    response = alice_client.post(url, {"name": "New", "url": "bogus://x", "enabled": "on"})
    assert response.status_code == 400
    assert "“bogus://” is not offered here" in response.content.decode()
    assert Channel.objects.get(pk=alice_channel.pk).name == "Home ntfy"


def test_remove_asks_first_then_removes(alice_client, alice_channel):
    url = reverse("notify_channels:delete", args=[alice_channel.pk])
    confirm = alice_client.get(url).content.decode()
    assert "Remove “Home ntfy”?" in confirm
    assert Channel.objects.filter(pk=alice_channel.pk).exists()
    page = alice_client.post(url, follow=True).content.decode()
    assert not Channel.objects.filter(pk=alice_channel.pk).exists()
    assert "“Home ntfy” removed: nothing more goes there." in page


@pytest.mark.parametrize("name", ["edit", "test", "switch", "delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_channel_is_404(bob_client, alice_channel, receiver, name, method):
    before = Channel.objects.filter(pk=alice_channel.pk).values().get()
    url = reverse(f"notify_channels:{name}", args=[alice_channel.pk])
    data = {"name": "Hacked", "url": "ntfys://hacked", "enabled": "0"} if method == "post" else None
    response = getattr(bob_client, method)(url, data)
    assert response.status_code in (404, 405)
    assert Channel.objects.filter(pk=alice_channel.pk).values().get() == before
    assert receiver.received == []


def test_the_list_shows_only_ones_own_channels(bob_client, alice_channel):
    page = bob_client.get(LIST).content.decode()
    assert "Home ntfy" not in page
    assert "No channel yet." in page


def test_signed_out_is_sent_to_sign_in(client, alice_channel):
    for url in (LIST, reverse("notify_channels:edit", args=[alice_channel.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "/accounts/" in response["Location"]


def test_the_json_backup_holds_no_channel_url(alice_client, alice_channel):
    response = alice_client.get(reverse("portability:backup"))
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert SECRET not in body
    assert alice_channel.url_encrypted not in body
    assert "127.0.0.1" not in body


def test_the_admin_never_shows_the_url(client, alice, alice_channel):
    if Channel not in admin.site._registry:
        pytest.skip("notify/admin.py (the delivery engine's) registers Channel")
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    for url in (
        reverse("admin:notify_channel_changelist"),
        reverse("admin:notify_channel_change", args=[alice_channel.pk]),
    ):
        page = client.get(url).content.decode()
        assert SECRET not in page
        assert alice_channel.url_encrypted not in page


def test_the_last_delivery_is_told_in_the_owners_zone_and_date_format(alice, alice_client):
    alice.settings.time_zone = "Asia/Kolkata"
    alice.settings.save()
    Channel.objects.create(
        owner=alice,
        name="Phone",
        scheme="ntfys",
        url_encrypted=secrets.encrypt("ntfys://ntfy.sh/topic"),
        url_hint="ntfys://ntfy.sh/t…c",
        last_attempt_at=dt.datetime(2026, 11, 28, 21, 0, tzinfo=dt.UTC),
        last_success_at=dt.datetime(2026, 11, 28, 20, 15, tzinfo=dt.UTC),
        last_error="The server answered 500.",
    )
    page = alice_client.get(LIST).content.decode()
    # 20:15 UTC is 01:45 the next day in Kolkata (UTC+5:30).
    assert "Last delivered 29 Nov 2026, 01:45." in page
    assert "29 Nov 2026, 02:30: The server answered 500." in page
