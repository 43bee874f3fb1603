from django.contrib import admin, messages

from contacts import services
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from network_crm.admin import OwnedAdmin, OwnedTabularInline


@admin.register(Circle)
class CircleAdmin(OwnedAdmin):
    list_display = ["name", "cadence_days"]
    list_editable = ["cadence_days"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        obj.owner_id = obj.owner_id or request.user.pk
        services.circle_save(circle=obj)


@admin.register(Interest)
class InterestAdmin(OwnedAdmin):
    list_display = ["name"]
    search_fields = ["name", "folded_name"]


class ContactMethodInline(OwnedTabularInline):
    model = ContactMethod
    fields = ["kind", "label", "value"]


class ImportantDateInline(OwnedTabularInline):
    model = ImportantDate
    fields = ["kind", "label", "day", "month", "year"]


@admin.register(Contact)
class ContactAdmin(OwnedAdmin):
    inlines = [ContactMethodInline, ImportantDateInline]
    list_display = [
        "name",
        "circle",
        "cadence_days",
        "last_interaction_on",
        "next_reach_out_on",
        "paused",
    ]
    list_filter = ["circle", "paused", "archived", "interests"]
    search_fields = ["search_text"]
    autocomplete_fields = ["interests"]
    readonly_fields = [
        "added_on",
        "last_interaction_on",
        "next_reach_out_on",
        "cadence_restarted_on",
    ]
    actions = ["pause", "unpause", "archive"]

    def get_search_results(self, request, queryset, search_term):
        from network_crm.text import fold

        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        from network_crm.clock import local_today

        obj.owner_id = obj.owner_id or request.user.pk
        services.contact_save(contact=obj, today=local_today(request.user))

    def _set(self, request, queryset, label: str, **flags):
        count = services.contacts_set_flags(
            owner=request.user, contact_ids=queryset.values_list("pk", flat=True), **flags
        )
        self.message_user(request, f"{label} {count} contact(s).", messages.SUCCESS)

    @admin.action(description="Pause reminders for the selected contacts")
    def pause(self, request, queryset):
        self._set(request, queryset, "Paused", paused=True)

    @admin.action(description="Resume reminders for the selected contacts")
    def unpause(self, request, queryset):
        self._set(request, queryset, "Resumed", paused=False)

    @admin.action(description="Archive the selected contacts")
    def archive(self, request, queryset):
        self._set(request, queryset, "Archived", archived=True)
