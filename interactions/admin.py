from django.contrib import admin

from interactions.models import Interaction
from network_crm.admin import OwnedAdmin


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
