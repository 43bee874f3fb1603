from __future__ import annotations

import datetime as dt

from django import forms

from interactions.models import Interaction

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
