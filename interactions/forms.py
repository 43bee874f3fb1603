from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q

from contacts.forms import BoundedIdsField
from contacts.models import Circle, Contact
from interactions.models import Interaction
from network_crm.form_renderer import FAST_RENDERER
from network_crm.owned import OwnedForm


def moment_on(day: dt.date, *, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """When something that happened on ``day`` (a local date) happened: now, if ``day`` is today;
    otherwise noon of that day, in the user's zone."""
    current = now.astimezone(zone)
    if day == current.date():
        return current
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone)


QUICK_KINDS = [
    (Interaction.Kind.COFFEE, "Coffee"),
    (Interaction.Kind.CALL, "Call"),
    (Interaction.Kind.MESSAGE, "Message"),
]


class QuickLogForm(forms.Form):
    """Log what just happened (or happened on Tuesday) with one contact."""

    kind = forms.ChoiceField(label="What", choices=Interaction.Kind.choices, initial="coffee")
    occurred_on = forms.DateField(
        label="When",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text="Leave as today, or pick the day it happened.",
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()

    def clean_occurred_on(self) -> dt.date:
        day = self.cleaned_data.get("occurred_on") or self.today
        if day > self.today:
            raise forms.ValidationError("That day hasn't happened yet: log it once it has.")
        if day < self.today - dt.timedelta(days=365 * 100):
            raise forms.ValidationError("Please pick a date within the last hundred years.")
        return day

    def log_fields(self, *, now: dt.datetime, zone: dt.tzinfo) -> dict:
        """The cleaned form as ``interaction_log`` arguments (besides owner, contacts, today)."""
        return {
            "kind": self.cleaned_data["kind"],
            "occurred_at": moment_on(self.cleaned_data["occurred_on"], now=now, zone=zone),
            "notes": self.cleaned_data["notes"],
        }


class InteractionForm(OwnedForm):
    """Everything about an interaction: the full form behind "More…" and "Edit"."""

    kind = forms.ChoiceField(label="What", choices=Interaction.Kind.choices, initial="coffee")
    people = BoundedIdsField(
        label="With",
        queryset=Contact.objects.filter(archived=False),
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone who was there: a group dinner is one interaction.",
    )
    occurred_on = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    at_time = forms.TimeField(
        label="Time (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", required=False, min_value=1, max_value=24 * 60
    )
    place = forms.CharField(label="Where", required=False, max_length=200)
    initiated_by = forms.ChoiceField(
        label="Who reached out first",
        required=False,
        choices=[("", "Not sure")] + list(Interaction.Initiator.choices),
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A promise to keep, e.g. send her the article by Friday.",
    )
    follow_up_note = forms.CharField(label="Follow-up", required=False, max_length=300)
    ask_next_time = forms.CharField(
        label="Next time, ask about…",
        required=False,
        max_length=300,
        help_text="Shown with them the next time they are due.",
    )

    def __init__(self, *args, today: dt.date, people_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()
        if people_choices is not None:
            # Only the people shown (already in it, or the contact it was started from) and any
            # of the owner's people posted back: a list of every contact would not scale.
            allowed = {person.pk for person in people_choices}
            if self.is_bound and hasattr(self.data, "getlist"):
                allowed |= {
                    int(v)
                    for v in self.data.getlist("people")
                    if str(v).isascii() and str(v).isdigit() and len(str(v)) <= 18
                }
            # Existing participants stay choosable even if archived since.
            shown = {person.pk for person in people_choices}
            self.fields["people"].queryset = Contact.objects.filter(owner=self.owner).filter(
                Q(pk__in=allowed, archived=False) | Q(pk__in=shown)
            )

    @staticmethod
    def initial_from(interaction: Interaction, zone: dt.tzinfo) -> dict:
        """The form's initial values for editing ``interaction``, its moment in the user's zone."""
        local = interaction.occurred_at.astimezone(zone)
        return {
            "kind": interaction.kind,
            "people": list(interaction.contacts.all()),
            "occurred_on": local.date(),
            "at_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": interaction.duration_minutes,
            "place": interaction.place,
            "initiated_by": interaction.initiated_by,
            "notes": interaction.notes,
            "follow_up_on": interaction.follow_up_on,
            "follow_up_note": interaction.follow_up_note,
            "ask_next_time": interaction.ask_next_time,
        }

    def clean_occurred_on(self) -> dt.date:
        day = self.cleaned_data["occurred_on"]
        if day > self.today:
            raise forms.ValidationError("That day hasn't happened yet: log it once it has.")
        if day < self.today - dt.timedelta(days=365 * 100):
            raise forms.ValidationError("Please pick a date within the last hundred years.")
        return day

    def clean_follow_up_on(self) -> dt.date | None:
        # Bounded like the day itself: a calendar can't show 31 December 9999 (it has no next
        # day for the event to end on), and no promise is kept a century from now.
        day = self.cleaned_data.get("follow_up_on")
        if day and abs((day - self.today).days) > 365 * 100:
            raise forms.ValidationError("Please pick a date within a hundred years of today.")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("follow_up_note") and not cleaned.get("follow_up_on"):
            self.add_error("follow_up_on", "When should you follow up?")
        return cleaned

    def log_fields(self, *, now: dt.datetime, zone: dt.tzinfo) -> dict:
        """The cleaned form as ``interaction_log`` / ``interaction_update`` arguments (besides
        owner, contacts, today). Without a time, the moment is ``moment_on`` the day."""
        data = self.cleaned_data
        if data["at_time"]:
            occurred_at = dt.datetime.combine(data["occurred_on"], data["at_time"], tzinfo=zone)
        else:
            occurred_at = moment_on(data["occurred_on"], now=now, zone=zone)
        return {
            "kind": data["kind"],
            "occurred_at": occurred_at,
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "initiated_by": data["initiated_by"],
            "notes": data["notes"],
            "follow_up_on": data["follow_up_on"],
            "follow_up_note": data["follow_up_note"],
            "ask_next_time": data["ask_next_time"],
        }


class ActivityFiltersForm(OwnedForm):
    # Its menus are written in Python (same markup): network_crm/form_renderer.py.
    default_renderer = FAST_RENDERER

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds")] + list(Interaction.Kind.choices)
    )
    circle = forms.ModelChoiceField(
        label="Circle", queryset=Circle.objects.all(), required=False, empty_label="All circles"
    )
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        contact_id = data.get("contact")
        if contact_id and not Contact.objects.filter(owner=self.owner, pk=contact_id).exists():
            contact_id = -1  # someone else's person: show nothing rather than everything
        return {
            "kind": data.get("kind") or "",
            "circle_id": data["circle"].pk if data.get("circle") else None,
            "contact_id": contact_id,
            "since": data.get("since"),
            "until": data.get("until"),
        }

    @property
    def chosen_contact(self) -> Contact | None:
        contact_id = getattr(self, "cleaned_data", {}).get("contact")
        return (
            Contact.objects.filter(owner=self.owner, pk=contact_id).first() if contact_id else None
        )
