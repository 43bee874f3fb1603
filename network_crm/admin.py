"""The owned admin: every user may manage their own rows in the admin, and only their own.

This applies to superusers too: the instance owner sees their own contacts, not their family's
notes. Only superusers manage user accounts.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.text import smart_split

from network_crm.owned import is_owned_model

# An admin search uses this many words at most: each word is one more condition per search
# field, and a thousand of them make SQLite refuse the query ("Expression tree is too large").
MAX_SEARCH_WORDS = 20


class SafeQueryAdminMixin:
    """Mixed into every ModelAdmin on the site (see ``CRMAdminSite.register``).

    The changelist takes only the query parameters its own filters and date hierarchy produce:
    Django's default also takes any lookup on a local field, so ``?name__regex=^(a+)+$`` ran a
    regular expression of the visitor's choosing against every row (minutes of CPU per request)
    and ``?name__regex=[`` a broken one (a 500). A refused lookup answers 400 (Django raises
    ``DisallowedModelAdminLookup``, a SuspiciousOperation). Searches use the first
    ``MAX_SEARCH_WORDS`` words.
    """

    def lookup_allowed(self, lookup, value, request):
        # Raw-id popups filter by the relation's limit_choices_to, as Django allows them to.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return lookup in self._filter_parameters(request)

    def _filter_parameters(self, request) -> set[str]:
        """The query parameters this admin's list filters and date hierarchy read."""
        cache = request.__dict__.setdefault("_admin_filter_parameters", {})
        if self not in cache:
            allowed = set()
            for item in self.get_list_filter(request):
                if isinstance(item, (list, tuple)):
                    field_path, filter_class = item
                elif isinstance(item, str):
                    field_path, filter_class = item, FieldListFilter.create
                else:  # a SimpleListFilter subclass
                    allowed.update(item(request, {}, self.model, self).expected_parameters())
                    continue
                field = get_fields_from_path(self.model, field_path)[-1]
                spec = filter_class(field, request, {}, self.model, self, field_path=field_path)
                allowed.update(spec.expected_parameters())
            if self.date_hierarchy:
                allowed.update(
                    f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")
                )
            cache[self] = allowed
        return cache[self]

    def get_search_results(self, request, queryset, search_term):
        words = list(smart_split(search_term))
        if len(words) > MAX_SEARCH_WORDS:
            search_term = " ".join(words[:MAX_SEARCH_WORDS])
        return super().get_search_results(request, queryset, search_term)


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


class OwnedAdmin(SafeQueryAdminMixin, admin.ModelAdmin):
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

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin on this site, Django's and other packages' included, gets the safe lookups
        # and the bounded search.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeQueryAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeQueryAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        # "View on site" (/admin/r/<content type>/<id>/) redirects only to the requester's own
        # rows: Django's version redirects for anyone's id and 404s for a missing one, which
        # tells a visitor which ids exist in other accounts.
        urls = super().get_urls()
        own = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [own if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponseRedirect:
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404("No such page.") from None
        if model is None or not is_owned_model(model) or not hasattr(model, "get_absolute_url"):
            raise Http404("No such page.")
        try:
            obj = model._default_manager.filter(owner=request.user).get(pk=object_id)
        except (model.DoesNotExist, ValueError, ValidationError):
            raise Http404("No such page.") from None
        return HttpResponseRedirect(obj.get_absolute_url())

    def has_permission(self, request):
        return request.user.is_active and request.user.is_authenticated

    def login(self, request, extra_context=None):
        # The admin signs in through the app's login page, which asks for the two-factor code;
        # the admin's own form would log someone in on a password alone.
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse("login"))
