from __future__ import annotations

from django import forms

from interactions.models import Interaction
from pwa.share import NOTE_LIMIT, share_contacts


class ShareForm(forms.Form):
    """Save what was shared as a note on one person. The choice is the owner's own people only:
    another user's contact id is "not one of the choices", never saved."""

    contact = forms.ModelChoiceField(
        label="Save it on",
        queryset=None,
        empty_label="Choose a person…",
        error_messages={
            "required": "Choose whom to save it on.",
            "invalid_choice": "Choose one of your people.",
        },
    )
    kind = forms.ChoiceField(
        label="As",
        choices=Interaction.Kind.choices,
        initial=Interaction.Kind.SHARED,
        help_text="“Shared something” if you sent it to them; it counts as being in touch.",
    )
    notes = forms.CharField(
        label="Note",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write something to keep, or go back."},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = share_contacts(owner)
