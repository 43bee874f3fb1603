"""Names for the admin's form controls that the stock admin leaves unnamed (WCAG 2.1 A, 1.3.1
and 4.1.2, as axe checks them in tests/network_crm/test_accessibility_axe_browser.py).

The stock admin labels a field with a ``<label for>`` on change forms, but not in three places:
the cells of a tabular inline and of a changelist's ``list_editable`` columns (a column header
names them for the eye only), and the file input of a clearable file field (inside a fieldset
whose legend does not name it). Those controls get an ``aria-label`` here. The autocomplete
fields' search boxes are drawn by Select2 in the browser: static/admin/crm/a11y.js names them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from network_crm.admin import CRMAdminSite


def _name_controls(form: forms.BaseForm, *, row: str = "") -> None:
    for field in form.fields.values():
        if not field.widget.is_hidden:
            label = str(field.label or "")
            field.widget.attrs["aria-label"] = f"{label} for {row}" if row else label


def _with_named_controls(formset_class, *, name_rows: bool = False):
    """``formset_class`` whose every form names its controls after their fields' labels (and,
    with ``name_rows``, after the row's object, as "Reach out every (days) for Close friends" on
    a changelist)."""

    class NamedControlsFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            row = str(form.instance) if name_rows and form.instance.pk else ""
            _name_controls(form, row=row)

    NamedControlsFormSet.__name__ = formset_class.__name__
    return NamedControlsFormSet


class AccessibleAdminMixin:
    """Mixed into every ModelAdmin on the site (see ``AccessibleAdminSite`` below)."""

    class Media:
        js = ["admin/crm/a11y.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, forms.ClearableFileInput):
            formfield.widget.attrs.setdefault("aria-label", str(formfield.label or ""))
        return formfield

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        return _with_named_controls(formset, name_rows=True)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if isinstance(inline, admin.TabularInline):
                formset = _with_named_controls(formset)
            yield formset, inline


class AccessibleAdminSite(CRMAdminSite):
    """The project's admin site (network_crm/apps.py names it): CRMAdminSite, whose every
    ModelAdmin, Django's and other packages' included, also gets AccessibleAdminMixin."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AccessibleAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AccessibleAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
