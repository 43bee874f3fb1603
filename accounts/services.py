"""Writes for accounts: sign-up, invitations, settings, two-factor sign-in."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    AppPassword,
    Invitation,
    LoginFailure,
    PasswordResetRequest,
    User,
    UserSettings,
    normalize_email_key,
)
from accounts.signals import user_created, user_deleting, user_settings_changed
from network_crm import dates


class EmailTaken(Exception):
    """Another sign-up with the same address committed first."""


class InvitationUsed(Exception):
    """The invitation was used (or revoked) between showing the form and signing up."""


def signup_is_open(*, invitation: Invitation | None = None) -> bool:
    """The first person always may sign up (they own the instance); later, only with an invitation
    or when ALLOW_SIGNUP is on."""
    if not User.objects.exists():
        return True
    return settings.ALLOW_SIGNUP or (invitation is not None and invitation.accepted_at is None)


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    name: str,
    time_zone: str,
    now: dt.datetime,
    invitation: Invitation | None = None,
    locale: str = "",
) -> User:
    """Create an account with its settings row, default circles and digest schedule.

    The very first account owns the instance: it is a superuser and may invite others.
    """
    if invitation is not None:
        # Claimed before the account is made, with a conditional update: of several sign-ups
        # racing with one link, the first to commit wins and the others find it used.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, email__iexact=email
        ).update(accepted_at=now)
        if not claimed:
            raise InvitationUsed
    is_first = not User.objects.exists()
    try:
        # A savepoint, so a sign-up racing another with the same address (both passed the form's
        # "already has an account" check) is refused cleanly instead of breaking the transaction.
        with transaction.atomic():
            if is_first:
                user = User.objects.create_superuser(email=email, password=password, name=name)
            else:
                user = User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError:
        raise EmailTaken from None
    user_prepare(user=user, now=now, time_zone=time_zone, locale=locale)
    # The default circles come from contacts' receiver (accounts.signals).
    user_created.send(sender=User, user=user)
    return user


def user_prepare(
    *, user: User, now: dt.datetime, time_zone: str = "UTC", locale: str = ""
) -> UserSettings:
    """Give an account what it needs to work: its settings row and a digest schedule (from
    reminders' receiver of ``user_settings_changed``). Idempotent; every new account gets its
    settings row this way (accounts.apps, on the user's post_save)."""
    user_settings, created = UserSettings.objects.get_or_create(
        user=user, defaults={"time_zone": time_zone, "locale": locale}
    )
    if not created and user_settings.time_zone != time_zone and time_zone != "UTC":
        user_settings.time_zone = time_zone
        user_settings.save(update_fields=["time_zone"])
    user_settings_changed.send(sender=UserSettings, user_settings=user_settings, now=now)
    user.settings = user_settings  # so user.settings is this row, not an older copy
    return user_settings


@transaction.atomic
def user_settings_update(*, user_settings: UserSettings, now: dt.datetime) -> UserSettings:
    """Save settings edited by a form; the next digest moves to the new hour/zone (reminders'
    receiver of ``user_settings_changed``)."""
    user_settings.save()
    user_settings_changed.send(sender=UserSettings, user_settings=user_settings, now=now)
    return user_settings


def user_locale_guess(*, user: User, accept_language: str | None) -> None:
    """A user who never chose a date format (an account from before the setting, or made by an
    admin) gets their browser's when they sign in, kept from then on (network_crm.dates)."""
    UserSettings.objects.filter(user=user, locale="").update(
        locale=dates.locale_from_accept_language(accept_language)
    )


def calendar_token_regenerate(*, user_settings: UserSettings) -> UserSettings:
    """A new secret address for the calendar feed; the old one stops working at once."""
    user_settings.calendar_token = secrets.token_urlsafe(32)
    user_settings.save(update_fields=["calendar_token"])
    return user_settings


def invitation_send(*, owner: User, email: str) -> Invitation:
    """Create an invitation and email its sign-up link."""
    invitation = Invitation.objects.create(owner=owner, email=email.lower())
    link = settings.SITE_URL + reverse("signup") + f"?invite={invitation.token}"
    context = {"owner": owner, "link": link}
    send_mail(
        subject=f"{owner} invites you to network-crm",
        message=render_to_string("accounts/email/invitation_body.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and every row it owns (each owned model cascades from its owner, and
    so do its two-factor devices and recovery codes), photo files included once the deletion is
    committed (contacts' receiver of ``user_deleting``)."""
    user_deleting.send(sender=User, user=user)
    user.delete()


# --- Two-factor sign-in ----------------------------------------------------------------------
# An authenticator app (django-otp's TOTPDevice, confirmed once the user typed a code from it)
# plus one-time recovery codes (a StaticDevice holding StaticTokens). 2FA is on exactly when a
# confirmed TOTPDevice exists; turning it off deletes both.

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or how long to wait when
    too many wrong codes came in a row (django-otp's throttle: 1, 2, 4, 8… seconds)."""

    device: Device | None = None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalize_code(code: str) -> str:
    """Codes as people type them: spaces and dashes are ignored, recovery codes are lower case."""
    return re.sub(r"[\s-]+", "", code).lower()


def two_factor_enabled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _check(device: Device | None, code: str) -> CodeCheck:
    """Verify ``code`` on ``device`` (locked with select_for_update by the caller's query), so
    two requests can't both use the same recovery code or the same TOTP time step."""
    if device is None:
        return CodeCheck()
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(wait_seconds=max(1, math.ceil(wait)))
    # verify_token counts a failure on the device (the throttle) and, for TOTP, refuses a code
    # from a time step already used, so a code seen over someone's shoulder can't be replayed.
    return CodeCheck(device=device) if device.verify_token(code) else CodeCheck()


@transaction.atomic
def two_factor_check(*, user: User, code: str, recovery: bool = True) -> CodeCheck:
    """Check a code given at sign-in: six digits go to the authenticator app; anything else is
    tried as a recovery code (when ``recovery``), which is used up when it works."""
    code = normalize_code(code)
    if TOTP_CODE.fullmatch(code):
        queryset = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif recovery:
        queryset = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        return CodeCheck()
    return _check(queryset.select_for_update().first(), code)


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """Begin turning on two-factor sign-in: a new secret for the authenticator app, not used at
    sign-in until two_factor_confirm. Starting again replaces an unfinished setup's secret."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> tuple[CodeCheck, list[str]]:
    """Finish turning on two-factor sign-in with a current code from the app: on success the
    device is confirmed and fresh recovery codes are returned (to show once). A wrong code
    leaves it off."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).last()
    check = _check(device, normalize_code(code))
    if not check.ok:
        return check, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return check, recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones (8 random base32
    characters, 40 bits each); the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Turn two-factor sign-in off: the app's secret and every recovery code are deleted."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_throttle_reset(*, user: User) -> None:
    """Clear the wait that wrong codes built up (django-otp doubles it after each one, without a
    cap). Called when the password changes: someone who knew the old password and kept typing
    wrong codes can't keep the real user waiting for days."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )


# --- Limits on guessing passwords and on reset emails ----------------------------------------
# django-axes locks one (account, address) pair after LOGIN_FAILURE_LIMIT failures. On top of
# that, failures are counted per account over all addresses (someone guessing from many
# machines) and per address over all accounts (someone trying many accounts); see settings.py.

ACCOUNT_FAILURE_WINDOW = dt.timedelta(days=1)
ACCOUNT_FIRST_WAIT = dt.timedelta(minutes=1)
RESET_EMAIL_WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class LoginRefusal:
    """Why a sign-in is refused before the password is even checked, and until when."""

    PAIR = "pair"  # this account from this address (django-axes)
    ACCOUNT = "account"  # this account from anywhere: a short, growing wait
    ADDRESS = "address"  # this address, whichever account

    reason: str
    until: dt.datetime | None = None

    def wait_minutes(self, *, now: dt.datetime) -> int:
        if self.until is None:
            return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
        return max(1, math.ceil((self.until - now).total_seconds() / 60))


def login_refusal(*, username: str | None, ip_address: str | None, now: dt.datetime):
    """The refusal that applies to signing in as ``username`` from ``ip_address`` now, if any.

    Per address: LOGIN_ADDRESS_FAILURE_LIMIT failures within the lockout time lock the address
    until the oldest of them is that old. Per account: from the LOGIN_ACCOUNT_FAILURE_LIMIT-th
    failure within a day on, each try waits 1, 2, 4... minutes after the last failure (at most
    the lockout time): slow for someone guessing, a minute for the owner; a password reset
    clears it. Works the same whether or not an account uses ``username``."""
    cool_off = settings.AXES_COOLOFF_TIME
    if ip_address:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        nth_latest = list(
            LoginFailure.objects.filter(ip_address=ip_address, failed_at__gt=now - cool_off)
            .order_by("-failed_at")
            .values_list("failed_at", flat=True)[limit - 1 : limit]
        )
        if nth_latest:
            return LoginRefusal(LoginRefusal.ADDRESS, until=nth_latest[0] + cool_off)
    failures = LoginFailure.objects.filter(
        username=normalize_email_key(username), failed_at__gt=now - ACCOUNT_FAILURE_WINDOW
    ).aggregate(count=Count("pk"), last=Max("failed_at"))
    beyond = failures["count"] - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if beyond >= 0:
        wait = min(ACCOUNT_FIRST_WAIT * 2 ** min(beyond, 20), cool_off)
        if failures["last"] + wait > now:
            return LoginRefusal(LoginRefusal.ACCOUNT, until=failures["last"] + wait)
    return None


def login_failure_record(*, username: str | None, ip_address: str | None, now: dt.datetime):
    """Count a wrong password or code towards the limits per account and per address."""
    keep = max(ACCOUNT_FAILURE_WINDOW, settings.AXES_COOLOFF_TIME)
    LoginFailure.objects.filter(failed_at__lte=now - keep).delete()
    LoginFailure.objects.create(
        username=normalize_email_key(username)[:254], ip_address=ip_address, failed_at=now
    )


def login_throttle_clear(*, user: User) -> None:
    """A new password ends every wait on this account: the one built up over all addresses and
    django-axes' lockouts of it from single addresses."""
    key = normalize_email_key(user.email)
    LoginFailure.objects.filter(username=key).delete()
    axes_reset(username=key)


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None, now: dt.datetime) -> bool:
    """Note a request for a reset email to ``email``; False when it is over a limit (then none is
    sent). No account is looked up here: the worker does that, so the request costs the same
    whether or not an account uses the address."""
    key = normalize_email_key(email)
    since = now - RESET_EMAIL_WINDOW
    PasswordResetRequest.objects.filter(requested_at__lte=since).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gt=since)
    if recent.filter(email=key).count() >= settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT:
        return False
    if ip_address and (
        recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
    ):
        return False
    PasswordResetRequest.objects.create(email=key, ip_address=ip_address, requested_at=now)
    return True


def password_reset_send(*, email: str) -> int:
    """Email a link to choose a new password to each active account using ``email`` (in any
    case); none when no account does. Returns how many were sent."""
    sent = 0
    for user in PasswordResetForm().get_users(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse(
            "password_reset_confirm", kwargs={"uidb64": uid, "token": token}
        )
        context = {"email": user.email, "link": link}
        subject = render_to_string("registration/password_reset_subject.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=render_to_string("registration/password_reset_email.html", context),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


# --- App passwords (DAV sync) ----------------------------------------------------------------
# One per device, shown once, kept as a SHA-256 of a random secret (AppPassword's docstring says
# why not a slow hash). Guessing is limited like signing in (login_refusal above): the same
# limits per account and per address, counted in LoginFailure under "dav:<email>" so a phone
# with a mistyped password slows down DAV only, never the owner's sign-in to the web app.

APP_PASSWORD_PREFIX_CHARS = 8
APP_PASSWORD_NAME_CHARS = 80
# A phone sends the password with every request of a sync (dozens): the last use is written at
# most once a minute, which is as precise as "last used" needs to be.
APP_PASSWORD_LAST_USED_STEP = dt.timedelta(minutes=1)
DAV_FAILURE_KEY = "dav:"


def _app_password_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def app_password_create(*, owner: User, name: str) -> tuple[AppPassword, str]:
    """A new app password and its clear text, which is shown once and never stored."""
    prefix = secrets.token_hex(APP_PASSWORD_PREFIX_CHARS // 2)
    secret = f"{prefix}-{secrets.token_urlsafe(24)}"
    app_password = AppPassword.objects.create(
        owner=owner,
        name=name.strip()[:APP_PASSWORD_NAME_CHARS] or "Device",
        prefix=prefix,
        secret_hash=_app_password_hash(secret),
    )
    return app_password, secret


def app_password_matches(*, app_password: AppPassword, password: str) -> bool:
    """Whether ``password`` is this app password's secret (revoked or not)."""
    return hmac.compare_digest(app_password.secret_hash, _app_password_hash(password))


def _app_password_key(email: str) -> str:
    return DAV_FAILURE_KEY + normalize_email_key(email)


def app_password_refusal(
    *, email: str, ip_address: str | None, now: dt.datetime
) -> LoginRefusal | None:
    """The refusal that applies to a DAV sign-in as ``email`` from ``ip_address`` now, if any:
    login_refusal's limits per address and per account, over DAV's own failures per account."""
    return login_refusal(username=_app_password_key(email), ip_address=ip_address, now=now)


def app_password_authenticate(
    *, email: str, password: str, ip_address: str | None, now: dt.datetime
) -> AppPassword | None:
    """The live app password of the account ``email`` that ``password`` is, else None.

    Refused without checking anything while a limit applies (app_password_refusal). A wrong
    password counts as a failure; a revoked app password given exactly does not (that is an
    old phone still trying, not someone guessing), and neither works. The account's own
    password never matches: it is not an app password."""
    if app_password_refusal(email=email, ip_address=ip_address, now=now) is not None:
        return None
    prefix = password.split("-", 1)[0]
    app_password = (
        AppPassword.objects.filter(
            prefix=prefix, owner__is_active=True, owner__email=normalize_email_key(email)
        )
        .select_related("owner")
        .first()
        if prefix
        else None
    )
    if app_password is None or not app_password_matches(
        app_password=app_password, password=password
    ):
        login_failure_record(username=_app_password_key(email), ip_address=ip_address, now=now)
        return None
    if app_password.revoked_at is not None:
        return None
    step = now - APP_PASSWORD_LAST_USED_STEP
    if app_password.last_used_at is None or app_password.last_used_at <= step:
        AppPassword.objects.filter(pk=app_password.pk).update(last_used_at=now)
        app_password.last_used_at = now
    return app_password


def app_password_revoke(*, app_password: AppPassword, now: dt.datetime) -> AppPassword:
    """The app password stops working at once; its row stays (the device list shows when)."""
    if app_password.revoked_at is None:
        app_password.revoked_at = now
        app_password.save(update_fields=["revoked_at"])
    return app_password


def app_passwords_live(*, owner: User):
    """The owner's app passwords that still work, newest first."""
    return AppPassword.objects.for_owner(owner).filter(revoked_at__isnull=True)
