from django.contrib import admin

from interactions.models import Interaction
from interactions.services import interaction_delete
from network_crm.admin import OwnedAdmin
from network_crm.clock import local_today


@admin.register(Interaction)
class InteractionAdmin(OwnedAdmin):
    list_display = ["occurred_at", "kind", "place"]
    list_filter = ["kind", "occurred_on"]
    search_fields = ["notes", "place"]
    date_hierarchy = "occurred_at"
    # Editing participants or dates here would bypass the due-date recompute: read-only for now.
    readonly_fields = ["kind", "occurred_at", "occurred_on", "contacts"]

    def has_add_permission(self, request):
        return False

    # Deleting goes through the service, like the app's own delete button: the people's due
    # dates fall back on what remains and the dashboard's per-day counts follow.
    def delete_model(self, request, obj):
        interaction_delete(interaction=obj, today=local_today(request.user))

    def delete_queryset(self, request, queryset):
        today = local_today(request.user)
        for interaction in queryset:
            interaction_delete(interaction=interaction, today=today)
