"""Channel URLs: what is accepted, what is refused and why, what is stored, and sends to a real
receiver on loopback (Apprise's json://)."""

from __future__ import annotations

import pytest

from notify import secrets
from notify.models import Channel
from notify.services import channels as services
from notify.services.channels import ChannelUrlError, channel_create, channel_send, channel_update
from notify.services.errors import DeliveryError

from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the channel's Apprise URL."),
        ("   ", "Enter the channel's Apprise URL."),
        ("ntfy.sh/topic", "must start with a service"),
        ("windows://", "“windows://” is not offered here"),
        ("dbus://", "“dbus://” is not offered here"),
        ("file:///etc/passwd", "“file://” is not offered here"),
        ("https://example.com/hook", "“https://” is not offered here"),
        ("TGRAM://", "could not be read"),
        ("tgram://", "could not be read"),
        ("json://", "could not be read"),
        ("tgram://123456:ABC def/42", "spaces or control characters"),
        ("tgram://123456:ABC\x00/42", "spaces or control characters"),
        ("ntfys://my-topic\n", None),  # surrounding whitespace is stripped: accepted
        ("ntfys://ntfy.sh/" + "t" * 1000, "too long"),
        ("ntfys://host.invalid/topic", "could not be found"),
        ("jsons://[::1]:9000/x", "private or reserved address (::1)"),
        ("json://127.0.0.1:8000/x", "private or reserved address (127.0.0.1)"),
        ("json://10.0.0.7/x", "private or reserved address (10.0.0.7)"),
        ("json://169.254.169.254/latest", "private or reserved address (169.254.169.254)"),
        ("json://localhost/x", "private or reserved address"),
        ("gotify://192.168.1.5/TOKEN", "private or reserved address (192.168.1.5)"),
        ("ntfy://127.0.0.1:8080/topic", "private or reserved address"),
        ("mailto://me:pw@example.com?smtp=127.0.0.1&to=a@example.com", "(127.0.0.1)"),
        ("signal://10.1.2.3:8080/+12345678901/+19876543210", "(10.1.2.3)"),
        ("matrix://user:pw@127.0.0.1/#room", "(127.0.0.1)"),
    ],
)
def test_urls_refused_say_why_and_store_nothing(alice, url, message):
    if message is None:
        channel_create(owner=alice, name="", url=url)
        assert Channel.objects.get().url_hint == "ntfys://my…c"
        return
    with pytest.raises(ChannelUrlError, match=message.replace("(", r"\(").replace(")", r"\)")):
        channel_create(owner=alice, name="x", url=url)
    assert not Channel.objects.exists()


def test_the_private_address_message_names_the_setting(alice):
    with pytest.raises(ChannelUrlError) as caught:
        channel_create(owner=alice, name="x", url="json://127.0.0.1/x")
    assert "NOTIFY_ALLOW_PRIVATE allows others" in str(caught.value)


def test_an_instance_may_shrink_the_allow_list(alice, settings):
    settings.NOTIFY_SCHEMES = ["ntfys"]
    with pytest.raises(ChannelUrlError, match="Allowed: ntfys://"):
        channel_create(owner=alice, name="x", url="tgram://123456789:ABCdefGHI/12345")


@pytest.mark.parametrize(
    "url",
    [
        # Cloud services: what sits where a host would be is a token; no lookup is made.
        "tgram://123456789:ABCdefGHIjklMNO/12345678",
        "discord://123456789/abcdefTOKEN",
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general",
        "pover://u0000000000000000000000000000a@a000000000000000000000000000t",
        "ntfy://my-secret-topic",
    ],
)
def test_cloud_services_are_accepted_without_a_lookup(alice, url):
    channel = channel_create(owner=alice, name="", url=url)
    assert channel.scheme == url.split("://")[0]
    assert channel.name  # Apprise's service name when none is given


def test_loopback_is_allowed_when_the_instance_says_so(alice, receiver, allow_private):
    channel = channel_create(owner=alice, name="Local", url=receiver.url())
    assert channel.enabled


def test_stored_encrypted_and_shown_only_as_a_hint(alice, alice_channel, receiver):
    url = receiver.url(secret=SECRET)
    channel = Channel.objects.get(pk=alice_channel.pk)
    assert SECRET not in channel.url_encrypted
    assert url not in channel.url_encrypted
    assert secrets.decrypt(channel.url_encrypted) == url
    assert SECRET not in channel.url_hint
    assert channel.url_hint.startswith(f"json://bot:****@127.0.0.1:{receiver.port}/digest")
    assert channel.scheme == "json"


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("tgram://123456789:ABCdefGHIjklMNO/12345678", "ABCdefGHIjklMNO"),
        ("ntfys://user:hunter2hunter@localhost/topic", "hunter2hunter"),
        ("ntfys://my-secret-topic", "my-secret-topic"),
        ("ntfys://localhost/my-secret-topic", "my-secret-topic"),
        ("discord://123456789/abcdefTOKENxyz", "abcdefTOKENxyz"),
        ("gotifys://localhost/AppTokenSecret99", "AppTokenSecret99"),
        ("matrixs://alice:correct-horse@localhost/#room", "correct-horse"),
        ("mailtos://me:mail-password@localhost?to=me@example.com", "mail-password"),
    ],
)
def test_hints_hide_the_secret(alice, url, secret, allow_private):
    # localhost: resolved (allowed here), never contacted. The tests make no outside lookup.
    channel = channel_create(owner=alice, name="x", url=url)
    assert secret not in channel.url_hint
    assert channel.url_hint.startswith(url.split("://")[0] + "://")


def test_the_message_reaches_the_receiver(alice_channel, receiver):
    channel_send(
        alice_channel,
        title="3 people to reach out to",
        body="Ana, Ben",
        url="https://crm.example.com/",
    )
    assert receiver.paths == ["/digest"]
    message = receiver.received[0]
    assert message["title"] == "3 people to reach out to"
    assert message["message"] == "Ana, Ben\n\nhttps://crm.example.com/"


def test_an_error_answer_is_a_retryable_error_without_the_secret(alice_channel, receiver):
    receiver.answer(500)
    with pytest.raises(DeliveryError) as caught:
        channel_send(alice_channel, title="T", body="B", url="")
    assert not caught.value.permanent
    assert "500" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_receiver_that_does_not_answer_times_out(alice_channel, receiver, monkeypatch):
    # The read timeout, shortened so the test does not wait 10 s; the receiver sleeps past it.
    monkeypatch.setattr(services, "READ_TIMEOUT_SECONDS", 0.5)
    receiver.answer(200, delay=3)
    with pytest.raises(DeliveryError) as caught:
        channel_send(alice_channel, title="T", body="B", url="")
    assert not caught.value.permanent
    assert SECRET not in str(caught.value)


def test_nobody_listening_is_a_retryable_error(alice, allow_private):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = channel_create(owner=alice, name="x", url=f"json://127.0.0.1:{port}/x")
    with pytest.raises(DeliveryError) as caught:
        channel_send(channel, title="T", body="B", url="")
    assert not caught.value.permanent


def test_loopback_is_refused_at_send_time_once_the_instance_stops_allowing_it(
    alice_channel, receiver, settings
):
    settings.NOTIFY_ALLOW_PRIVATE = False
    with pytest.raises(DeliveryError, match="private or reserved address"):
        channel_send(alice_channel, title="T", body="B", url="")
    assert receiver.received == []


def test_a_scheme_no_longer_allowed_fails_for_good(alice_channel, receiver, settings):
    settings.NOTIFY_SCHEMES = ["tgram"]
    with pytest.raises(DeliveryError, match="not offered here") as caught:
        channel_send(alice_channel, title="T", body="B", url="")
    assert caught.value.permanent
    assert receiver.received == []


def test_update_with_a_blank_url_keeps_it_and_a_new_one_replaces_it(alice_channel, receiver):
    before = alice_channel.url_encrypted
    channel_update(channel=alice_channel, name="Renamed", url="", enabled=False)
    channel = Channel.objects.get(pk=alice_channel.pk)
    assert (channel.name, channel.enabled, channel.url_encrypted) == ("Renamed", False, before)
    channel_update(channel=channel, name="Renamed", url=receiver.url("other"), enabled=True)
    channel.refresh_from_db()
    assert secrets.decrypt(channel.url_encrypted) == receiver.url("other")
    assert channel.url_hint.startswith(f"json://127.0.0.1:{receiver.port}/other")


def test_update_to_a_refused_url_changes_nothing(alice_channel, settings):
    before = Channel.objects.get(pk=alice_channel.pk)
    settings.NOTIFY_ALLOW_PRIVATE = False
    with pytest.raises(ChannelUrlError):
        channel_update(channel=alice_channel, name="New", url="json://10.0.0.1/x", enabled=True)
    after = Channel.objects.get(pk=alice_channel.pk)
    assert (after.name, after.url_encrypted, after.url_hint) == (
        before.name,
        before.url_encrypted,
        before.url_hint,
    )


def test_channel_test_records_success_and_failure(alice_channel, receiver, frozen_now):
    from django.utils import timezone

    assert services.channel_test(channel=alice_channel, now=timezone.now()) is None
    channel = Channel.objects.get(pk=alice_channel.pk)
    assert channel.last_success_at == timezone.now()
    assert channel.last_error == ""
    assert "works" in receiver.received[0]["message"]
    receiver.answer(503)
    error = services.channel_test(channel=channel, now=timezone.now())
    channel.refresh_from_db()
    assert error and "503" in error
    assert channel.last_error == error
    assert channel.last_attempt_at == timezone.now()


def test_the_connection_goes_to_the_address_checked_not_a_new_lookup(
    alice, receiver, allow_private, monkeypatch
):
    # A name only the check can resolve (as if DNS answered differently a moment later): the
    # send reaches the receiver only because the connection is pinned to the checked address.
    from network_crm import outbound

    real_resolve = outbound.resolve
    monkeypatch.setattr(
        outbound,
        "resolve",
        lambda host, port: (
            ["127.0.0.1"] if host == "crm-pinned.invalid" else real_resolve(host, port)
        ),
    )
    channel = channel_create(
        owner=alice, name="x", url=f"json://crm-pinned.invalid:{receiver.port}/pinned"
    )
    channel_send(channel, title="T", body="pinned", url="")
    assert receiver.paths == ["/pinned"]
    assert receiver.received[0]["message"] == "pinned"


def test_pinning_ends_with_the_send(alice_channel, receiver):
    import requests

    channel_send(alice_channel, title="T", body="B", url="")
    # The same thread, afterwards: an ordinary request by name resolves as usual.
    response = requests.post(f"http://localhost:{receiver.port}/after", json={}, timeout=5)
    assert response.status_code == 200
    assert receiver.paths[-1] == "/after"


@pytest.mark.parametrize(
    "url",
    [
        "tgram://123456789:ABCdefGHIjklMNO/12345678",
        "ntfys://user:hunter2hunter@localhost/topic?token=tk_abcdef",
        "json://[::1/broken",
    ],
)
def test_scrub_removes_every_secret_piece(url):
    message = f"Failed: could not reach {url} (token ABCdefGHIjklMNO hunter2hunter tk_abcdef)"
    scrubbed = services.scrub(message, url)
    for secret in ("ABCdefGHIjklMNO", "hunter2hunter", "tk_abcdef"):
        if secret in url:
            assert secret not in scrubbed


def test_one_attempt_per_send_whatever_the_url_asks(alice, receiver, allow_private, monkeypatch):
    # ?retry= and ?cto=/?rto= in the URL cannot make a send (a web request) long: one attempt.
    monkeypatch.setattr(services, "READ_TIMEOUT_SECONDS", 0.5)
    url = receiver.url("r") + "?retry=5&wait=2&rto=120&cto=120&redirect=yes"
    channel = channel_create(owner=alice, name="x", url=url)
    for _ in range(6):
        receiver.answer(500)
    with pytest.raises(DeliveryError):
        channel_send(channel, title="T", body="B", url="")
    assert len(receiver.received) == 1
    receiver.answers.clear()
    receiver.answer(200, delay=3)
    with pytest.raises(DeliveryError):
        channel_send(channel, title="T", body="B", url="")


def test_a_self_hosted_ntfy_server_gets_the_message(alice, receiver, allow_private):
    # Apprise's own ntfy plugin against a local server speaking ntfy's publish API (JSON POST).
    channel = channel_create(
        owner=alice, name="", url=f"ntfy://localhost:{receiver.port}/crm-digest"
    )
    assert channel.name == "ntfy"
    assert "crm-digest" not in channel.url_hint
    channel_send(
        channel, title="2 people to reach out to", body="Ana, Ben", url="https://crm.example.com/"
    )
    message = receiver.received[0]
    assert message["topic"] == "crm-digest"
    assert message["title"] == "2 people to reach out to"
    assert message["message"].startswith("Ana, Ben")
