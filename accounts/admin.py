import django_otp.plugins.otp_static.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401 (both register what is unregistered below)
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Invitation, User, UserSettings
from accounts.signals import user_created
from network_crm.admin import OwnedAdmin

# Secrets (the calendar feed's token, authenticator keys, recovery codes) are never shown in the
# admin, to anyone: a superuser may only turn them off or replace them (the actions below).
# django-otp's own admin pages would show everyone's authenticator secrets and recovery codes;
# two-factor sign-in is managed by each person in Settings.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class SuperuserOnlyMixin:
    """User accounts are managed by superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserSettingsInline(admin.StackedInline):
    model = UserSettings
    can_delete = False
    exclude = ["calendar_token"]  # the feed needs nothing else: it is as good as a password
    readonly_fields = ["next_digest_at"]


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "name", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    inlines = [UserSettingsInline]
    actions = ["turn_off_two_factor", "new_calendar_address"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        )
    ]

    def get_inlines(self, request, obj):
        # A new account's settings row is made when it is saved (accounts.apps): the form to edit
        # it appears once the account exists, instead of a second row clashing with that one.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # an account added here starts with the usual circles, like a sign-up
            user_created.send(sender=User, user=obj)

    @admin.action(description="Turn off two-factor sign-in (for someone who lost their phone)")
    def turn_off_two_factor(self, request, queryset):
        for user in queryset:
            services.two_factor_disable(user=user)
        self.message_user(
            request,
            f"Two-factor sign-in is off for {len(queryset)} account(s); they sign in with "
            "their password and can turn it on again in Settings.",
            messages.SUCCESS,
        )

    @admin.action(description="Make a new calendar address (the old one stops working)")
    def new_calendar_address(self, request, queryset):
        for user_settings in UserSettings.objects.filter(user__in=queryset):
            services.calendar_token_regenerate(user_settings=user_settings)
        self.message_user(
            request,
            f"New calendar address for {len(queryset)} account(s); the old one no longer "
            "works. Each person finds the new one in Settings.",
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(OwnedAdmin):
    """The instance owner's invitations, to look over and revoke (delete). They are made in
    Settings, which emails the link: the token is never shown here, and nobody else may make
    one (an invitation is a way past closed sign-up)."""

    list_display = ["email", "created_at", "accepted_at"]
    fields = ["email", "created_at", "accepted_at"]
    readonly_fields = ["email", "created_at", "accepted_at"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_view_permission(request, obj)

    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
