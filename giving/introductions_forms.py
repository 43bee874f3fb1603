"""Forms of the introductions pages: who meets whom and why, and the steps."""

from __future__ import annotations

import datetime as dt

from django import forms

from contacts.models import Contact
from giving.models import Introduction
from interactions.forms import moment_on
from network_crm.owned import OwnedForm


class IntroductionForm(OwnedForm):
    """Two of the owner's people (ids picked on the page; scoped, so anyone else's is refused)
    and why they should meet."""

    person_a = forms.ModelChoiceField(
        queryset=Contact.objects.filter(archived=False), widget=forms.HiddenInput
    )
    person_b = forms.ModelChoiceField(
        queryset=Contact.objects.filter(archived=False), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label="Why should they meet?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A line you can reuse when you ask each of them.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("person_a") and data.get("person_a") == data.get("person_b"):
            raise forms.ValidationError("Pick two different people.")
        return data


class StepForm(forms.Form):
    """A step: the state to move to, with the outcome, or the day they were introduced (not in
    the future; empty: today)."""

    state = forms.ChoiceField(choices=Introduction.State.choices)
    outcome = forms.CharField(required=False, max_length=2000)
    on = forms.DateField(required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_on(self) -> dt.date:
        day = self.cleaned_data.get("on") or self.today
        if day > self.today:
            raise forms.ValidationError(
                "An introduction can't be in the future: pick today or a day before."
            )
        return day

    def occurred_at(self, *, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
        return moment_on(self.cleaned_data["on"], now=now, zone=zone)
