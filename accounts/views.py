from __future__ import annotations

from base64 import b32encode

import segno
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, user_passes_test
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors, services, tasks
from accounts.backends import client_address, sign_in_refusal
from accounts.forms import (
    DateFormatForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    InvitationForm,
    SignupForm,
    TwoFactorCodeForm,
    TwoFactorConfirmForm,
    TwoFactorSetupForm,
    UserSettingsForm,
)
from accounts.models import Invitation, User, time_zone_names
from network_crm import dates
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.sections import sections_for


def _invitation_from(request: HttpRequest) -> Invitation | None:
    token = request.GET.get("invite") or request.POST.get("invite")
    if not token:
        return None
    return Invitation.objects.filter(token=token, accepted_at=None).first()


# Two-factor sign-in, second step. After the right password, an account with two-factor
# sign-in is *not* logged in: the session only notes who is half-way (PENDING_SIGN_IN), and
# login() runs once a code checks out. So no page, fragment, feed or admin view can treat a
# half-signed-in visitor as the user, whatever it checks. accounts.apps also refuses any other
# login() of such an account (e.g. a future view that forgets this step).
PENDING_SIGN_IN = "two_factor_pending"
PENDING_SIGN_IN_SECONDS = 5 * 60
NEW_RECOVERY_CODES = "two_factor_new_codes"


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class LoginView(auth_views.LoginView):
    """Log in by email; on a brand-new instance (nobody signed up yet) go straight to sign-up.
    Accounts with two-factor sign-in go on to the code step instead of being logged in."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if not User.objects.exists():
            return redirect("signup")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not services.two_factor_enabled(user=user):
            return super().form_valid(form)
        session = self.request.session
        session.cycle_key()
        session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": user.backend,
            "hash": user.get_session_auth_hash(),
            "since": now().timestamp(),
            "next": self.get_success_url(),  # already checked against ALLOWED_HOSTS
        }
        return redirect("login_code")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The page for a refused sign-in (django-axes' AXES_LOCKOUT_CALLABLE): which limit applies
    and how long to wait, or how to get in now."""
    refusal = getattr(request, "login_refusal", None) or services.LoginRefusal(
        services.LoginRefusal.PAIR
    )
    return render(
        request,
        "registration/locked_out.html",
        {"reason": refusal.reason, "minutes": refusal.wait_minutes(now=now())},
        status=429,
    )


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer, in the same time: the address goes to the worker, which looks for
    the account and sends the email, so neither the page nor how long it takes says whether an
    account uses the address. Over a limit, nothing is sent and the page says the same."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if services.password_reset_request(
            email=email, ip_address=client_address(self.request), now=now()
        ):
            tasks.enqueue_password_reset(email)
        return HttpResponseRedirect(self.get_success_url())


def _pending_sign_in(request: HttpRequest) -> tuple[User | None, dict]:
    """Who passed the password step in this session, if it was recently and their password
    has not changed since (a reset in between voids it, as it voids sessions)."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None, {}
    user = None
    if now().timestamp() - pending.get("since", 0) <= PENDING_SIGN_IN_SECONDS:
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), pending.get("hash", "")
    ):
        del request.session[PENDING_SIGN_IN]
        return None, pending
    return user, pending


def _axes_credentials(user: User) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


def _wait_message(check: services.CodeCheck) -> str:
    seconds = check.wait_seconds
    return (
        f"Too many wrong codes in a row. Wait {seconds} second{pluralize(seconds)}, then try again."
    )


def _code_refused(request: HttpRequest, user: User, check: services.CodeCheck) -> str:
    """What to say about a refused code. A wrong one also counts as a failed login for
    django-axes, so wrong codes and wrong passwords share one lockout per account and address."""
    if check.wait_seconds:
        return _wait_message(check)
    user_login_failed.send(sender=__name__, credentials=_axes_credentials(user), request=request)
    return "That code isn't right. Type the code your app shows now, or a recovery code."


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("code")
@never_cache
def login_code(request: HtmxHttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the authenticator app or a recovery code."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user, pending = _pending_sign_in(request)
    if user is None:
        if pending:
            messages.info(request, "That took a while, so please log in again.")
        return redirect("login")
    if refusal := sign_in_refusal(request, user.get_username()):
        request.login_refusal = refusal
        return get_lockout_response(request, None, _axes_credentials(user))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.two_factor_check(user=user, code=form.cleaned_data["code"])
        if check.ok:
            return _sign_in(request, user, pending, check)
        form.add_error("code", _code_refused(request, user, check))
    return render(request, "registration/login_code.html", {"form": form, "pending_user": user})


def _sign_in(
    request: HtmxHttpRequest, user: User, pending: dict, check: services.CodeCheck
) -> HttpResponse:
    """The code checked out: now, and only now, the session is the user's."""
    del request.session[PENDING_SIGN_IN]
    user.otp_device = check.device  # django_otp notes it in the session at login
    login(request, user, backend=pending["backend"])
    if isinstance(check.device, StaticDevice):
        left = services.recovery_codes_left(user=user)
        messages.warning(
            request,
            f"You used a recovery code; {left} left. You can make new ones in Settings.",
        )
    return redirect(pending["next"])


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    invitation = _invitation_from(request)
    if not services.signup_is_open(invitation=invitation):
        return render(request, "accounts/signup_closed.html", status=403)
    initial = {"email": invitation.email} if invitation else {}
    form = SignupForm(request.POST or None, initial=initial, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                **form.signup_fields(),
                now=now(),
                invitation=invitation,
                locale=dates.current().code,
            )
        except services.InvitationUsed:
            context = {"invitation_used": True}
            return render(request, "accounts/signup_closed.html", context, status=403)
        except services.EmailTaken:
            form.add_error("email", "An account with this email already exists. Log in instead?")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, "Welcome! Add the first person you want to keep in touch with."
            )
            return redirect("dashboard")
    context = {"form": form, "invitation": invitation, "time_zones": time_zone_names()}
    return render(request, "accounts/signup.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request: HtmxHttpRequest) -> HttpResponse:
    sent = request.POST.get("form")
    settings_form = UserSettingsForm(
        request.POST if sent == "settings" else None,
        instance=request.user.settings,
        prefix="settings",
    )
    dates_form = DateFormatForm(
        request.POST if sent == "dates" else None, instance=request.user.settings, prefix="dates"
    )
    profile_form = EmailChangeForm(
        request.POST if sent == "profile" else None, instance=request.user, prefix="profile"
    )
    for form in (settings_form, dates_form):
        if form.is_bound and form.is_valid():
            services.user_settings_update(user_settings=form.save(commit=False), now=now())
            messages.success(request, "Settings saved.")
            return redirect("settings")
    if profile_form.is_bound and profile_form.is_valid():
        profile_form.save()
        messages.success(request, "Your name and email address are saved.")
        return redirect("settings")
    context = {
        "settings_form": settings_form,
        "dates_form": dates_form,
        "profile_form": profile_form,
        "invitation_form": InvitationForm(),
        # The calendar feed (reminders) and a link to your interests (contacts).
        "sections": sections_for("settings", request=request),
        **selectors.settings_page_details(user=request.user),
    }
    return render(request, "accounts/settings.html", context)


@require_POST
@login_required
@user_passes_test(lambda user: user.is_superuser)
def invite(request: HtmxHttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_send(owner=request.user, email=form.cleaned_data["email"])
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Please give a valid email address to invite.")
    return redirect("settings")


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HtmxHttpRequest) -> HttpResponse:
    """Delete my account and everything in it, after typing the password."""
    error = ""
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            services.user_delete(user=request.user)
            logout(request)
            return render(request, "accounts/account_deleted.html")
        error = "That password isn't right; nothing was deleted."
    return render(request, "accounts/account_delete.html", {"error": error})


# --- Two-factor sign-in settings -----------------------------------------------------------


def _password_ok(request: HttpRequest, password: str) -> bool:
    # authenticate(), not check_password(): wrong passwords here count towards the same
    # django-axes lockout as at the login page, so a borrowed session can't guess them freely.
    user = authenticate(request, username=request.user.get_username(), password=password)
    return user is not None and user.pk == request.user.pk


QR_LABEL = "QR code for your authenticator app"


def _qr_code_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG QR code, made here (no image request, fits the CSP)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff"
    )
    # Four pixels a module (attributes, not styles, for the CSP): sharp and easy to scan; the
    # viewBox lets CSS shrink it on a narrow screen.
    width, height = qr.symbol_size(scale=4)
    attributes = f'width="{width}" height="{height}" role="img" aria-label="{QR_LABEL}"'
    return mark_safe(svg.replace("<svg ", f"<svg {attributes} ", 1))


@require_POST
@login_required
def two_factor_start(request: HtmxHttpRequest) -> HttpResponse:
    if services.two_factor_enabled(user=request.user):
        return redirect("settings")
    services.two_factor_start(user=request.user)
    return redirect("two_factor_setup")


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password", "code")
@never_cache
@login_required
def two_factor_setup(request: HtmxHttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then confirm with the password and a code."""
    device = None
    if not services.two_factor_enabled(user=request.user):
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).last()
    if device is None:
        return redirect("settings")
    form = TwoFactorSetupForm(request.POST or None)
    posted = request.method == "POST" and form.is_valid()
    if posted and (codes := _two_factor_setup_confirm(request, form)):
        request.session[NEW_RECOVERY_CODES] = codes
        messages.success(request, "Two-factor sign-in is on.")
        return redirect("two_factor_recovery_codes")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": _qr_code_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _two_factor_setup_confirm(request: HtmxHttpRequest, form: TwoFactorSetupForm) -> list[str]:
    """Check the password, then the app's code: the new recovery codes when both are right;
    otherwise none, and the form says what was wrong."""
    if not _password_ok(request, form.cleaned_data["password"]):
        form.add_error("password", "That password isn't right.")
        return []
    check, codes = services.two_factor_confirm(user=request.user, code=form.cleaned_data["code"])
    if check.ok:
        otp_login(request, check.device)  # this session has just shown a code
        return codes
    if check.wait_seconds:
        form.add_error("code", _wait_message(check))
    else:
        # Not counted towards the login lockout: this person is signed in already and is
        # getting a new app to work (the password above is counted).
        form.add_error(
            "code",
            "That code isn't right. Check that the app shows network-crm and type "
            "the code it shows now.",
        )
    return []


@require_safe
@never_cache
@login_required
def two_factor_recovery_codes(request: HtmxHttpRequest) -> HttpResponse:
    """New recovery codes, shown once: they are kept in the session only until this page."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        messages.info(
            request, "Recovery codes are shown only once. Make new ones if you lost them."
        )
        return redirect("settings")
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": [f"{code[:4]}-{code[4:]}" for code in codes]},
    )


def _two_factor_confirm_page(request: HtmxHttpRequest, *, action: str) -> HttpResponse:
    """Regenerate recovery codes or turn two-factor sign-in off, after the password or a code."""
    if not services.two_factor_enabled(user=request.user):
        return redirect("settings")
    form = TwoFactorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        if services.TOTP_CODE.fullmatch(services.normalize_code(secret)):
            # Passwords are at least 8 characters, so six digits can only be a code.
            check = services.two_factor_check(user=request.user, code=secret, recovery=False)
            error = "" if check.ok else _code_refused(request, request.user, check)
        else:
            error = "" if _password_ok(request, secret) else "That password isn't right."
        if not error and action == "regenerate":
            request.session[NEW_RECOVERY_CODES] = services.recovery_codes_regenerate(
                user=request.user
            )
            messages.success(request, "New recovery codes are ready; the old ones no longer work.")
            return redirect("two_factor_recovery_codes")
        if not error:
            services.two_factor_disable(user=request.user)
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("settings")
        form.add_error("secret", error)
    return render(request, "accounts/two_factor_confirm.html", {"form": form, "action": action})


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("secret")
@never_cache
@login_required
def two_factor_regenerate(request: HtmxHttpRequest) -> HttpResponse:
    return _two_factor_confirm_page(request, action="regenerate")


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("secret")
@never_cache
@login_required
def two_factor_disable(request: HtmxHttpRequest) -> HttpResponse:
    return _two_factor_confirm_page(request, action="disable")
