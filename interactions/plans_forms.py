"""Forms of the plans: a meeting to plan (or edit) and the promise captured after a log."""

from __future__ import annotations

import datetime as dt

from django import forms

from contacts.forms import BoundedIdsField
from contacts.models import Contact
from interactions.models import Interaction, PlannedInteraction
from interactions.plans import PLAN_KINDS
from network_crm.owned import OwnedForm

MAX_PEOPLE = 20


class PlanForm(OwnedForm):
    """A coffee, call, meal... with one or more people, on a local day and time (the owner's
    zone), somewhere, with something to talk about."""

    kind = forms.ChoiceField(
        label="What",
        choices=[(kind.value, kind.label) for kind in PLAN_KINDS],
        initial=Interaction.Kind.COFFEE,
    )
    people = BoundedIdsField(
        label="With",
        queryset=Contact.objects.filter(archived=False),
        help_text="Pick one or more (Ctrl or ⌘ to add someone).",
        error_messages={
            "required": "Choose at least one person.",
            "invalid_choice": "Choose among your people.",
        },
    )
    day = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    at_time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", required=False, min_value=5, max_value=24 * 60
    )
    place = forms.CharField(label="Where", required=False, max_length=200)
    note = forms.CharField(
        label="To talk about",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, zone: dt.tzinfo, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.now = now
        today = now.astimezone(zone).date()
        self.fields["day"].widget.attrs["min"] = today.isoformat()
        self.fields["people"].queryset = Contact.objects.filter(
            owner=self.owner, archived=False
        ).order_by("sort_name", "pk")
        self.fields["people"].widget.attrs["size"] = "6"

    def clean_people(self):
        people = self.cleaned_data["people"]
        if len(people) > MAX_PEOPLE:
            raise forms.ValidationError(f"At most {MAX_PEOPLE} people in one plan.")
        return people

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if day > self.now.date() + dt.timedelta(days=366 * 5):
            raise forms.ValidationError("Please pick a day within the next five years.")
        return day

    def clean(self):
        cleaned = super().clean()
        day, at_time = cleaned.get("day"), cleaned.get("at_time")
        if day and at_time:
            starts_at = dt.datetime.combine(day, at_time, tzinfo=self.zone)
            # A wall time skipped by a DST change folds to the real moment it names.
            starts_at = starts_at.astimezone(dt.UTC).astimezone(self.zone)
            if starts_at <= self.now:
                self.add_error("at_time", "That moment has passed: plan something ahead.")
            cleaned["starts_at"] = starts_at
        return cleaned

    def plan_fields(self) -> dict:
        """The cleaned form as ``plan_create``/``plan_update`` arguments (besides contacts)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "note": data["note"],
        }

    @staticmethod
    def initial_from(plan: PlannedInteraction, zone: dt.tzinfo) -> dict:
        local = plan.starts_at.astimezone(zone)
        return {
            "kind": plan.kind,
            "people": list(plan.contacts.all()),
            "day": local.date(),
            "at_time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": plan.duration_minutes,
            "place": plan.place,
            "note": plan.note,
        }


PROMISE_CHIPS = [(1, "Tomorrow"), (3, "In 3 days"), (7, "Next week"), (14, "In 2 weeks")]


class PromiseForm(forms.Form):
    """ "Anything you promised?": a note and a day (a chip sets ``in_days``, or pick a date)."""

    note = forms.CharField(
        label="What you promised",
        max_length=300,
        error_messages={"required": "Write what you promised, or skip this."},
    )
    in_days = forms.TypedChoiceField(
        label="When",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(days), label) for days, label in PROMISE_CHIPS],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label="Or on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        kwargs.setdefault("auto_id", "promise-%s")
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["note"].widget.attrs["placeholder"] = "Send her the article"
        self.fields["on"].widget.attrs["min"] = today.isoformat()

    def clean(self):
        cleaned = super().clean()
        on, in_days = cleaned.get("on"), cleaned.get("in_days")
        if on is None and in_days is None:
            if "on" not in self.errors:
                self.add_error(
                    "on", "Pick when: tomorrow, in 3 days, next week, in 2 weeks or a day."
                )
            return cleaned
        day = on or self.today + dt.timedelta(days=in_days)
        if day < self.today:
            self.add_error("on", "That day has passed: pick today or later.")
        elif day > self.today + dt.timedelta(days=366 * 5):
            self.add_error("on", "Please pick a day within the next five years.")
        cleaned["day"] = day
        return cleaned
