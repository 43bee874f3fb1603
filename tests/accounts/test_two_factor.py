"""Optional two-factor sign-in: an authenticator app (TOTP) plus one-time recovery codes.

Time is frozen (conftest's frozen_now, tick=False) wherever a code depends on "now"; codes are
computed from the device's own key with django_otp.oath.totp, so the tests pass at any hour and
in any machine time zone. TOTP codes can't be used twice in one 30-second step, so tests move
the clock on between uses.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32encode

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY, login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from tests.accounts.conftest import reset_link
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- Helpers -----------------------------------------------------------------------------------


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or ``steps_ahead`` 30-second steps later)."""
    device.refresh_from_db()
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{token:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def turn_on(user: User) -> tuple[TOTPDevice, list[str]]:
    """Two-factor sign-in on for ``user`` (through the services), with its recovery codes."""
    device = services.two_factor_start(user=user)
    check, codes = services.two_factor_confirm(user=user, code=code_for(device))
    assert check.ok
    device.refresh_from_db()
    return device, codes


def log_in_verified(client: Client, user: User, device: TOTPDevice) -> None:
    """A session that has been through both steps (force_login with the verified device)."""
    user.otp_device = device
    client.force_login(user, backend=MODEL_BACKEND)


def password_step(client: Client, email: str = "alice@example.com", **extra):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD, **extra})


def code_step(client: Client, code: str, **extra):
    return client.post(reverse("login_code"), {"code": code}, **extra)


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def alice_2fa(alice, frozen_now):
    """Alice with two-factor sign-in on; the clock has moved on past the setup code's step."""
    device, codes = turn_on(alice)
    frozen_now.shift(dt.timedelta(seconds=30))
    return device, codes


# --- Turning it on -------------------------------------------------------------------------------


def test_settings_offer_to_turn_it_on(alice_client):
    html = alice_client.get(reverse("settings")).content.decode()
    assert "Two-factor sign-in" in html
    assert "Turn on two-factor sign-in" in html
    assert "recovery code" not in html


def test_setup_shows_a_qr_code_and_the_key_and_needs_a_current_code_and_the_password(
    alice_client, alice, frozen_now
):
    response = alice_client.post(reverse("two_factor_start"))
    assert response.url == reverse("two_factor_setup")
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed

    page = alice_client.get(reverse("two_factor_setup"))
    html = page.content.decode()
    # The QR code is inline SVG made on the server: no image request, nothing against the CSP.
    assert 'role="img" aria-label="QR code for your authenticator app"' in html
    assert html.count("<svg") == 1 and 'viewBox="0 0 ' in html
    assert "<img" not in html and " style=" not in html
    assert "no-cache" in page.headers["Cache-Control"]
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # What the QR code holds: the app lists it as "network-crm: alice@example.com".
    assert device.config_url.startswith(
        f"otpauth://totp/network-crm%3Aalice%40example.com?secret={secret}&"
    )
    assert device.config_url.endswith("&issuer=network-crm")

    wrong_code = alice_client.post(
        reverse("two_factor_setup"), {"password": PASSWORD, "code": wrong_code_for(device)}
    )
    assert "That code isn&#x27;t right" in wrong_code.content.decode()
    frozen_now.shift(dt.timedelta(seconds=5))  # past the one-second throttle of that failure
    wrong_password = alice_client.post(
        reverse("two_factor_setup"), {"password": "nope", "code": code_for(device)}
    )
    assert "That password isn&#x27;t right" in wrong_password.content.decode()
    assert not services.two_factor_enabled(user=alice)
    assert not StaticDevice.objects.exists()

    done = alice_client.post(
        reverse("two_factor_setup"), {"password": PASSWORD, "code": f" {code_for(device)} "}
    )
    assert done.url == reverse("two_factor_recovery_codes")
    assert services.two_factor_enabled(user=alice)
    # This session showed a code, so it counts as verified for django-otp.
    assert alice_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    codes_page = alice_client.get(reverse("two_factor_recovery_codes"))
    stored = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert len(stored) == services.RECOVERY_CODE_COUNT == 10
    assert [f"{c[:4]}-{c[4:]}" for c in sorted(stored)] == codes_page.context["codes"]
    for code in codes_page.context["codes"]:
        assert f"<code>{code}</code>" in codes_page.content.decode()
    # Shown once: afterwards the page sends you back to Settings.
    again = alice_client.get(reverse("two_factor_recovery_codes"), follow=True)
    assert "shown only once" in again.content.decode()

    settings_html = alice_client.get(reverse("settings")).content.decode()
    assert "Signing in asks for a code" in settings_html
    assert "10 recovery codes left" in settings_html


def test_an_unfinished_setup_leaves_sign_in_as_it_was(client, alice, frozen_now):
    services.two_factor_start(user=alice)
    assert password_step(client).url == reverse("dashboard")
    assert is_logged_in(client)


def test_starting_again_gives_a_new_key(alice_client, alice):
    alice_client.post(reverse("two_factor_start"))
    first = TOTPDevice.objects.get(user=alice).key
    alice_client.post(reverse("two_factor_start"))
    assert TOTPDevice.objects.get(user=alice).key != first


# --- Signing in -----------------------------------------------------------------------------------


def _argument_free_pages():
    def walk(resolver: URLResolver, prefix: str = ""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and not entry.pattern.converters:
                route = prefix + str(entry.pattern)
                if not any(c in route for c in "^$()[]"):  # the admin's regex catch-alls
                    yield "/" + route

    return sorted(set(walk(get_resolver())))


def test_the_password_alone_opens_no_page(client, alice, alice_2fa):
    response = password_step(client, next="/contacts/")
    assert response.url == reverse("login_code")
    assert not is_logged_in(client)
    assert client.get(reverse("dashboard")).url.startswith(reverse("login"))
    assert client.get(reverse("admin:index")).status_code == 302
    # Every page answers the half-signed-in visitor exactly as it answers a stranger.
    stranger = Client()
    # (Logging out would end the half-way state, and with it what this test looks at.)
    pages = [
        page
        for page in _argument_free_pages()
        if page not in (reverse("login_code"), reverse("logout"))
    ]
    assert "/" in pages and "/contacts/" in pages and "/admin/" in pages
    for page in pages:
        for method in ("get", "post"):
            mine = getattr(client, method)(page)
            theirs = getattr(stranger, method)(page)
            assert (mine.status_code, mine.headers.get("Location")) == (
                theirs.status_code,
                theirs.headers.get("Location"),
            ), f"{method.upper()} {page}"
    assert not is_logged_in(client)
    assert "Enter your code" in client.get(reverse("login_code")).content.decode()


def test_the_right_code_signs_in_and_goes_where_you_were_going(client, alice, alice_2fa):
    device, _codes = alice_2fa
    password_step(client, next="/contacts/")
    page = client.get(reverse("login_code"))
    assert "Enter your code" in page.content.decode()
    assert "no-cache" in page.headers["Cache-Control"]

    response = code_step(client, code_for(device))
    assert response.url == "/contacts/"
    assert is_logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_code_cannot_be_used_twice(client, alice, alice_2fa):
    device, _codes = alice_2fa
    code = code_for(device)
    password_step(client)
    code_step(client, code)
    client.post(reverse("logout"))
    password_step(client)
    replay = code_step(client, code)
    assert replay.status_code == 200
    assert "That code isn&#x27;t right" in replay.content.decode()
    assert not is_logged_in(client)


def test_a_recovery_code_works_once(client, alice, alice_2fa):
    _device, codes = alice_2fa
    password_step(client)
    # As people type them: with the dash and in capitals.
    response = code_step(client, f"{codes[0][:4].upper()}-{codes[0][4:].upper()}", follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "You used a recovery code; 9 left" in response.content.decode()
    assert is_logged_in(client)

    client.post(reverse("logout"))
    password_step(client)
    again = code_step(client, codes[0])
    assert "That code isn&#x27;t right" in again.content.decode()
    assert not is_logged_in(client)
    assert services.recovery_codes_left(user=alice) == 9


def test_wrong_codes_say_so_and_are_throttled(client, alice, alice_2fa, frozen_now):
    device, _codes = alice_2fa
    password_step(client)
    wrong = code_step(client, wrong_code_for(device))
    assert wrong.status_code == 200
    assert "That code isn&#x27;t right" in wrong.content.decode()
    # django-otp's throttle: after a failure the next try must wait (1, 2, 4… seconds), even
    # with the right code.
    too_soon = code_step(client, code_for(device))
    assert "Too many wrong codes in a row. Wait 1 second, then try again." in (
        too_soon.content.decode()
    )
    assert not is_logged_in(client)
    frozen_now.shift(dt.timedelta(seconds=1))
    assert code_step(client, code_for(device)).url == reverse("dashboard")
    assert is_logged_in(client)


def test_repeated_wrong_codes_lock_the_account_from_that_address(
    client, alice, alice_2fa, frozen_now, settings
):
    device, codes = alice_2fa
    password_step(client)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        frozen_now.shift(dt.timedelta(seconds=2**attempt))  # past the device's own throttle
        response = code_step(client, wrong_code_for(device))
    # The fifth wrong code counts like a fifth wrong password: django-axes locks it out.
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    frozen_now.shift(dt.timedelta(seconds=60))
    assert code_step(client, code_for(device)).status_code == 429
    assert code_step(client, codes[0]).status_code == 429
    assert password_step(client).status_code == 429
    assert not is_logged_in(client)
    assert services.recovery_codes_left(user=alice) == 10


def test_the_code_step_expires(client, alice, alice_2fa, frozen_now):
    device, _codes = alice_2fa
    password_step(client)
    frozen_now.shift(dt.timedelta(minutes=5, seconds=1))
    response = code_step(client, code_for(device), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "please log in again" in response.content.decode()
    assert not is_logged_in(client)


def test_the_code_step_needs_the_password_step_first(client, alice, alice_2fa):
    device, _codes = alice_2fa
    assert client.get(reverse("login_code")).url == reverse("login")
    assert code_step(client, code_for(device)).url == reverse("login")
    assert not is_logged_in(client)


def test_a_password_change_between_the_steps_voids_the_first(client, alice, alice_2fa):
    device, _codes = alice_2fa
    password_step(client)
    alice.set_password("a-brand-new-password-7")
    alice.save()
    assert code_step(client, code_for(device)).url == reverse("login")
    assert not is_logged_in(client)


def test_a_password_reset_does_not_skip_the_code(
    client, alice, alice_2fa, mailoutbox, ask_for_reset
):
    device, _codes = alice_2fa
    ask_for_reset("alice@example.com")
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new_password = {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    done = client.post(form_page.redirect_chain[-1][0], new_password)
    assert done.url == reverse("password_reset_complete")
    assert not is_logged_in(client)
    assert client.get(reverse("dashboard")).status_code == 302

    response = client.post(
        reverse("login"), {"username": "alice@example.com", "password": "brand-new-pass-42"}
    )
    assert response.url == reverse("login_code")
    assert not is_logged_in(client)
    assert code_step(client, code_for(device)).url == reverse("dashboard")


def test_a_new_password_clears_the_wait_wrong_codes_built_up(
    client, alice, alice_2fa, frozen_now, mailoutbox, ask_for_reset
):
    """Someone with the old password typing wrong codes from many addresses could make the real
    user wait for days (the wait doubles each time): resetting the password clears it."""
    device, _codes = alice_2fa
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=30, throttling_failure_timestamp=timezone.now()
    )
    password_step(client)
    assert "Too many wrong codes in a row" in code_step(client, code_for(device)).content.decode()

    ask_for_reset("alice@example.com")
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new_password = {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    assert client.post(form_page.redirect_chain[-1][0], new_password).status_code == 302

    client.post(
        reverse("login"), {"username": "alice@example.com", "password": "brand-new-pass-42"}
    )
    assert code_step(client, code_for(device)).url == reverse("dashboard")
    assert is_logged_in(client)


def test_people_without_two_factor_sign_in_as_before(client, alice, bob, alice_2fa):
    response = password_step(client, email="bob@example.com")
    assert response.url == reverse("dashboard")
    assert is_logged_in(client)


# --- The admin and other ways in ------------------------------------------------------------------


def test_the_admin_signs_in_through_the_login_page(client, alice, alice_2fa):
    device, _codes = alice_2fa
    response = client.get(reverse("admin:login") + "?next=/admin/contacts/contact/")
    assert response.url == reverse("login") + "?next=/admin/contacts/contact/"
    # Posting a password to the admin's login does nothing at all.
    posted = client.post(
        reverse("admin:login"),
        {"username": "alice@example.com", "password": PASSWORD, "next": "/admin/"},
    )
    assert posted.status_code == 302
    assert posted.url.startswith(reverse("login"))
    assert not is_logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302

    password_step(client, next="/admin/")
    assert client.get(reverse("admin:index")).status_code == 302
    assert code_step(client, code_for(device)).url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def _request_with_session(request):
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    return request


def test_any_other_login_of_a_two_factor_account_is_refused(alice, alice_2fa):
    # What would happen if a view ever logged someone in on a password alone: the stock admin
    # login form (replaced by a redirect in CRMAdminSite) and a bare login() call.
    request = _request_with_session(
        RequestFactory().post(
            "/admin/login/", {"username": "alice@example.com", "password": PASSWORD}
        )
    )
    request._dont_enforce_csrf_checks = True
    with pytest.raises(PermissionDenied):
        admin.AdminSite.login(admin.site, request)
    assert SESSION_KEY not in request.session

    request = _request_with_session(RequestFactory().get("/"))
    with pytest.raises(PermissionDenied):
        login(request, alice, backend=MODEL_BACKEND)
    assert SESSION_KEY not in request.session
    assert not request.user.is_authenticated


def test_django_otps_admin_pages_are_not_offered(client, alice, alice_2fa):
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry


def test_a_superuser_can_turn_it_off_for_someone_who_lost_their_phone(client, alice, bob):
    device, _codes = turn_on(bob)
    owner_device, _ = turn_on(alice)
    alice.is_superuser = True
    alice.save()
    log_in_verified(client, alice, owner_device)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "turn_off_two_factor", "_selected_action": [bob.pk]},
    )
    assert response.status_code == 302
    assert not services.two_factor_enabled(user=bob)
    assert not StaticDevice.objects.filter(user=bob).exists()
    assert services.two_factor_enabled(user=alice)


# --- Changing it later ----------------------------------------------------------------------------


def test_turning_it_off_needs_the_password_or_a_code(client, alice, alice_2fa, frozen_now):
    device, _codes = alice_2fa
    log_in_verified(client, alice, device)
    url = reverse("two_factor_disable")
    assert "Turn off two-factor sign-in?" in client.get(url).content.decode()

    wrong = client.post(url, {"secret": "not my password"})
    assert "That password isn&#x27;t right" in wrong.content.decode()
    wrong_code = client.post(url, {"secret": wrong_code_for(device)})
    assert "That code isn&#x27;t right" in wrong_code.content.decode()
    assert services.two_factor_enabled(user=alice)

    frozen_now.shift(dt.timedelta(seconds=5))
    done = client.post(url, {"secret": code_for(device)}, follow=True)
    assert "Two-factor sign-in is off." in done.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()

    client.post(reverse("logout"))
    assert password_step(client).url == reverse("dashboard")
    assert is_logged_in(client)


def test_turning_it_off_with_the_password(client, alice, alice_2fa):
    device, _codes = alice_2fa
    log_in_verified(client, alice, device)
    client.post(reverse("two_factor_disable"), {"secret": PASSWORD})
    assert not services.two_factor_enabled(user=alice)


def test_new_recovery_codes_replace_the_old_ones(client, alice, alice_2fa, frozen_now):
    device, old_codes = alice_2fa
    log_in_verified(client, alice, device)
    refused = client.post(reverse("two_factor_regenerate"), {"secret": "nope"})
    assert "That password isn&#x27;t right" in refused.content.decode()

    response = client.post(reverse("two_factor_regenerate"), {"secret": PASSWORD}, follow=True)
    new_codes = [code.replace("-", "") for code in response.context["codes"]]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "the old ones no longer work" in response.content.decode()

    client.post(reverse("logout"))
    password_step(client)
    assert "That code isn&#x27;t right" in code_step(client, old_codes[0]).content.decode()
    assert not is_logged_in(client)
    frozen_now.shift(dt.timedelta(seconds=2))  # past the throttle of the failure above
    assert code_step(client, new_codes[0]).url == reverse("dashboard")


def test_the_change_pages_do_nothing_while_it_is_off(alice_client, alice):
    for name in ("two_factor_disable", "two_factor_regenerate", "two_factor_setup"):
        assert alice_client.post(reverse(name), {"secret": PASSWORD}).url == reverse("settings")
    assert not StaticDevice.objects.exists()
    assert not TOTPDevice.objects.exists()


def test_nobody_touches_another_persons_devices(client, alice, bob, alice_2fa, frozen_now):
    alice_device, alice_codes = alice_2fa
    before = (
        TOTPDevice.objects.get(user=alice).key,
        sorted(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)),
    )
    client.force_login(bob)
    # Bob's own changes only ever reach his own rows.
    client.post(reverse("two_factor_disable"), {"secret": PASSWORD})
    client.post(reverse("two_factor_regenerate"), {"secret": PASSWORD})
    client.post(reverse("two_factor_start"))
    bob_device = TOTPDevice.objects.get(user=bob)
    client.post(
        reverse("two_factor_setup"),
        {"password": PASSWORD, "code": code_for(alice_device)},  # alice's code is no use
    )
    assert not services.two_factor_enabled(user=bob)
    frozen_now.shift(dt.timedelta(seconds=5))
    client.post(reverse("two_factor_setup"), {"password": PASSWORD, "code": code_for(bob_device)})
    assert services.two_factor_enabled(user=bob)
    client.post(reverse("two_factor_disable"), {"secret": PASSWORD})
    assert not services.two_factor_enabled(user=bob)

    # Alice's codes don't sign bob in.
    frozen_now.shift(dt.timedelta(seconds=30))
    turn_on(bob)
    frozen_now.shift(dt.timedelta(seconds=30))
    stranger = Client()
    password_step(stranger, email="bob@example.com")
    for code in (alice_codes[0], code_for(alice_device)):
        frozen_now.shift(dt.timedelta(seconds=5))
        assert code_step(stranger, code).status_code == 200
    assert not is_logged_in(stranger)

    after = (
        TOTPDevice.objects.get(user=alice).key,
        sorted(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)),
    )
    assert after == before


# --- Your data ------------------------------------------------------------------------------------


def test_deleting_the_account_deletes_its_devices(client, alice, bob, alice_2fa):
    device, _codes = alice_2fa
    turn_on(bob)
    log_in_verified(client, alice, device)
    done = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert "Account deleted" in done.content.decode()
    assert not TOTPDevice.objects.filter(user_id=alice.pk).exists()
    assert not StaticDevice.objects.filter(user_id=alice.pk).exists()
    assert not StaticToken.objects.exclude(device__user=bob).exists()
    assert services.two_factor_enabled(user=bob)
    assert services.recovery_codes_left(user=bob) == 10


def test_the_backup_leaves_the_secrets_out(client, alice, alice_2fa):
    device, codes = alice_2fa
    ContactFactory(owner=alice, name="Amara Diallo")
    log_in_verified(client, alice, device)
    response = client.get(reverse("portability:backup"))
    body = b"".join(response.streaming_content).decode()
    assert body.startswith('{"format": "network-crm-backup"')
    assert "Amara Diallo" in body
    assert device.key not in body
    assert b32encode(device.bin_key).decode() not in body
    assert not any(code in body for code in codes)
