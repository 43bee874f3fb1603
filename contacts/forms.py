from __future__ import annotations

from django import forms

from contacts.models import Contact
from network_crm.owned import OwnedModelForm


class ContactForm(OwnedModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "nickname",
            "email",
            "phone",
            "company",
            "role",
            "city",
            "country",
            "birthday",
            "circle",
            "cadence_days",
            "how_we_met",
            "notes",
            "paused",
        ]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "how_we_met": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "cadence_days": forms.NumberInput(
                attrs={"min": 1, "max": 3650, "inputmode": "numeric"}
            ),
        }
        labels = {"cadence_days": "Reach out every (days)", "how_we_met": "How we met"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle"].empty_label = "No circle"
        self.fields["circle"].label_from_instance = lambda circle: (
            f"{circle.name} (every {circle.cadence_days} days)"
            if circle.cadence_days
            else circle.name
        )
        self.fields[
            "cadence_days"
        ].help_text = "Leave empty to follow the circle's rhythm; with neither, no reminders."

    @property
    def who_fields(self):
        names = [
            "name",
            "nickname",
            "email",
            "phone",
            "company",
            "role",
            "city",
            "country",
            "birthday",
        ]
        return [self[name] for name in names]


class ContactSearchForm(forms.Form):
    q = forms.CharField(label="Search people", required=False, max_length=200)
