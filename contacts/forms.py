from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy

from contacts import selectors
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.selectors import ContactFilters
from network_crm.form_renderer import FAST_RENDERER
from network_crm.owned import OwnedForm, OwnedModelForm
from network_crm.text import fold


class ContactForm(OwnedModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "nickname",
            "company",
            "role",
            "city",
            "country",
            "circle",
            "cadence_days",
            "how_we_met",
            "notes",
            "paused",
        ]
        widgets = {
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
            "company",
            "role",
            "city",
            "country",
        ]
        return [self[name] for name in names]


class OwnedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows (ways to reach, important dates) that belong to the contact's owner."""

    def clean(self):
        super().clean()
        if self.model is ImportantDate:
            own_birthdays = [
                form
                for form in self.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("kind") == ImportantDate.Kind.BIRTHDAY
                and not form.cleaned_data.get("label")
            ]
            if len(own_birthdays) > 1:
                raise forms.ValidationError(
                    "Only one birthday without a label: give the other one a label "
                    "(e.g. “Mia's birthday”)."
                )

    def save_new(self, form, commit=True):
        form.instance.owner_id = self.instance.owner_id
        return super().save_new(form, commit=commit)


class ContactMethodRows(OwnedInlineFormSet):
    default_error_messages = {
        "too_many_forms": "One person can have at most %(num)d ways to reach them here: "
        "remove one to add another."
    }


class ImportantDateRows(OwnedInlineFormSet):
    default_error_messages = {
        "too_many_forms": "One person can have at most %(num)d dates here: "
        "remove one to add another."
    }


ContactMethodFormSet = forms.inlineformset_factory(
    Contact,
    ContactMethod,
    formset=ContactMethodRows,
    fields=["kind", "label", "value"],
    labels={"kind": "Type", "label": "Label (optional)", "value": "Address, number or link"},
    # The placeholder gives the examples; the model's help text would say them a second time.
    help_texts={"label": ""},
    widgets={"label": forms.TextInput(attrs={"placeholder": "work, home, mobile…"})},
    extra=2,
    max_num=MAX_METHODS_PER_CONTACT,
    absolute_max=MAX_METHODS_PER_CONTACT,
    validate_max=True,
    can_delete=True,
)

ImportantDateFormSet = forms.inlineformset_factory(
    Contact,
    ImportantDate,
    formset=ImportantDateRows,
    fields=["kind", "label", "day", "month", "year"],
    labels={"kind": "What", "label": "Label (optional)", "year": "Year (optional)"},
    # "(optional)" is in the labels; the model's help texts would say it again under the inputs.
    help_texts={"label": "", "year": ""},
    widgets={
        "label": forms.TextInput(attrs={"placeholder": "e.g. Mia's birthday"}),
        "day": forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}),
        "year": forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"}),
    },
    extra=1,
    max_num=MAX_DATES_PER_CONTACT,
    absolute_max=MAX_DATES_PER_CONTACT,
    validate_max=True,
    can_delete=True,
)


@dataclass(frozen=True)
class RowKind:
    """One kind of the contact form's inline rows, and the words of its "add another" button."""

    prefix: str
    formset: type[forms.BaseInlineFormSet]
    limit: int
    add_label: str
    full_message: str

    def blank_row(self, index: int) -> forms.ModelForm:
        """An empty row numbered ``index``, exactly as the formset would render it, its first
        field focused once htmx puts it in the page."""
        row = self.formset(prefix=self.prefix, queryset=self.formset.model.objects.none())
        form = row.empty_form
        form.prefix = row.add_prefix(index)
        form.fields["kind"].widget.attrs["autofocus"] = True
        return form

    def adder(self, total: int) -> dict:
        """What the "add another" control needs: the index of the next row, and the limit."""
        return {"kind": self, "total": total, "full": total >= self.limit}


ROW_KINDS = {
    "methods": RowKind(
        prefix="methods",
        formset=ContactMethodFormSet,
        limit=MAX_METHODS_PER_CONTACT,
        add_label="Add another way to reach them",
        full_message=f"That's the most one person can have here ({MAX_METHODS_PER_CONTACT}).",
    ),
    "dates": RowKind(
        prefix="dates",
        formset=ImportantDateFormSet,
        limit=MAX_DATES_PER_CONTACT,
        add_label="Add another date",
        full_message=f"That's the most one person can have here ({MAX_DATES_PER_CONTACT}).",
    ),
}
# Empty rows offered by a page that a browser without JavaScript asked for ("save and add more").
MORE_ROWS = 3


class ContactDetailFormsets:
    """The contact form's inline rows: ways to reach them and important dates. Each formset holds
    the contact's first rows only: a contact stored before the limits existed may have thousands,
    and the page stays small (the rows not shown are kept as they are)."""

    def __init__(self, data, *, contact: Contact | None, instance: Contact, more: str = ""):
        methods, method_count = _first_rows(ContactMethod, contact, MAX_METHODS_PER_CONTACT)
        dates, date_count = _first_rows(ImportantDate, contact, MAX_DATES_PER_CONTACT)
        self.methods = ContactMethodFormSet(
            data, instance=instance, prefix="methods", queryset=methods
        )
        self.dates = ImportantDateFormSet(data, instance=instance, prefix="dates", queryset=dates)
        if more in ROW_KINDS and data is None:
            getattr(self, more).extra = MORE_ROWS
        self.methods_not_shown = max(method_count - MAX_METHODS_PER_CONTACT, 0)
        self.dates_not_shown = max(date_count - MAX_DATES_PER_CONTACT, 0)

    def __iter__(self):
        return iter([self.methods, self.dates])

    def is_valid(self) -> bool:
        return all(formset.is_valid() for formset in self)

    def context(self) -> dict:
        return {
            "methods": self.methods,
            "dates": self.dates,
            "methods_not_shown": self.methods_not_shown,
            "dates_not_shown": self.dates_not_shown,
            "methods_more": ROW_KINDS["methods"].adder(self.methods.total_form_count()),
            "dates_more": ROW_KINDS["dates"].adder(self.dates.total_form_count()),
        }


def _first_rows(model, contact: Contact | None, limit: int) -> tuple[QuerySet, int]:
    """The contact's first ``limit`` rows of ``model``, and how many there are."""
    if contact is None:
        return model.objects.none(), 0
    shown = selectors.first_of(model.objects.filter(contact=contact).values("pk"), limit=limit)
    return model.objects.filter(pk__in=[row["pk"] for row in shown.items]), shown.total


class IntroducerForm(forms.Form):
    """Who introduced a contact: one of the owner's people picked from the list, or nobody."""

    introduced_by = forms.CharField(required=False)

    def clean_introduced_by(self) -> str:
        value = self.cleaned_data["introduced_by"]
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("Choose who introduced them from the list.")
        return value


# A text input whose typing fetches (at most ten) matching interests into the page's
# <datalist id="interest-options">; without JavaScript it is a plain text box.
SUGGEST_INTERESTS = {
    "autocomplete": "off",
    "list": "interest-options",
    "hx-get": reverse_lazy("contacts:interest_suggest"),
    "hx-trigger": "input changed delay:200ms",
    "hx-target": "#interest-options",
    "hx-swap": "innerHTML",
    "hx-push-url": "false",
}


def owned_interest(owner, value: str) -> Interest | None:
    """The owner's interest named ``value`` (ignoring case and accents), else the one whose id it
    is (links from a contact's page or the interests page carry the id)."""
    text = " ".join((value or "").split())
    if not text:
        return None
    folded = Interest.fold_name(text)
    named = Q(folded_name=folded)
    if text.isascii() and text.isdigit() and len(text) <= 18:
        # One read for both (a link's id, or an interest called "1984"): the name wins.
        named |= Q(pk=int(text))
    found = list(Interest.objects.for_owner(owner).filter(named)[:2])
    return next((i for i in found if i.folded_name == folded), found[0] if found else None)


class InterestNameField(forms.CharField):
    """One of the owner's interests, typed by name: a text input that a bounded list of
    suggestions completes (never a menu of every interest, which can be thousands)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.update(SUGGEST_INTERESTS)


def clean_interest_name(form: OwnedForm, name: str) -> Interest | None:
    value = form.cleaned_data.get(name) or ""
    interest = owned_interest(form.owner, value)
    if value.strip() and interest is None:
        raise forms.ValidationError(
            "Select a valid choice. None of your interests is called “%(name)s”.",
            params={"name": " ".join(value.split())[:80]},
            code="invalid_choice",
        )
    return interest


class ContactListFiltersForm(OwnedForm):
    """Search, filters and sort of the contact list; all optional, all in the URL."""

    # Its menus are written in Python (same markup): network_crm/form_renderer.py.
    default_renderer = FAST_RENDERER

    q = forms.CharField(label="Search people", required=False, max_length=200)
    circle = forms.ModelChoiceField(
        label="Circle", queryset=Circle.objects.all(), required=False, empty_label="All circles"
    )
    interest = InterestNameField(
        label="Interest", required=False, widget=forms.TextInput(attrs={"placeholder": "Any"})
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            ("due", "Due now"),
            ("paused", "Paused"),
            ("archived", "Archived"),
        ],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("name", "Name"), ("last", "Longest since last contact"), ("next", "Next due")],
    )

    def clean_interest(self) -> Interest | None:
        return clean_interest_name(self, "interest")

    def filters(self) -> ContactFilters:
        # Keep every filter that is valid even if another one is not (a deleted circle's id in
        # a bookmarked URL must not wipe out the search).
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("interest"):
            # Links carry the interest's id; the box shows its name.
            self.data = self.data.copy()
            self.data["interest"] = data["interest"].name
        return ContactFilters(
            query=(data.get("q") or "").strip(),
            circle_id=data["circle"].pk if data.get("circle") else None,
            interest_id=data["interest"].pk if data.get("interest") else None,
            status=data.get("status") or "",
            sort=data.get("sort") or "name",
        )


BULK_ACTIONS = [
    ("set_circle", "Move to circle…"),
    ("set_cadence", "Set rhythm…"),
    ("add_interest", "Add interest…"),
    ("remove_interest", "Remove interest…"),
    ("pause", "Pause reminders"),
    ("unpause", "Resume reminders"),
    ("archive", "Archive"),
    ("unarchive", "Unarchive"),
    ("delete", "Delete…"),
]


class BoundedIdsField(forms.ModelMultipleChoiceField):
    """Ids that can't even be database integers are invalid choices, not a crash."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ContactSelectionForm(OwnedForm):
    """The people picked on the contact list: the ticked rows, or every one matching the filters
    the list was showing (sent along with the form). What the list's bulk bar and its export
    buttons (portability) both post."""

    ids = BoundedIdsField(queryset=Contact.objects.all(), required=False)
    all_matching = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ids") and not cleaned.get("all_matching"):
            raise forms.ValidationError("Tick at least one person first.")
        return cleaned

    def contact_ids(self, *, today: dt.date) -> list[int]:
        """The ticked rows, or every contact matching the filters the list was showing."""
        if self.cleaned_data.get("all_matching"):
            filters = ContactListFiltersForm(self.data, owner=self.owner).filters()
            matching = selectors.contacts_search(owner=self.owner, filters=filters, today=today)
            return list(matching.values_list("pk", flat=True))
        return [contact.pk for contact in self.cleaned_data["ids"]]


class BulkEditForm(ContactSelectionForm):
    """Which contacts and what to do with them."""

    default_renderer = FAST_RENDERER

    action = forms.ChoiceField(
        label="With the selected people",
        choices=[("", "Choose what to do…"), *BULK_ACTIONS],
        error_messages={"required": "Choose what to do with the selected people."},
    )
    target_circle = forms.ModelChoiceField(
        label="Circle to move them to",
        queryset=Circle.objects.all(),
        required=False,
        empty_label="No circle",
    )
    cadence_days = forms.IntegerField(
        label="New rhythm, every … days (empty: follow the circle)",
        required=False,
        min_value=1,
        max_value=3650,
    )
    interest_name = forms.CharField(
        label="Interest to add",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs=SUGGEST_INTERESTS),
    )
    target_interest = InterestNameField(label="Interest to remove", required=False)

    def clean_target_interest(self) -> Interest | None:
        return clean_interest_name(self, "target_interest")

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "add_interest" and not (cleaned.get("interest_name") or "").strip():
            self.add_error("interest_name", "Type the interest to add.")
        if action == "remove_interest" and not cleaned.get("target_interest"):
            self.add_error("target_interest", "Pick the interest to remove.")
        return cleaned

    def filter_fields(self) -> list[tuple[str, str]]:
        """The list's filters as posted, carried through the delete confirmation."""
        keys = ("q", "circle", "interest", "status", "sort")
        return [(key, self.data[key]) for key in keys if self.data.get(key)]

    def value(self):
        action = self.cleaned_data["action"]
        return {
            "set_circle": self.cleaned_data.get("target_circle"),
            "set_cadence": self.cleaned_data.get("cadence_days"),
            "add_interest": self.cleaned_data.get("interest_name"),
            "remove_interest": self.cleaned_data.get("target_interest"),
        }.get(action)


def share_circle_choices(*fields: forms.ModelChoiceField) -> None:
    """Give every one of ``fields`` (the owner's circles, each with its own empty label) its
    choices from one read of the first one's queryset, instead of one read per menu."""
    circles = list(fields[0].queryset)
    for field in fields:
        iterator = field.iterator(field)
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.choices = empty + [iterator.choice(circle) for circle in circles]


class SnoozeForm(forms.Form):
    """How long to snooze someone: ``days`` (kept within 1-365) or a date ``until`` after today
    and within two years. ``days`` is set once the form is valid."""

    DEFAULT_DAYS = 7

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.days = self.DEFAULT_DAYS

    def clean(self) -> dict:
        try:
            raw_until = self.data.get("until")
            until = dt.date.fromisoformat(raw_until) if raw_until else None
            days = min(max(int(self.data.get("days", self.DEFAULT_DAYS)), 1), 365)
        except ValueError as exc:
            raise forms.ValidationError("Pick a number of days or a date to snooze until.") from exc
        if until is not None:
            if not self.today < until <= self.today + dt.timedelta(days=365 * 2):
                raise forms.ValidationError("Pick a date after today and within two years.")
            days = (until - self.today).days
        self.days = days
        return self.cleaned_data

    @property
    def until(self) -> dt.date:
        return self.today + dt.timedelta(days=self.days)


class InterestAddForm(forms.Form):
    name = forms.CharField(label="Add an interest", max_length=80)


class CircleForm(OwnedModelForm):
    class Meta:
        model = Circle
        fields = ["name", "cadence_days"]
        labels = {"name": "Name", "cadence_days": "Reach out every (days)"}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        # Compared folded in Python: SQLite's iexact ignores case for ASCII letters only.
        others = Circle.objects.filter(owner=self.owner).exclude(pk=self.instance.pk)
        if fold(name) in {fold(other) for other in others.values_list("name", flat=True)}:
            raise forms.ValidationError("You already have a circle with this name.")
        return name


class MyInterestsForm(forms.Form):
    default_renderer = FAST_RENDERER

    interests = forms.CharField(
        label="Your interests",
        required=False,
        max_length=2000,
        help_text="Separated by commas, e.g. jazz, climbing, Lisbon. "
        "People who share them are highlighted.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_interests(self) -> str:
        value = self.cleaned_data["interests"]
        too_long = [name.strip() for name in value.split(",") if len(name.strip()) > 80]
        if too_long:
            raise forms.ValidationError(
                f"Keep each interest under 80 characters (“{too_long[0][:30]}…” is longer)."
            )
        return value

    def names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["interests"].split(",") if name.strip()]
