"""The owned admin: every user may manage their own rows in the admin, and only their own.

This applies to superusers too: the instance owner sees their own contacts, not their family's
notes. Only superusers manage user accounts.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from network_crm.owned import is_owned_model


class OwnedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that lists only the requesting user's rows."""

    def field_choices(self, field, request, model_admin):
        related_model = field.related_model
        if not is_owned_model(related_model):
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [
            (obj.pk, str(obj))
            for obj in related_model._default_manager.filter(owner=request.user).order_by(
                *(ordering or ())
            )
        ]


class OwnedTabularInline(admin.TabularInline):
    """Inline rows of an owned model, editable by the owner of the parent (scoped by owner)."""

    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or obj.owner_id == request.user.pk)

    has_change_permission = has_delete_permission = has_add_permission = has_view_permission


class OwnedAdmin(admin.ModelAdmin):
    """Base for every model with an ``owner``: querysets, choices and filters scoped to it."""

    exclude = ("owner",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and self._is_owned_relation(entry):
                filters.append((entry, OwnedRelatedFieldListFilter))
            else:
                filters.append(entry)
        return filters

    def _is_owned_relation(self, field_name: str) -> bool:
        field = self.model._meta.get_field(field_name)
        return bool(
            field.is_relation and field.related_model and is_owned_model(field.related_model)
        )

    def _scope(self, formfield, request):
        queryset = getattr(formfield, "queryset", None)
        if queryset is not None and is_owned_model(queryset.model):
            formfield.queryset = queryset.filter(owner=request.user)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scope(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._scope(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a contact's emails, dates...) belong to the same owner."""
        for obj in formset.save(commit=False):
            obj.owner = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    # Every active user manages their own rows; the queryset above is what keeps them apart.
    def has_module_permission(self, request):
        return request.user.is_active

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or obj.owner_id == request.user.pk)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return request.user.is_active


class CRMAdminSite(admin.AdminSite):
    site_header = "network-crm admin"
    site_title = "network-crm admin"
    index_title = "Your data"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_authenticated

    def login(self, request, extra_context=None):
        # The admin signs in through the app's login page, which asks for the two-factor code;
        # the admin's own form would log someone in on a password alone.
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse("login"))
