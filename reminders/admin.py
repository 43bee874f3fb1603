from django.contrib import admin

from network_crm.admin import OwnedAdmin
from reminders.models import Digest, Reminder


@admin.register(Reminder)
class ReminderAdmin(OwnedAdmin):
    list_display = ["contact", "kind", "due_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["contact__name", "note"]
    autocomplete_fields = ["contact"]
    actions = ["dismiss"]

    @admin.action(description="Dismiss the selected reminders")
    def dismiss(self, request, queryset):
        count = queryset.filter(state__in=Reminder.LIVE_STATES).update(state="dismissed")
        self.message_user(request, f"Dismissed {count} reminder(s).")


@admin.register(Digest)
class DigestAdmin(OwnedAdmin):
    list_display = ["local_date", "state", "item_count", "sent_at", "attempts"]
    list_filter = ["state"]
    readonly_fields = [
        "local_date",
        "state",
        "created_at",
        "claimed_at",
        "sent_at",
        "attempts",
        "item_count",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False
