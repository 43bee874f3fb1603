"""Hostile input to signing up and signing in (issue 8): never a 500; what is refused says why
and stores nothing; what is stored is what was typed. Shared setup: tests/fixtures/hostile.py."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from tests.fixtures.hostile import (
    NUL,
    HostileInputTestCase,
    assert_rendered,
    assert_shown,
    char_errors,
    clean_text,
    emails,
    fewer,
    hostile_fields,
    html_of,
    post,
    short_text,
    time_zones,
)


class SignUpAndSignInTest(HostileInputTestCase):
    @given(fields=hostile_fields(["name", "password"]), email=emails, time_zone=time_zones)
    def test_signup_refuses_with_a_message_or_stores_what_was_typed(self, fields, email, time_zone):
        client = self.client_for(None)
        before = User.objects.count()
        with self.settings(ALLOW_SIGNUP=True):
            response = post(
                client,
                reverse("signup"),
                {**fields, "email": email, "time_zone": time_zone},
            )
        name_errors = char_errors(fields["name"], max_length=150, required=True)
        if response.status_code == 302:
            user = User.objects.latest("pk")
            assert user.name == clean_text(fields["name"])
            assert user.email == clean_text(email).lower()
            assert user.settings.time_zone == clean_text(time_zone)
            assert not name_errors
            assert NUL not in fields["password"]
            page = html_of(self.client_for(user).get(reverse("settings")))
            assert_rendered(page, user.name)
        else:
            assert User.objects.count() == before
            if response.status_code == 200:
                html = html_of(response)
                assert 'class="errorlist' in html
                for message in name_errors:
                    assert_shown(html, message)

    @given(
        username=emails,
        password=short_text,
        extra=short_text,
        agent=st.sampled_from(["Mozilla/5.0", "\u202eevil", "x" * 10_000, "a\tb"]),
    )
    @fewer(3)
    def test_login_never_fails_with_a_server_error(self, username, password, extra, agent):
        client = Client(headers={"User-Agent": agent})
        post(
            client,
            reverse("login"),
            {"username": username, "password": password, "next": extra},
        )
        assert "_auth_user_id" not in client.session
