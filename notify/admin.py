"""Channels, devices and deliveries in the admin: read-only views of the owner's rows.

Channels and devices are added and changed on the settings page (the URL check, encryption and
subscription happen there); here the owner sees them and their history. A channel's URL is never
shown, not even encrypted: only its hint (docs/architecture.md "Notifications")."""

from django.contrib import admin

from network_crm.admin import OwnedAdmin
from notify.models import Channel, Delivery, PushSubscription


class _ReadOnlyOwnedAdmin(OwnedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or obj.owner_id == request.user.pk)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or obj.owner_id == request.user.pk)


@admin.register(Channel)
class ChannelAdmin(_ReadOnlyOwnedAdmin):
    list_display = ["name", "scheme", "url_hint", "enabled", "last_success_at", "last_error"]
    list_filter = ["enabled", "scheme"]
    search_fields = ["name"]
    # url_encrypted is left out of fields and exclude: it never reaches a page.
    fields = [
        "name",
        "scheme",
        "url_hint",
        "enabled",
        "created_at",
        "last_attempt_at",
        "last_success_at",
        "last_error",
    ]
    readonly_fields = fields


@admin.register(PushSubscription)
class PushSubscriptionAdmin(_ReadOnlyOwnedAdmin):
    list_display = ["__str__", "created_at", "last_success_at", "last_error"]
    # The endpoint and keys are the device's secrets towards its push service: not shown.
    fields = ["label", "created_at", "last_success_at", "last_error"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnlyOwnedAdmin):
    list_display = ["created_at", "kind", "target", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "kind"]
    list_select_related = ["channel", "subscription"]
    search_fields = ["title"]
    fields = [
        "kind",
        "digest",
        "target",
        "title",
        "body",
        "url",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description="to")
    def target(self, obj: Delivery) -> str:
        return str(obj.channel or obj.subscription or "a removed device")
