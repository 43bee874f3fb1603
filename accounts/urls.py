from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import ChangePasswordForm, NewPasswordForm

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        # Never logs in: signing in after a reset still goes through the two-factor step.
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=False, form_class=NewPasswordForm
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/", views.settings_page, name="settings"),
    path("settings/invite/", views.invite, name="invite"),
    path("settings/delete-account/", views.account_delete, name="account_delete"),
    path("settings/two-factor/start/", views.two_factor_start, name="two_factor_start"),
    path("settings/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "settings/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "settings/two-factor/recovery-codes/new/",
        views.two_factor_regenerate,
        name="two_factor_regenerate",
    ),
    path("settings/two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
]
