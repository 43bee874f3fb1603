from django.contrib import admin
from django.core.exceptions import ValidationError

from contacts import services
from contacts.admin_actions import CONTACT_ACTIONS
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_INTERESTS_PER_OWNER, MAX_METHODS_PER_CONTACT
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from network_crm.admin import OwnedAdmin, OwnedTabularInline


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
    list_display = [
        "name",
        "circle",
        "cadence_days",
        "last_interaction_on",
        "next_reach_out_on",
        "paused",
    ]
    list_filter = ["circle", "paused", "archived", "interests"]
    search_fields = ["search_text"]
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

    def get_search_results(self, request, queryset, search_term):
        from network_crm.text import fold

        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        from network_crm.clock import local_today

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
