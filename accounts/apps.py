from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save


def _prepare_new_account(sender, instance, created, raw=False, **kwargs):
    """Every account has its settings row, including those made outside sign-up
    (createsuperuser, the admin), whose pages would otherwise fail."""
    if created and not raw:
        from accounts.services import user_prepare
        from network_crm.clock import now

        user_prepare(user=instance, now=now())


def _refuse_login_without_code(sender, request, user, **kwargs):
    """An account with two-factor sign-in is logged in only by the code step, which hands the
    verified device over as ``user.otp_device``. Any other login() of it (the admin's own login
    form, a password reset that logs in, a view added later) is undone and refused, so no path
    can sign in on a password alone."""
    if getattr(user, "otp_device", None) is not None or request is None:
        return
    from django.contrib.auth import logout
    from django.core.exceptions import PermissionDenied

    from accounts.services import two_factor_enabled

    if two_factor_enabled(user=user):
        logout(request)
        raise PermissionDenied("This account signs in with a code: use the login page.")


def _guess_date_format(sender, request, user, **kwargs):
    """A user who never chose a date format gets their browser's on signing in."""
    if request is None:
        return
    from accounts.services import user_locale_guess

    user_locale_guess(user=user, accept_language=request.headers.get("Accept-Language"))


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        post_save.connect(
            _prepare_new_account, sender="accounts.User", dispatch_uid="prepare-account"
        )
        user_logged_in.connect(_refuse_login_without_code, dispatch_uid="two-factor-guard")
        user_logged_in.connect(_guess_date_format, dispatch_uid="guess-date-format")
        from accounts.backends import count_login_failure

        user_login_failed.connect(count_login_failure, dispatch_uid="count-login-failure")
