"""Forms of the introductions pages: who meets whom and why, and the steps."""

from __future__ import annotations

from django import forms

from contacts.models import Contact
from giving.models import Introduction
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
    state = forms.ChoiceField(choices=Introduction.State.choices)
    outcome = forms.CharField(required=False, max_length=2000)
