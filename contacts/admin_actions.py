"""The contact changelist's actions: each asks first (network_crm.admin.confirmed_action), then
does the same bulk edit as the contact list (contacts_bulk_edit), undoable from its message with
the list's own undo (contacts:bulk_undo). Export and merge are portability's (portability/admin.py)."""

from __future__ import annotations

from django import forms
from django.contrib.admin import widgets
from django.db.models import Count, QuerySet
from django.urls import reverse

from contacts import services
from contacts.models import Circle, Interest
from network_crm.admin import ActionDone, ActionForm, confirmed_action
from network_crm.text import people

RHYTHM_DAYS = "days"
RHYTHM_CIRCLE = "circle"


class MoveToCircleForm(ActionForm):
    circle = forms.ModelChoiceField(
        label="Circle",
        queryset=Circle.objects.all(),
        required=False,
        empty_label="No circle",
        help_text="Their reminders follow the new circle's rhythm, unless they have their own.",
    )


class SetRhythmForm(ActionForm):
    rhythm = forms.ChoiceField(
        label="Rhythm",
        choices=[(RHYTHM_DAYS, "Every … days"), (RHYTHM_CIRCLE, "Follow their circle")],
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
        initial=RHYTHM_DAYS,
    )
    cadence_days = forms.IntegerField(
        label="Every how many days",
        required=False,
        min_value=1,
        max_value=3650,
        widget=widgets.AdminIntegerFieldWidget,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rhythm") == RHYTHM_DAYS and not cleaned.get("cadence_days"):
            self.add_error("cadence_days", "Type a number of days, or pick “Follow their circle”.")
        return cleaned

    def value(self) -> int | None:
        if self.cleaned_data["rhythm"] == RHYTHM_CIRCLE:
            return None
        return self.cleaned_data["cadence_days"]


class AddInterestForm(ActionForm):
    name = forms.CharField(
        label="Interest",
        max_length=80,
        widget=widgets.AdminTextInputWidget,
        help_text="One you already have (matched ignoring case and accents) or a new one.",
    )


class HeldInterestField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Interest) -> str:
        return f"{obj.name} ({obj.holders:,} of them)"


class RemoveInterestForm(ActionForm):
    interest = HeldInterestField(
        label="Interest",
        queryset=Interest.objects.none(),
        help_text="The interests some of them have, with how many.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only interests some of the selected people have: the others would change nothing.
        self.fields["interest"].queryset = (
            Interest.objects.filter(owner=self.owner, contacts__in=self.selection.values("pk"))
            .annotate(holders=Count("contacts"))
            .order_by("folded_name")
        )


def _bulk_edit(request, queryset: QuerySet, action: str, value: object = None) -> ActionDone:
    change = services.contacts_bulk_edit(
        owner=request.user,
        contact_ids=queryset.values_list("pk", flat=True),
        action=action,
        value=value,
    )
    return ActionDone(
        change.description + ".", undo_url=reverse("contacts:bulk_undo", args=[change.pk])
    )


def _already(queryset: QuerySet, state: str, **flags: bool) -> str:
    """ "3 of them are paused already." (or nothing)."""
    count = queryset.filter(**flags).count()
    if not count:
        return ""
    return f"{count:,} of them {'is' if count == 1 else 'are'} {state} already."


@confirmed_action(
    description="Move to a circle…",
    title="Move to a circle",
    button="Move {who}",
    explanation="Their next reminder is worked out again from the new circle's rhythm.",
    form_class=MoveToCircleForm,
    noun=people,
)
def move_to_circle(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "set_circle", form.cleaned_data["circle"])


@confirmed_action(
    description="Set or clear the rhythm…",
    title="Set or clear the rhythm",
    button="Set the rhythm of {who}",
    explanation="A rhythm of their own overrides their circle's; “Follow their circle” clears it.",
    form_class=SetRhythmForm,
    noun=people,
)
def set_rhythm(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "set_cadence", form.value())


@confirmed_action(
    description="Add an interest…",
    title="Add an interest",
    button="Add it to {who}",
    form_class=AddInterestForm,
    noun=people,
)
def add_interest(modeladmin, request, queryset, form):
    try:
        return _bulk_edit(request, queryset, "add_interest", form.cleaned_data["name"])
    except services.InterestLimitReached as error:
        raise forms.ValidationError(str(error)) from error


@confirmed_action(
    description="Remove an interest…",
    title="Remove an interest",
    button="Remove it from {who}",
    explanation="The interest itself stays; only these people lose it.",
    form_class=RemoveInterestForm,
    noun=people,
)
def remove_interest(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "remove_interest", form.cleaned_data["interest"])


@confirmed_action(
    description="Pause reminders…",
    title="Pause reminders",
    button="Pause {who}",
    explanation=lambda queryset: " ".join(
        filter(
            None,
            [
                "They get no reminders until you resume them.",
                _already(queryset, "paused", paused=True),
            ],
        )
    ),
    noun=people,
)
def pause(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "pause")


@confirmed_action(
    description="Resume reminders…",
    title="Resume reminders",
    button="Resume {who}",
    explanation="Reminders start again from their rhythm.",
    noun=people,
)
def unpause(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "unpause")


@confirmed_action(
    description="Archive…",
    title="Archive",
    button="Archive {who}",
    explanation=lambda queryset: " ".join(
        filter(
            None,
            [
                "Archived people leave the dashboard and the list (its “Archived” filter shows "
                "them) and get no reminders; their history is kept.",
                _already(queryset, "archived", archived=True),
            ],
        )
    ),
    noun=people,
)
def archive(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "archive")


@confirmed_action(
    description="Unarchive…",
    title="Unarchive",
    button="Bring back {who}",
    explanation="They come back to the list, and their reminders start again unless paused.",
    noun=people,
)
def unarchive(modeladmin, request, queryset, form):
    return _bulk_edit(request, queryset, "unarchive")


CONTACT_ACTIONS = [
    move_to_circle,
    set_rhythm,
    add_interest,
    remove_interest,
    pause,
    unpause,
    archive,
    unarchive,
]
