"""The digest by email can be turned off (channels and devices still get it), and the settings
form takes quiet hours, refusing half a pair with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notify.models import Delivery
from notify.services.deliveries import deliveries_run, digest_fan_out
from reminders.models import Digest
from reminders.services.digests import digest_send
from tests.notify.deliveries.conftest import make_channel, sweep_digest, user_with_people_due

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_email_off_sends_no_mail_and_the_channels_still_get_the_digest(
    receiver, smtp_settings, smtp_server
):
    owner = user_with_people_due(
        "nomail@example.com", zone="UTC", now=NOW, names=("Ana Lopez",), digest_by_email=False
    )
    make_channel(owner, receiver.apprise_url())
    digest = sweep_digest(owner, NOW)
    assert digest_send(digest_id=digest.pk, now=NOW) == "not emailed"
    digest.refresh_from_db()
    assert (digest.state, digest.item_count) == (Digest.State.NOT_EMAILED, 1)
    assert smtp_server.messages == []
    # Fanned out after the email step too: a NOT_EMAILED digest still went out.
    assert digest_fan_out(digest_id=digest.pk, now=NOW) == 1
    assert deliveries_run(now=NOW, clock=lambda: NOW) == {"sent": 1}
    assert receiver.received[0].json["title"] == "Time to reach out to Ana Lopez"
    # Not emailed is final: the sweep does not hand it on again.
    assert digest_send(digest_id=digest.pk, now=NOW) == "not claimable"


def test_email_on_is_unchanged(smtp_settings, smtp_server):
    owner = user_with_people_due("mail@example.com", zone="UTC", now=NOW)
    digest = sweep_digest(owner, NOW)
    assert digest_send(digest_id=digest.pk, now=NOW) == "sent"
    assert len(smtp_server.messages) == 1
    assert not Delivery.objects.exists()  # no channels, no devices: email only


def post_settings(client, **extra):
    data = {
        "form": "settings",
        "settings-time_zone": "Europe/Berlin",
        "settings-digest_frequency": "daily",
        "settings-digest_weekday": "0",
        "settings-digest_hour": "8",
        "settings-daily_limit": "5",
        "settings-upcoming_days": "14",
        "settings-date_reminder_days": "3",
    }
    data.update({f"settings-{key}": value for key, value in extra.items()})
    return client.post(reverse("settings"), data)


def test_the_settings_page_saves_quiet_hours_and_the_email_toggle(alice_client, alice):
    page = alice_client.get(reverse("settings")).content.decode()
    assert "Quiet hours" in page
    assert 'name="settings-digest_by_email"' in page and "checked" in page
    response = post_settings(
        alice_client, quiet_hours_start="22:00", quiet_hours_end="07:00", digest_by_email=""
    )
    assert response.status_code == 302
    alice.settings.refresh_from_db()
    assert (alice.settings.quiet_hours_start, alice.settings.quiet_hours_end) == (
        dt.time(22),
        dt.time(7),
    )
    # An unticked checkbox is not posted at all: the email is off.
    response = post_settings(alice_client, quiet_hours_start="22:00", quiet_hours_end="07:00")
    alice.settings.refresh_from_db()
    assert alice.settings.digest_by_email is False
    page = alice_client.get(reverse("settings")).content.decode()
    assert 'value="22:00"' in page and 'value="07:00"' in page


def test_the_digest_hour_moves_when_quiet_hours_cover_it(alice_client, alice, frozen_now):
    # Frozen on Saturday 28 Nov 2026 09:30 UTC = 10:30 in Berlin: today's 08:00 has passed, so
    # the next digest is due today; quiet until 09:00 moves it to 09:00 Berlin = 08:00 UTC.
    post_settings(alice_client, quiet_hours_start="22:00", quiet_hours_end="09:00")
    alice.settings.refresh_from_db()
    assert alice.settings.next_digest_at == dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("22:00", "", "Give both times for quiet hours, or clear both."),
        ("", "07:00", "Give both times for quiet hours, or clear both."),
        ("07:00", "07:00", "Quiet hours need an end different from the start."),
        ("25:99", "07:00", "Enter a valid time."),
        ("<script>", "07:00", "Enter a valid time."),
    ],
)
def test_half_or_broken_quiet_hours_are_refused_and_nothing_is_lost(
    alice_client, alice, start, end, message
):
    response = post_settings(
        alice_client, quiet_hours_start=start, quiet_hours_end=end, daily_limit="9"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="<script>"' not in page  # shown back escaped, never as markup
    alice.settings.refresh_from_db()
    assert alice.settings.quiet_hours_start is None and alice.settings.daily_limit == 5
    assert 'value="9"' in page  # what was typed is still in the form
