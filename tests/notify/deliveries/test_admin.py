"""The admin shows an owner their channels, devices and deliveries read-only, never a
channel's URL (not even encrypted) nor a device's endpoint and keys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notify.models import Delivery
from notify.services.deliveries import deliveries_run, digest_fan_out
from tests.notify.deliveries.conftest import (
    make_channel,
    make_subscription,
    sweep_digest,
    user_with_people_due,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
SECRET_URL = "json://127.0.0.1:9/hook?token=very-secret-token"


def test_the_admin_never_shows_a_channel_url_or_a_device_secret(client, receiver):
    owner = user_with_people_due("admin@example.com", zone="UTC", now=NOW)
    owner.is_staff = True
    owner.save()
    channel = make_channel(owner, SECRET_URL, name="Team chat")
    device = make_subscription(owner, receiver.url("push/secret-endpoint"))
    digest = sweep_digest(owner, NOW)
    digest_fan_out(digest_id=digest.pk, now=NOW)
    deliveries_run(now=NOW, clock=lambda: NOW)
    client.force_login(owner)
    pages = [
        reverse("admin:notify_channel_changelist"),
        reverse("admin:notify_channel_change", args=[channel.pk]),
        reverse("admin:notify_pushsubscription_changelist"),
        reverse("admin:notify_pushsubscription_change", args=[device.pk]),
        reverse("admin:notify_delivery_changelist"),
        *[
            reverse("admin:notify_delivery_change", args=[pk])
            for pk in Delivery.objects.values_list("pk", flat=True)
        ],
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "very-secret-token" not in page, url
        assert channel.url_encrypted not in page, url
        assert "secret-endpoint" not in page, url
        assert 'name="url_encrypted"' not in page
    deliveries = client.get(reverse("admin:notify_delivery_changelist")).content.decode()
    assert "Team chat" in deliveries and "Time to reach out to" not in deliveries
    detail = client.get(
        reverse("admin:notify_delivery_change", args=[Delivery.objects.get(channel=channel).pk])
    ).content.decode()
    assert "Time to reach out to Ana Lopez" in detail  # the text it carried
    # Read-only: a POST changes nothing.
    client.post(reverse("admin:notify_channel_change", args=[channel.pk]), {"name": "Hacked"})
    channel.refresh_from_db()
    assert channel.name == "Team chat"
    assert client.get(reverse("admin:notify_channel_add")).status_code == 403
