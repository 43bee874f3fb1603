from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from contacts import services
from contacts.admin_actions import CONTACT_ACTIONS
from contacts.admin_filters import CircleFilter, CityFilter, LastContactFilter, StatusFilter
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_INTERESTS_PER_OWNER, MAX_METHODS_PER_CONTACT
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.selectors import contacts_matching
from network_crm.admin import MAX_SEARCH_WORDS, OwnedAdmin, OwnedTabularInline
from network_crm.clock import local_today

# Dates in the admin's lists, day first like the app's own pages ("23 Nov 2026"): one place to
# change when the user's date setting arrives.
ADMIN_DATE_FORMAT = "j M Y"


def shown_date(day: dt.date | None) -> str | None:
    """``day`` in the admin's format; None shows as the admin's empty value."""
    return date_format(day, ADMIN_DATE_FORMAT) if day else None


@admin.register(Circle)
class CircleAdmin(OwnedAdmin):
    list_display = ["name", "cadence_days"]
    list_editable = ["cadence_days"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        obj.owner_id = obj.owner_id or request.user.pk
        services.circle_save(circle=obj)


@admin.register(Interest)
class InterestAdmin(OwnedAdmin):
    list_display = ["name"]
    search_fields = ["name", "folded_name"]

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
class ContactAdmin(OwnedAdmin):
    inlines = [ContactMethodInline, ImportantDateInline]
    list_display = ["name", "circle", "cadence_days", "last_contact", "next_reach_out"]
    # Saved through save_model below, i.e. contacts.services.contact_save: the due date follows.
    # The circle's choices are the user's own circles (OwnedAdmin.formfield_for_foreignkey).
    list_editable = ["circle", "cadence_days"]
    list_select_related = ["circle"]
    list_filter = [
        ("circle", CircleFilter),
        StatusFilter,
        "interests",
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
        today = local_today(request.user)

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

        return [*super().get_list_display(request), status]

    def get_changelist_formset(self, request, **kwargs):
        # The list's circle menu is a plain menu: the edit/add/delete/view icons Django puts
        # beside a relation would take a row's room four times over.
        def formfield(db_field, **field_kwargs):
            field = self.formfield_for_dbfield(db_field, request=request, **field_kwargs)
            if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
                field.widget = field.widget.widget
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
