from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.options import ActionLocation

from contacts.admin import shown_date
from interactions.models import Interaction
from interactions.services import (
    interaction_delete,
    interactions_delete,
    interactions_rekind,
    interactions_rekind_undo,
    interactions_restore,
)
from network_crm.admin import ActionDone, ActionForm, OwnedAdmin, confirmed_action
from network_crm.admin_undo import UndoableAdmin
from network_crm.clock import local_today

# Above this many, a bulk delete is not kept for Undo (the copy lives in the session).
MAX_UNDOABLE_DELETE = 2000


def interactions_word(count: int) -> str:
    return "interaction" if count == 1 else "interactions"


class RekindForm(ActionForm):
    kind = forms.ChoiceField(
        label="New kind",
        choices=Interaction.Kind.choices,
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
    )


@confirmed_action(
    description="Change the kind…",
    title="Change the kind",
    button="Change {who}",
    explanation="Only the kind changes: dates, people and notes stay as they are.",
    form_class=RekindForm,
    noun=interactions_word,
)
def rekind(modeladmin, request, queryset, form):
    kind = form.cleaned_data["kind"]
    previous = interactions_rekind(
        owner=request.user, interaction_ids=queryset.values_list("pk", flat=True), kind=kind
    )
    count = sum(len(ids) for ids in previous.values())
    label = Interaction.Kind(kind).label
    if not count:
        return ActionDone(f"They were all “{label}” already: nothing changed.")
    undo_url = modeladmin.undo_remember(request, kind="rekind", payload=previous)
    return ActionDone(
        f"Changed {count} {interactions_word(count)} to “{label}”.", undo_url=undo_url
    )


@confirmed_action(
    description="Delete…",
    title="Delete interactions",
    button="Delete {who}",
    explanation=(
        "Their people's last and next contact dates fall back on the interactions that remain, "
        "and the activity counts of their days are recounted. Follow-up reminders they set go "
        "too."
    ),
    noun=interactions_word,
)
def delete_interactions(modeladmin, request, queryset, form):
    ids = list(queryset.values_list("pk", flat=True))
    snapshot = interactions_delete(
        owner=request.user, interaction_ids=ids, today=local_today(request.user)
    )
    message = f"Deleted {len(ids)} {interactions_word(len(ids))}."
    if len(ids) > MAX_UNDOABLE_DELETE:
        return ActionDone(message + " (Too many at once to offer an Undo.)")
    undo_url = modeladmin.undo_remember(request, kind="delete", payload=snapshot)
    return ActionDone(message, undo_url=undo_url)


@admin.register(Interaction)
class InteractionAdmin(UndoableAdmin, OwnedAdmin):
    list_display = ["day", "kind", "people", "place"]
    list_filter = ["kind", "occurred_on"]
    search_fields = ["notes", "place"]
    date_hierarchy = "occurred_at"
    # Editing participants or dates here would bypass the due-date recompute: read-only for now.
    readonly_fields = ["kind", "occurred_at", "occurred_on", "contacts"]
    actions = [rekind, delete_interactions]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("contacts")

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Our delete asks first, recounts once for the whole batch and can be undone.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="Day", ordering="occurred_at")
    def day(self, interaction: Interaction) -> str | None:
        return shown_date(interaction.occurred_on)

    @admin.display(description="With")
    def people(self, interaction: Interaction) -> str:
        return ", ".join(contact.name for contact in interaction.contacts.all())

    def has_add_permission(self, request):
        return False

    # Deleting goes through the service, like the app's own delete button: the people's due
    # dates fall back on what remains and the dashboard's per-day counts follow.
    def delete_model(self, request, obj):
        interaction_delete(interaction=obj, today=local_today(request.user))

    def delete_queryset(self, request, queryset):
        interactions_delete(
            owner=request.user,
            interaction_ids=queryset.values_list("pk", flat=True),
            today=local_today(request.user),
        )

    def undo_rekind(self, request, previous: dict) -> str:
        count = interactions_rekind_undo(owner=request.user, previous=previous)
        return f"Undone: {count} {interactions_word(count)} back to their kind."

    def undo_delete(self, request, snapshot: str) -> str:
        count = interactions_restore(
            owner=request.user, snapshot=snapshot, today=local_today(request.user)
        )
        return f"Undone: {count} {interactions_word(count)} restored."
