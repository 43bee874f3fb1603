from __future__ import annotations

import datetime as dt
import functools

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import get_language

from contacts import services
from contacts.admin_actions import CONTACT_ACTIONS
from contacts.admin_filters import CityFilter, LastContactFilter, NoneNamedFilter, StatusFilter
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_INTERESTS_PER_OWNER, MAX_METHODS_PER_CONTACT
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.selectors import contacts_matching
from network_crm import dates
from network_crm.admin import (
    MAX_SEARCH_WORDS,
    ActionDone,
    ActionForm,
    FastRowsMixin,
    OwnedAdmin,
    OwnedTabularInline,
    confirmed_action,
)
from network_crm.admin_undo import UndoableAdmin
from network_crm.clock import local_today
from network_crm.dates import format_date
from network_crm.text import fold, people


def shown_date(day: dt.date | None) -> str | None:
    """``day`` as the app's pages write it, in the user's own date format ("23 Nov 2026",
    "Nov 23, 2026"...: network_crm/dates.py); None shows as the admin's empty value."""
    return _medium_date(day, dates.current(), get_language()) if day else None


@functools.lru_cache(maxsize=4096)
def _medium_date(day: dt.date, locale: dates.DateLocale, language: str | None) -> str:
    # The changelist writes two dates on each of its 100 rows; Django's date formatting costs
    # more than the rest of the cell, and a day is written the same way for the same locale.
    return format_date(day, "medium", locale)


class RenameCircleForm(ActionForm):
    name = forms.CharField(label="Name", max_length=80, widget=widgets.AdminTextInputWidget)
    cadence_days = forms.IntegerField(
        label="Reach out every (days)",
        required=False,
        min_value=1,
        max_value=3650,
        widget=widgets.AdminIntegerFieldWidget,
        help_text="Empty: no reminders for its people, unless they have a rhythm of their own.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        circle = self.selection.first()
        if circle is not None and not self.is_bound:
            self.initial = {"name": circle.name, "cadence_days": circle.cadence_days}

    def clean(self):
        cleaned = super().clean()
        if self.selection.count() != 1:
            raise forms.ValidationError("Pick one circle to rename.")
        name = " ".join(cleaned.get("name", "").split())
        taken = Circle.objects.filter(owner=self.owner, name__iexact=name)
        if name and taken.exclude(pk=self.selection.get().pk).exists():
            self.add_error("name", "You already have a circle with that name.")
        cleaned["name"] = name
        return cleaned


@confirmed_action(
    description="Rename and re-time…",
    title="Rename a circle",
    button="Save the circle",
    explanation=(
        "A new rhythm re-times everyone in the circle who follows it: their next reminder is "
        "worked out again from their last contact."
    ),
    form_class=RenameCircleForm,
    noun=lambda count: "circle" if count == 1 else "circles",
)
def rename_circle(modeladmin, request, queryset, form):
    circle = queryset.get()
    before = {"pk": circle.pk, "name": circle.name, "cadence_days": circle.cadence_days}
    members = services.circle_rename(
        circle=circle,
        name=form.cleaned_data["name"],
        cadence_days=form.cleaned_data["cadence_days"],
    )
    undo_url = modeladmin.undo_remember(request, kind="rename", payload=before)
    return ActionDone(_circle_sentence(before, circle, members), undo_url=undo_url)


def _circle_sentence(before: dict, circle: Circle, members: int) -> str:
    parts = []
    if before["name"] != circle.name:
        parts.append(f"Renamed “{before['name']}” to “{circle.name}”")
    if before["cadence_days"] != circle.cadence_days:
        rhythm = f"every {circle.cadence_days} days" if circle.cadence_days else "no rhythm"
        parts.append(
            f"set “{circle.name}” to {rhythm} and re-timed its {members} {people(members)}"
        )
    sentence = "; ".join(parts) or f"“{circle.name}” is unchanged"
    return sentence[:1].upper() + sentence[1:] + "."


@admin.register(Circle)
class CircleAdmin(UndoableAdmin, OwnedAdmin):
    list_display = ["name", "cadence_days", "members"]
    list_editable = ["cadence_days"]
    search_fields = ["name"]
    actions = [rename_circle]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("contacts"))

    @admin.display(description="People", ordering="member_count")
    def members(self, circle: Circle) -> int:
        return circle.member_count

    def save_model(self, request, obj, form, change):
        obj.owner_id = obj.owner_id or request.user.pk
        services.circle_save(circle=obj)

    # Deleting goes through the app's service, like the circles page: its people are re-timed
    # and marked changed (their phone cards lose the circle).
    def delete_model(self, request, obj):
        services.circle_delete(circle=obj)

    def delete_queryset(self, request, queryset):
        for circle in queryset:
            services.circle_delete(circle=circle)

    def undo_rename(self, request, before: dict) -> str:
        circle = Circle.objects.filter(owner=request.user, pk=before["pk"]).first()
        if circle is None:
            return "That circle was deleted since: nothing to undo."
        if (
            Circle.objects.filter(owner=request.user, name__iexact=before["name"])
            .exclude(pk=circle.pk)
            .exists()
        ):
            return f"Another circle is called “{before['name']}” now: nothing was undone."
        services.circle_rename(
            circle=circle, name=before["name"], cadence_days=before["cadence_days"]
        )
        return f"Undone: “{circle.name}” is back as it was."


class MergeInterestsForm(ActionForm):
    keep = forms.ModelChoiceField(
        label="Keep",
        queryset=Interest.objects.none(),
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
        empty_label=None,
        help_text="Everyone with one of the others gets this one; the others are deleted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = self.selection.order_by("folded_name")

    def clean(self):
        cleaned = super().clean()
        if self.selection.count() < 2:
            raise forms.ValidationError("Pick at least two interests to merge.")
        return cleaned


@confirmed_action(
    description="Merge into one…",
    title="Merge interests",
    button="Merge {who}",
    explanation="Nobody gets an interest twice; “I'm into this too” stays if any of them had it.",
    form_class=MergeInterestsForm,
    noun=lambda count: "interest" if count == 1 else "interests",
)
def merge_interests(modeladmin, request, queryset, form):
    keep = form.cleaned_data["keep"]
    merged = services.interests_merge(owner=request.user, keep=keep, others=list(queryset))
    names = ", ".join(f"“{item['name']}”" for item in merged["removed"])
    undo_url = modeladmin.undo_remember(request, kind="merge", payload=merged)
    return ActionDone(
        f"Merged {names} into “{keep.name}”: {len(merged['added_to_kept'])} "
        f"{people(len(merged['added_to_kept']))} gained it.",
        undo_url=undo_url,
    )


@admin.register(Interest)
class InterestAdmin(UndoableAdmin, OwnedAdmin):
    list_display = ["name", "mine", "sharers"]
    search_fields = ["name", "folded_name"]
    actions = [merge_interests]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sharer_count=Count("contacts"))

    @admin.display(description="People", ordering="sharer_count")
    def sharers(self, interest: Interest) -> int:
        return interest.sharer_count

    def get_search_results(self, request, queryset, search_term):
        # Folded like the app's interests page: "jazz" finds "Jázz".
        return super().get_search_results(request, queryset, fold(search_term))

    def undo_merge(self, request, merged: dict) -> str:
        count = services.interests_merge_undo(owner=request.user, merge=merged)
        return f"Undone: {count} interest{'s' if count != 1 else ''} back, with their people."

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            return form

        class NewInterestForm(form):
            def clean(self):
                # The same per-account limit as every other way of adding one (contacts.limits).
                if Interest.objects.filter(owner=request.user).count() >= MAX_INTERESTS_PER_OWNER:
                    raise ValidationError(str(services.InterestLimitReached()))
                return super().clean()

        return NewInterestForm


class ContactMethodInline(OwnedTabularInline):
    model = ContactMethod
    fields = ["kind", "label", "value"]
    # Like the app's edit page: a person stored with more rows (before the import limits) gets
    # the first ones to edit, and the rest are kept untouched, so the page stays small.
    shown = MAX_METHODS_PER_CONTACT


class ImportantDateInline(OwnedTabularInline):
    model = ImportantDate
    fields = ["kind", "label", "day", "month", "year"]
    shown = MAX_DATES_PER_CONTACT


@admin.register(Contact)
class ContactAdmin(FastRowsMixin, OwnedAdmin):
    inlines = [ContactMethodInline, ImportantDateInline]
    list_display = ["name", "circle", "cadence_days", "last_contact", "next_reach_out"]
    # Saved through save_model below, i.e. contacts.services.contact_save: the due date follows.
    # The circle's choices are the user's own circles (OwnedAdmin.formfield_for_foreignkey).
    list_editable = ["circle", "cadence_days"]
    # The circle column is a menu of the user's circles: a row needs its circle_id, not the
    # circle (an empty list, not False: False would join every relation list_display names).
    list_select_related = []
    list_only = [
        "owner",
        "name",
        "circle",
        "cadence_days",
        "last_interaction_on",
        "next_reach_out_on",
        "archived",
        "paused",
    ]
    list_filter = [
        ("circle", NoneNamedFilter),
        StatusFilter,
        ("interests", NoneNamedFilter),
        CityFilter,
        LastContactFilter,
    ]
    # The box searches like the app's list (contacts.selectors.contacts_matching); see below.
    search_fields = ["search_text"]
    search_help_text = (
        "Names, notes, emails, phones and interests; accents and apostrophes ignored."
    )
    autocomplete_fields = ["interests"]
    readonly_fields = [
        "added_on",
        "last_interaction_on",
        "next_reach_out_on",
        "cadence_restarted_on",
    ]
    actions = CONTACT_ACTIONS

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is not None and obj.pk and getattr(inline, "shown", None):
            rows = inline.get_queryset(request).filter(contact=obj)
            first = list(rows.order_by("pk").values_list("pk", flat=True)[: inline.shown])
            kwargs["queryset"] = rows.filter(pk__in=first)
        return kwargs

    def get_list_display(self, request):
        # The same functions for every call in a request: Django compares them (sortable_by).
        cached = request.__dict__.get("_contact_list_display")
        if cached is None:
            cached = request.__dict__["_contact_list_display"] = self._list_display(request)
        return list(cached)

    def _list_display(self, request):
        today = local_today(request.user)
        # The two date columns, with the user's date style and language read once for the
        # page's 100 rows rather than in each cell (same labels, sorting and markup as the
        # methods below, which list_display names).
        locale, language = dates.current(), get_language()

        def day(value: dt.date | None) -> str | None:
            return _medium_date(value, locale, language) if value else None

        @admin.display(description="Last contact", ordering="last_interaction_on")
        def last_contact(contact: Contact) -> str | None:
            return day(contact.last_interaction_on)

        @admin.display(description="Next reach-out", ordering="next_reach_out_on")
        def next_reach_out(contact: Contact) -> str | None:
            return day(contact.next_reach_out_on)

        columns = {"last_contact": last_contact, "next_reach_out": next_reach_out}

        @admin.display(description="Status")
        def status(contact: Contact) -> str:
            # The one "is due" rule (Contact.is_due), on the user's local date.
            if contact.archived:
                return "Archived"
            if contact.paused:
                return "Paused"
            if contact.is_due(today):
                return "Overdue" if contact.next_reach_out_on < today else "Due"
            return ""

        shown = [columns.get(name, name) for name in super().get_list_display(request)]
        return [*shown, status]

    def get_changelist_formset(self, request, **kwargs):
        # The list's circle menu is a plain menu: the edit/add/delete/view icons Django puts
        # beside a relation would take a row's room four times over.
        def formfield(db_field, **field_kwargs):
            field = self.formfield_for_dbfield(db_field, request=request, **field_kwargs)
            if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
                field.widget = field.widget.widget
                field.empty_label = "No circle"
            return field

        return super().get_changelist_formset(request, formfield_callback=formfield, **kwargs)

    @admin.display(description="Last contact", ordering="last_interaction_on")
    def last_contact(self, contact: Contact) -> str:
        return shown_date(contact.last_interaction_on)

    @admin.display(description="Next reach-out", ordering="next_reach_out_on")
    def next_reach_out(self, contact: Contact) -> str:
        return shown_date(contact.next_reach_out_on)

    def get_search_results(self, request, queryset, search_term):
        matching = contacts_matching(
            queryset, owner=request.user, query=search_term, max_words=MAX_SEARCH_WORDS
        )
        return matching, False

    def save_model(self, request, obj, form, change):
        obj.owner_id = obj.owner_id or request.user.pk
        services.contact_save(contact=obj, today=local_today(request.user))

    # Deleting (one, or Django's "Delete selected") goes through the app's service: photos go
    # with them and interactions left with nobody are deleted and their days recounted.
    def delete_model(self, request, obj):
        services.contacts_bulk_delete(owner=request.user, contact_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.contacts_bulk_delete(
            owner=request.user, contact_ids=queryset.values_list("pk", flat=True)
        )
