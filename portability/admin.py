"""Portability's actions on the contacts admin (registered from here: contacts can't import
portability): export the selection, and merge two selected people on the merge screen."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.http import StreamingHttpResponse
from django.shortcuts import redirect

from contacts.models import Contact
from network_crm.admin import ActionForm, admin_action_register, confirmed_action
from network_crm.text import people
from portability.exports import export_chunks
from portability.formats import EXPORT_FORMATS, export_filename

FORMAT_CHOICES = [
    ("vcard", "vCard 4.0 (phones, most address books)"),
    ("vcard3", "vCard 3.0 (older phones, Apple)"),
    ("csv", "CSV for spreadsheets"),
    ("google", "CSV for Google Contacts"),
]


class ExportForm(ActionForm):
    format = forms.ChoiceField(
        label="Format",
        choices=FORMAT_CHOICES,
        initial="vcard",
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist"}),
    )


@confirmed_action(
    description="Export…",
    title="Export",
    button="Download {who}",
    explanation="A file to download; nothing in your contacts changes.",
    form_class=ExportForm,
    noun=people,
    verb="exports",
)
def export_selection(modeladmin, request, queryset, form):
    export_format = form.cleaned_data["format"]
    contacts = Contact.objects.filter(owner=request.user, pk__in=queryset.values("pk"))
    response = StreamingHttpResponse(
        export_chunks(contacts, export_format),
        content_type=EXPORT_FORMATS[export_format].content_type,
    )
    filename = export_filename("network-crm-selection", export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.action(description="Merge two people…")
def merge_two(modeladmin, request, queryset):
    """The merge screen compares them field by field and asks before merging; its Undo is on the
    duplicates page it leads to."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:3])
    if len(pks) != 2:
        count = queryset.count()
        modeladmin.message_user(
            request,
            f"Merging takes exactly two people; you selected {count} {people(count)}.",
            messages.WARNING,
        )
        return None
    return redirect("portability:merge", pk=pks[0], other_pk=pks[1])


admin_action_register(Contact, export_selection)
admin_action_register(Contact, merge_two)
