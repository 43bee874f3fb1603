"""/api/v1/me/ (api/views/me.py): the account and its settings, changed with the page's rules."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import UserSettings

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_me_shows_the_account_and_its_settings(alice_api, alice):
    UserSettings.objects.filter(user=alice).update(time_zone="Pacific/Auckland", locale="en-GB")
    response = alice_api.get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == alice.pk
    assert body["name"] == "Alice Martin"
    assert body["email"] == "alice@example.com"
    # 09:30 UTC on Saturday 28 November is already the evening of that day in Auckland (+13).
    assert body["today"] == "2026-11-28"
    assert body["time_zone"] == "Pacific/Auckland"
    assert body["digest_frequency"] == "daily"
    assert body["daily_limit"] == 5
    assert body["vacation_until"] is None
    assert body["locale"] == "en-GB"


def test_today_is_the_users_local_date(alice_api, alice):
    UserSettings.objects.filter(user=alice).update(time_zone="Pacific/Kiritimati")  # UTC+14
    assert alice_api.get("/api/v1/me/").json()["today"] == "2026-11-28"
    UserSettings.objects.filter(user=alice).update(time_zone="America/Los_Angeles")
    assert alice_api.get("/api/v1/me/").json()["today"] == "2026-11-28"
    UserSettings.objects.filter(user=alice).update(time_zone="Pacific/Pago_Pago")  # UTC-11
    assert alice_api.get("/api/v1/me/").json()["today"] == "2026-11-27"


def test_patch_changes_settings_through_the_service(alice_api, alice):
    before = UserSettings.objects.get(user=alice).next_digest_at
    response = alice_api.patch(
        "/api/v1/me/",
        {
            "time_zone": "Asia/Tokyo",
            "digest_hour": 7,
            "daily_limit": 12,
            "vacation_until": "2026-12-24",
            "locale": "en-US",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    stored = UserSettings.objects.get(user=alice)
    assert stored.time_zone == "Asia/Tokyo"
    assert stored.digest_hour == 7
    assert stored.daily_limit == 12
    assert stored.vacation_until == dt.date(2026, 12, 24)
    assert stored.locale == "en-US"
    assert response.json()["daily_limit"] == 12
    # The reminders app's receiver moved the next digest to 07:00 in Tokyo (the service's signal).
    assert stored.next_digest_at != before


def test_an_empty_or_null_vacation_ends_the_break(alice_api, alice):
    UserSettings.objects.filter(user=alice).update(vacation_until=dt.date(2026, 12, 24))
    assert alice_api.patch("/api/v1/me/", {"vacation_until": ""}, format="json").status_code == 200
    assert UserSettings.objects.get(user=alice).vacation_until is None
    UserSettings.objects.filter(user=alice).update(vacation_until=dt.date(2026, 12, 24))
    response = alice_api.patch("/api/v1/me/", {"vacation_until": None}, format="json")
    assert response.json()["vacation_until"] is None
    assert UserSettings.objects.get(user=alice).vacation_until is None


def test_name_and_email_are_read_only_here(alice_api, alice):
    response = alice_api.patch(
        "/api/v1/me/", {"name": "Mallory", "email": "mallory@example.com"}, format="json"
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.name, alice.email) == ("Alice Martin", "alice@example.com")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"daily_limit": 0}, "daily_limit", "Choose between 1 and 50 people a day."),
        ({"daily_limit": 51}, "daily_limit", "Choose between 1 and 50 people a day."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", ""),
        ({"digest_frequency": "hourly"}, "digest_frequency", "not a valid choice"),
        ({"digest_hour": 24}, "digest_hour", "not a valid choice"),
        ({"upcoming_days": 91}, "upcoming_days", ""),
        ({"vacation_until": "soon"}, "vacation_until", ""),
        ({"locale": "xx-XX"}, "locale", "not a valid choice"),
        ({"locale": ""}, "locale", "required"),
    ],
)
def test_bad_settings_are_a_400_per_field_and_change_nothing(
    alice_api, alice, body, field, message
):
    before = UserSettings.objects.filter(user=alice).values().get()
    response = alice_api.patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert message in " ".join(errors[field])
    assert UserSettings.objects.filter(user=alice).values().get() == before


def test_me_is_your_own_whoever_asks(alice_api, bob_api, alice, bob):
    assert bob_api.get("/api/v1/me/").json()["email"] == "bob@example.com"
    bob_api.patch("/api/v1/me/", {"daily_limit": 20}, format="json")
    assert UserSettings.objects.get(user=alice).daily_limit == 5
    assert UserSettings.objects.get(user=bob).daily_limit == 20


def test_me_answers_put_with_405(alice_api):
    assert alice_api.put("/api/v1/me/", {}, format="json").status_code == 405


def test_the_schema_states_the_settings_pages_bounds(alice_api, alice):
    schema = alice_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    me = schema["components"]["schemas"]["Me"]["properties"]
    low, high = me["daily_limit"]["minimum"], me["daily_limit"]["maximum"]
    for value, accepted in [(low - 1, False), (low, True), (high, True), (high + 1, False)]:
        response = alice_api.patch("/api/v1/me/", {"daily_limit": value}, format="json")
        assert (response.status_code == 200) is accepted, value
    zones = schema["components"]["schemas"]["TimeZoneEnum"]["enum"]
    assert "Europe/Paris" in zones
    assert (
        alice_api.patch("/api/v1/me/", {"time_zone": zones[-1]}, format="json").status_code == 200
    )
