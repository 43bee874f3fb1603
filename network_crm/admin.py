"""The owned admin: every user may manage their own rows in the admin, and only their own.

This applies to superusers too: the instance owner sees their own contacts, not their family's
notes. Only superusers manage user accounts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation, IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.text import smart_split
from django.utils.translation import gettext as _

from network_crm.admin_chrome import filters_html, nav_sidebar_html
from network_crm.admin_rows import fast_result_list
from network_crm.form_renderer import FAST_RENDERER
from network_crm.owned import OwnedForm, is_owned_model

# How many of the selected rows a confirmation page names ("Ann, Bob, Carl and 9 more").
NAMED_ON_CONFIRMATION = 8

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


# --- Confirmed actions --------------------------------------------------------------------------
#
# An action on many rows first shows what it will do, to how many and to whom, with the fields
# it needs (which circle, which interest); only "Confirm" changes anything, through the app's own
# service, and the message it leaves on the list can carry an Undo button
# (templates/admin/base_site.html). The selection travels as Django's own action fields, so the
# confirmation posts back to the changelist with its filters and search in the URL and
# ``select_across`` ("select all N matching") means every row matching them, on every page.


@dataclass(frozen=True)
class ActionDone:
    """What a confirmed action did: the sentence for the message and, if it can be undone, the
    URL its Undo button posts to (with ``next``: the page showing the message)."""

    message: str
    undo_url: str | None = None
    level: int = messages.SUCCESS


# base_site.html reads this prefix (its slice:":5") to find the URL.
UNDO_TAG = "undo="


def message_with_undo(request: HttpRequest, done: ActionDone) -> None:
    """Leave ``done`` as a message; its Undo URL rides in the message's extra tags (what a
    message keeps between requests) and base_site.html turns it into a button."""
    tags = f"{UNDO_TAG}{done.undo_url}" if done.undo_url else ""
    messages.add_message(request, done.level, done.message, extra_tags=tags)


class ActionForm(OwnedForm):
    """The fields a confirmed action asks for. Choices are scoped to the owner (OwnedForm);
    ``selection`` is the queryset the action will change, for choices that depend on it."""

    def __init__(self, *args: Any, selection: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selection = selection


ActionFunction = Callable[[admin.ModelAdmin, HttpRequest, QuerySet, Any], Any]


def confirmed_action(
    *,
    description: str,
    title: str,
    button: str,
    explanation: str | Callable[[QuerySet], str] = "",
    form_class: type[ActionForm] | None = None,
    noun: Callable[[int], str] | None = None,
    verb: str = "changes",
) -> Callable[[ActionFunction], Callable]:
    """Make ``function(modeladmin, request, queryset, form)`` an admin action that asks first.

    The first POST (from the changelist's action bar) renders
    admin/network_crm/confirmed_action.html: ``title``, how many rows and a few of them by name,
    ``explanation`` (text, or a function of the queryset), the fields of ``form_class``, and
    ``button`` ("Move {who}": ``{who}`` is "12 people", ``{count}`` the number); the page says
    "This ``verb`` 12 people" ("changes"; an export "exports"). Its "Confirm"
    posts again with ``confirmed=yes``: a valid form calls ``function``, which does the work
    through a service and returns an ``ActionDone`` (a message, maybe an Undo) or a response of
    its own (a download); a ``ValidationError`` it raises goes back to the page. The queryset is
    Django's (changelist filters, search, ``select_across``), itself the admin's owner-scoped
    ``get_queryset``: ids of someone else's rows are simply not in it.
    """

    def decorator(function: ActionFunction) -> Callable:
        @functools.wraps(function)
        def action(modeladmin, request, queryset):
            count = queryset.count()
            if count == 0:
                modeladmin.message_user(
                    request, "None of the selected rows can be changed.", messages.WARNING
                )
                return None
            confirmed = request.POST.get("confirmed") == "yes"
            form = None
            if form_class is not None:
                data = request.POST if confirmed else None
                form = form_class(data, owner=request.user, selection=queryset)
            if confirmed and (form is None or form.is_valid()):
                try:
                    result = function(modeladmin, request, queryset, form)
                except forms.ValidationError as error:
                    if form is None:
                        raise
                    form.add_error(None, error)
                else:
                    if isinstance(result, HttpResponseBase):
                        return result
                    if isinstance(result, ActionDone):
                        message_with_undo(request, result)
                    return HttpResponseRedirect(request.get_full_path())
            return _confirmation_page(
                modeladmin,
                request,
                queryset,
                name=action.__name__,
                count=count,
                form=form,
                title=title,
                button=button,
                explanation=explanation(queryset) if callable(explanation) else explanation,
                noun=noun,
                verb=verb,
            )

        return admin.action(description=description)(action)

    return decorator


def _confirmation_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    name: str,
    count: int,
    form: ActionForm | None,
    title: str,
    button: str,
    explanation: str,
    noun: Callable[[int], str] | None,
    verb: str,
) -> TemplateResponse:
    opts = modeladmin.model._meta
    word = noun(count) if noun else (opts.verbose_name if count == 1 else opts.verbose_name_plural)
    who = f"{count:,} {word}"
    select_across = request.POST.get("select_across") == "1"
    named = [str(obj) for obj in queryset[:NAMED_ON_CONFIRMATION]]
    if select_across:
        # Every matching row, found again from the filters in the URL on confirm: the few
        # ticked ids only keep Django's "a selection was posted" check happy.
        carried = [str(pk) for pk in queryset.values_list("pk", flat=True)[:1]]
    else:
        carried = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "subtitle": None,
        "who": who,
        "verb": verb,
        "count": count,
        "named": named,
        "more": count - len(named),
        "explanation": explanation,
        "adminform": helpers.AdminForm(
            form, [(None, {"fields": list(form.fields)})], {}, model_admin=modeladmin
        )
        if form is not None
        else None,
        "media": modeladmin.media + (form.media if form is not None else forms.Media()),
        "button": button.format(who=who, count=f"{count:,}"),
        "action_name": name,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": carried,
        "select_across": select_across,
        # "Select all" on a list narrowed by filters or a search, or on the whole list.
        "narrowed": bool(set(request.GET) - {"p", "o"}),
        "form_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/network_crm/confirmed_action.html", context)


# Actions that an app higher up adds to a lower app's admin (portability's export and merge on
# contacts), the way sections compose pages: registered in that app's admin module, read by
# OwnedAdmin.get_actions.
_registered_actions: dict[type[Model], dict[str, Callable]] = {}


def admin_action_register(model: type[Model], action: Callable) -> None:
    """Offer ``action`` (a function, e.g. a ``confirmed_action``) on ``model``'s changelist."""
    _registered_actions.setdefault(model, {})[action.__name__] = action


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


def _shared_choices_formset(formset_class):
    """``formset_class`` whose forms render with FAST_RENDERER and share one list of choices
    per menu: Django copies a ModelChoiceField into each form with a fresh queryset, so a
    changelist's circle menu was read once per row (100 queries for 100 rows)."""

    class SharedChoicesFormSet(formset_class):
        renderer = FAST_RENDERER

        def _construct_form(self, i, **kwargs):
            if i == 0:
                for field in self.form.base_fields.values():
                    if isinstance(field, forms.ModelChoiceField) and not hasattr(field, "_choices"):
                        # Not list(): it asks the iterator's length first, a COUNT query.
                        field.choices = [choice for choice in field.choices]
            return super()._construct_form(i, **kwargs)

        # Django asks the first of ``forms`` for these, which builds every row's form; a page
        # whose rows network_crm/admin_rows.py writes needs none of them. Every row's form has
        # the same fields and widgets (FastRowsMixin checks that the user may change each row).
        @functools.cached_property
        def _first_form(self):
            return self._construct_form(0, **self.get_form_kwargs(0))

        def _one_form(self):
            if "forms" in self.__dict__ or self.is_bound or not self.total_form_count():
                return None
            return self._first_form

        @property
        def media(self):
            form = self._one_form()
            return super().media if form is None else form.media

        def is_multipart(self):
            form = self._one_form()
            return super().is_multipart() if form is None else form.is_multipart()

        def __getitem__(self, index):
            # The template's ``cl.formset.errors`` tries ``formset["errors"]`` first, which
            # Django answers by building every row's form and indexing the list with a string.
            if isinstance(index, str):
                raise TypeError("formset indices must be integers or slices, not str")
            return super().__getitem__(index)

    SharedChoicesFormSet.__name__ = formset_class.__name__
    return SharedChoicesFormSet


class FastActionForm(helpers.ActionForm):
    """Django's action bar, its menu written by FAST_RENDERER (the same markup)."""

    default_renderer = FAST_RENDERER


class OwnedAdmin(SafeQueryAdminMixin, admin.ModelAdmin):
    """Base for every model with an ``owner``: querysets, choices and filters scoped to it."""

    exclude = ("owner",)
    action_form = FastActionForm

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        extra = (
            self.get_action(function, action_location)
            for function in _registered_actions.get(self.model, {}).values()
        )
        extra = self._filter_actions_by_permissions(request, [a for a in extra if a])
        return {**actions, **{action.name: action for action in extra}}

    def get_changelist_formset(self, request, **kwargs):
        return _shared_choices_formset(super().get_changelist_formset(request, **kwargs))

    def action_checkbox(self, obj):
        """Django's checkbox column, its markup written without the template engine."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        checkbox = forms.CheckboxInput(
            {"class": "action-select", "aria-label": label}, lambda value: False
        )
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk), renderer=FAST_RENDERER)

    def action_checkbox_writer(self) -> Callable[[Model, str], str]:
        """``action_checkbox`` for a page of rows (network_crm/admin_rows.py): the same markup
        (tested equal), the label translated once; the function takes the row and its text."""
        label = _("Select this object for an action - {}")
        name = escape(helpers.ACTION_CHECKBOX_NAME)

        def write(obj: Model, text: str) -> str:
            return (
                f'<input type="checkbox" name="{name}" value="{escape(str(obj.pk))}"'
                f' class="action-select" aria-label="{label.format(escape(text))}">'
            )

        return write

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


def _fast_changelist(changelist: type[ChangeList], only: list[str] | None) -> type[ChangeList]:
    class FastChangeList(changelist):
        def get_results(self, request):
            narrowed = self.query or self.get_filters_params()
            if narrowed or not self.model_admin.show_full_result_count:
                super().get_results(request)
            else:
                self._results_of_the_whole_list(request)
            if only:
                self.result_list = self.result_list.only(*only)

        def _results_of_the_whole_list(self, request):
            # Django 6.1's ChangeList.get_results when no filter, search or lookup narrows the
            # list: the list is the root queryset (FastRowsMixin's filters filter nothing
            # unless chosen), so its count is the "N total" too, and is read once, not twice.
            paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
            result_count = paginator.count
            self.result_count = result_count
            self.full_result_count = result_count
            self.show_full_result_count = True
            self.show_admin_actions = bool(result_count)
            self.can_show_all = result_count <= self.list_max_show_all
            self.multi_page = result_count > self.list_per_page
            if (self.show_all and self.can_show_all) or not self.multi_page:
                self.result_list = self.queryset._clone()
            else:
                try:
                    self.result_list = paginator.page(self.page_num).object_list
                except InvalidPage:
                    raise IncorrectLookupParameters from None
            self.paginator = paginator

    FastChangeList.__name__ = changelist.__name__
    return FastChangeList


class FastRowsMixin:
    """For an admin whose changelist shows many rows: they are written by
    network_crm/admin_rows.py (same markup as Django's result list, a fraction of its time),
    and on a GET the ``list_editable`` formset builds no row form (Django builds one per row
    only to check the user may change it, and to ask the first for its media). The filter and
    navigation sidebars are written by network_crm/admin_chrome.py; the rows are loaded with
    ``list_only``'s columns; a list that no filter, search or lookup narrows is counted once, so
    an admin using this must have no list filter that filters when it is not chosen."""

    change_list_template = "admin/network_crm/change_list.html"
    # The model fields the page's rows read (list_display's fields, what its functions read,
    # the owner for the permission check), or None for whole rows. A page's rows are loaded with
    # only these: a whole Contact costs twice what its row does (bench/NOTES.md). A field left
    # out is still read, one query per row (tests count the page's queries at 3 and 40 rows).
    list_only: list[str] | None = None

    def get_changelist(self, request, **kwargs):
        return _fast_changelist(super().get_changelist(request, **kwargs), self.list_only)

    def get_changelist_form(self, request, **kwargs):
        # Django builds this form with every field of the model (a formfield_for_dbfield each,
        # the relations' querysets and widgets) for get_changelist_formset to keep only the
        # list_editable ones; the row forms are the same built from those alone.
        if kwargs.get("fields") is None:
            kwargs["fields"] = list(self.list_editable)
        return super().get_changelist_form(request, **kwargs)

    def _get_formset_with_permissions(self, request, queryset, for_save=False):
        if for_save or not all(self.has_change_permission(request, obj) for obj in queryset):
            return super()._get_formset_with_permissions(request, queryset, for_save=for_save)
        return self.get_changelist_formset(request)(queryset=queryset)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            context["fast_result_list"] = fast_result_list(context["cl"], request)
            context["fast_filters"] = filters_html(context["cl"])
            if "available_apps" in context:
                context["fast_nav_sidebar"] = nav_sidebar_html(
                    context["available_apps"], request.path
                )
        return response


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
