"""What the meetup card's two buttons post: the people, and the kind or the group's key."""

from __future__ import annotations

from django import forms

from contacts.forms import BoundedIdsField
from contacts.models import Contact
from network_crm.owned import OwnedForm
from reminders.meetups import KINDS, MAX_PEOPLE

KEY_PATTERN = r"^(city|interest):[0-9a-f]{64}$"


class MeetupPeopleForm(OwnedForm):
    """The people of a meetup card: two or more of the owner's own (another user's id is an
    invalid choice, like a missing one)."""

    people = BoundedIdsField(queryset=Contact.objects.filter(archived=False))

    def clean_people(self):
        people = list(self.cleaned_data["people"])
        if len(people) < 2:
            raise forms.ValidationError("A meetup needs at least two people.")
        if len(people) > MAX_PEOPLE:
            raise forms.ValidationError(f"A meetup has at most {MAX_PEOPLE} people.")
        return sorted(people, key=lambda contact: (contact.sort_name, contact.pk))

    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


class MeetupLogForm(MeetupPeopleForm):
    kind = forms.ChoiceField(
        label="What", choices=[(kind.value, kind.label) for kind in KINDS], initial="meal"
    )


class MeetupDismissForm(MeetupPeopleForm):
    key = forms.RegexField(regex=KEY_PATTERN, max_length=200)


class MeetupUndoForm(forms.Form):
    key = forms.RegexField(regex=KEY_PATTERN, max_length=200)
