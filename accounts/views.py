from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import (
    EmailAuthenticationForm,
    EmailChangeForm,
    InvitationForm,
    SignupForm,
    UserSettingsForm,
)
from accounts.models import Invitation, User, time_zone_names
from contacts.forms import MyInterestsForm
from contacts.models import Interest
from contacts.services import interests_set_mine
from network_crm.clock import now


def _invitation_from(request: HttpRequest) -> Invitation | None:
    token = request.GET.get("invite") or request.POST.get("invite")
    if not token:
        return None
    return Invitation.objects.filter(token=token, accepted_at=None).first()


class LoginView(auth_views.LoginView):
    """Log in by email; on a brand-new instance (nobody signed up yet) go straight to sign-up."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if not User.objects.exists():
            return redirect("signup")
        return super().get(request, *args, **kwargs)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    invitation = _invitation_from(request)
    if not services.signup_is_open(invitation=invitation):
        return render(request, "accounts/signup_closed.html", status=403)
    initial = {"email": invitation.email} if invitation else {}
    form = SignupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
            time_zone=form.cleaned_data["time_zone"],
            now=now(),
            invitation=invitation,
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Add the first person you want to keep in touch with.")
        return redirect("dashboard")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "invitation": invitation, "time_zones": time_zone_names()},
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user_settings = request.user.settings
    settings_form = UserSettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        instance=user_settings,
        prefix="settings",
    )
    profile_form = EmailChangeForm(
        request.POST if request.POST.get("form") == "profile" else None,
        instance=request.user,
        prefix="profile",
    )
    mine = Interest.objects.for_owner(request.user).filter(mine=True).order_by("folded_name")
    interests_form = MyInterestsForm(
        request.POST if request.POST.get("form") == "interests" else None,
        initial={"interests": ", ".join(interest.name for interest in mine)},
        prefix="mine",
    )
    if request.method == "POST":
        if interests_form.is_bound and interests_form.is_valid():
            interests_set_mine(owner=request.user, names=interests_form.names())
            messages.success(request, "Your interests are saved.")
            return redirect("settings")
        if settings_form.is_bound and settings_form.is_valid():
            services.user_settings_update(user_settings=settings_form.save(commit=False), now=now())
            messages.success(request, "Settings saved.")
            return redirect("settings")
        if profile_form.is_bound and profile_form.is_valid():
            profile_form.save()
            messages.success(request, "Your name and email address are saved.")
            return redirect("settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "settings_form": settings_form,
            "profile_form": profile_form,
            "invitation_form": InvitationForm(),
            "interests_form": interests_form,
            "calendar_url": settings.SITE_URL
            + reverse("reminders:calendar", args=[user_settings.calendar_token]),
            "time_zones": time_zone_names(),
            "invitations": Invitation.objects.filter(owner=request.user).order_by("-created_at")[
                :20
            ],
        },
    )


@require_POST
@login_required
@user_passes_test(lambda user: user.is_superuser)
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_send(owner=request.user, email=form.cleaned_data["email"])
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Please give a valid email address to invite.")
    return redirect("settings")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my account and everything in it, after typing the password."""
    error = ""
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            services.user_delete(user=request.user)
            logout(request)
            return render(request, "accounts/account_deleted.html")
        error = "That password isn't right; nothing was deleted."
    return render(request, "accounts/account_delete.html", {"error": error})
