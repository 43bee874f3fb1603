"""Hostile input to the settings page's forms (settings, profile, my interests), issue 8: never
a 500; what is refused says why and stores nothing; what is stored is what was typed. Shared
setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User, UserSettings
from contacts.models import Interest
from network_crm.text import fold
from tests.fixtures.hostile import (
    DATES,
    HostileInputTestCase,
    as_date,
    as_int,
    assert_rendered,
    assert_shown,
    char_errors,
    clean_text,
    collapsed,
    emails,
    form_body,
    hostile_fields,
    html_of,
    huge_text,
    int_error,
    number,
    post,
    rows_of,
    short_text,
    time_zones,
    too_big,
)


class SettingsFormsTest(HostileInputTestCase):
    @given(
        fields=st.fixed_dictionaries(
            {
                "settings-time_zone": time_zones,
                "settings-digest_frequency": st.sampled_from(["daily", "weekly", "off", "hourly"]),
                "settings-digest_weekday": number,
                "settings-digest_hour": number,
                "settings-daily_limit": number,
                "settings-upcoming_days": number,
                "settings-date_reminder_days": number,
                "settings-vacation_until": st.sampled_from(DATES) | st.dates().map(str),
            }
        )
    )
    def test_settings_refuse_with_a_message_or_store_what_was_typed(self, fields):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        response = post(client, reverse("settings"), {"form": "settings", **fields})
        limits = {
            "daily_limit": (1, 50),
            "upcoming_days": (1, 90),
            "date_reminder_days": (0, 60),
        }
        expected_errors = {
            name: int_error(fields[f"settings-{name}"], low=low, high=high, required=True)
            for name, (low, high) in limits.items()
        }
        if response.status_code == 302:
            stored = UserSettings.objects.get(user=self.alice)
            assert stored.time_zone == clean_text(fields["settings-time_zone"])
            for name in limits:
                assert getattr(stored, name) == as_int(fields[f"settings-{name}"])
            assert stored.vacation_until == as_date(fields["settings-vacation_until"])
            assert not any(expected_errors.values())
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert 'class="errorlist' in html
            for name, message in expected_errors.items():
                if message is None:
                    continue
                # The daily limit says its range in words (its column alone would take 0..32767).
                accepted = [message, "Choose between 1 and 50 people a day."]
                if name != "daily_limit" or message in (
                    "This field is required.",
                    "Enter a whole number.",
                ):
                    accepted = [message]
                assert any(escape(text) in html for text in accepted), (name, accepted)

    @given(fields=hostile_fields(["profile-name"]), email=emails)
    def test_profile_refuses_with_a_message_or_stores_what_was_typed(self, fields, email):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        response = post(
            client, reverse("settings"), {"form": "profile", "profile-email": email, **fields}
        )
        self.assert_bob_untouched(bob_before)
        name_errors = char_errors(fields["profile-name"], max_length=150)
        if response.status_code == 302:
            user = User.objects.get(pk=self.alice.pk)
            assert user.name == clean_text(fields["profile-name"])
            assert user.email == clean_text(email).lower()
            assert user.email != self.bob.email
            assert not name_errors
        else:
            assert rows_of(self.alice) == before
            if response.status_code == 200:
                html = html_of(response)
                assert 'class="errorlist' in html
                for message in name_errors:
                    assert_shown(html, message)
                if clean_text(email).lower() == self.bob.email:
                    assert_shown(html, "Another account already uses this email address.")

    @given(
        interests=st.one_of(
            st.lists(short_text, max_size=6).map(", ".join),
            huge_text,
            st.text(alphabet="a ,", min_size=1990, max_size=2010),
        )
    )
    def test_my_interests_refuse_with_a_message_or_store_what_was_typed(self, interests):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        response = post(
            client,
            reverse("contacts:interests"),
            {"form": "interests", "mine-interests": interests},
        )
        if too_big(form_body({"mine-interests": interests})):
            return
        errors = char_errors(interests, max_length=2000)
        typed = [collapsed(name) for name in clean_text(interests).split(",")]
        too_long = not errors and any(
            len(name.strip()) > 80 for name in clean_text(interests).split(",")
        )
        if too_long:
            errors = ["Keep each interest under 80 characters"]
        if response.status_code == 302:
            assert not errors
            mine = Interest.objects.filter(owner=self.alice, mine=True)
            # Each interest is matched ignoring case and accents; whitespace runs become one space.
            assert {i.folded_name for i in mine} == {fold(name) for name in typed if name}
            for interest in mine:
                assert interest.name in [name for name in typed if name] or any(
                    interest.folded_name == fold(name) for name in typed
                )
            page = html_of(client.get(reverse("contacts:interests")))
            for interest in mine:
                assert_rendered(page, interest.name)
        else:
            assert rows_of(self.alice) == before
            assert response.status_code == 200
            assert errors, "valid interests were refused"
            for message in errors:
                assert_shown(html_of(response), message)

    def test_an_interest_over_80_characters_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        typed = (
            "jazz, " + "Early twentieth-century New Orleans brass band music and its revival " * 2
        )
        response = post(
            client, reverse("contacts:interests"), {"form": "interests", "mine-interests": typed}
        )
        assert response.status_code == 200
        assert rows_of(self.alice) == before
