"""A changelist's result rows written in Python, byte for byte as Django's ``{% result_list %}``.

Django builds one bound ModelForm per row for ``list_editable`` (100 of them, each copying its
fields), then writes every cell through ``items_for_result``: a lookup, ``format_html``, a
``reverse`` and the preserved filters for each link, each widget through its own BoundField.
At 100 rows that was most of the contact changelist's 120 ms (issue 21, bench/NOTES.md).

``FastRowsAdmin.changelist_view`` hands the page ``fast_result_list``, the same markup written
here once per row: a cell's layout (its class, link, how its value is shown) is worked out once
per column, the change link is reversed once with a marker id, and each editable control is
rendered once per distinct value through Django's own BoundField and widget, with markers for
the row's number and name, which each row fills in. Anything this does not cover (a bound
formset, i.e. a POST with errors; a popup; ``to_field``; a row the user may not change; a
many-to-many editable field...) leaves ``fast_result_list`` None and the template uses Django's
tag as before. tests/network_crm/admin/test_fast_rows.py compares both ways byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable
from typing import Any

from django.contrib.admin.templatetags.admin_list import (
    _coerce_field_name,
    result_headers,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    quote,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import ModelChoiceField
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

# Markers for what differs between rows in a control rendered once: its form's number and the
# row's name (in its aria-label, network_crm/admin_a11y.py) and, for the hidden id, the value.
# NUL can't be in the data (Django's forms refuse it, PostgreSQL can't store it) and escaping
# leaves it as it is.
ROW_NUMBER = "\x00n\x00"
ROW_NAME = "\x00r\x00"
ROW_VALUE = "\x00v\x00"
# A primary key no row has, reversed once into the change link and replaced by each row's.
_LINK_MARKER = "987654321987"

RESULTS_TEMPLATE = "admin/network_crm/change_list_results.html"


class _NotCovered(Exception):
    """The stock result list must write this page."""


def fast_result_list(cl, request) -> SafeString | None:
    """The HTML Django's ``{% result_list cl %}`` writes for ``cl``, or None when this
    changelist needs the stock tag."""
    try:
        return _render(cl, request)
    except _NotCovered:
        return None


def _render(cl, request) -> SafeString:
    formset = cl.formset
    if cl.is_popup or cl.to_field:
        raise _NotCovered
    if formset is not None and (formset.is_bound or "forms" in formset.__dict__):
        raise _NotCovered
    rows = list(cl.result_list)
    columns = _columns(cl, formset, rows)
    pk_attname = cl.lookup_opts.pk.attname
    parts = []
    hidden = []
    for number, obj in enumerate(rows):
        row = _Row(number, obj, pk_attname)
        parts.append("\n\n<tr>")
        parts.extend(column(row) for column in columns.cells)
        parts.append("</tr>\n")
        if columns.hidden is not None:
            hidden.append(columns.hidden(row))
    headers = list(result_headers(cl))
    context = {
        "cl": cl,
        "hidden": SafeString("".join(hidden)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "rows": SafeString("".join(parts)),
    }
    # Like the stock tag, in the page's context: no context processors run again.
    return SafeString(get_template(RESULTS_TEMPLATE).render(context))


class _Row:
    __slots__ = ("number", "obj", "pk", "_name", "_escaped_name")

    def __init__(self, number: int, obj, pk_attname: str) -> None:
        self.number = str(number)
        self.obj = obj
        self.pk = getattr(obj, pk_attname)
        self._name = None
        self._escaped_name = None

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = str(self.obj)
        return self._name

    @property
    def escaped_name(self) -> str:
        if self._escaped_name is None:
            self._escaped_name = html.escape(self.name)
        return self._escaped_name


class _Columns:
    def __init__(self) -> None:
        self.cells: list[Callable[[_Row], str]] = []
        self.hidden: Callable[[_Row], str] | None = None


def _columns(cl, formset, rows: list) -> _Columns:
    """One writer per column, as ``items_for_result`` would write that column's cells."""
    model_admin = cl.model_admin
    opts = cl.model._meta
    pk_name = opts.pk.name
    admin_empty = model_admin.get_empty_value_display()
    controls = _Controls(formset, rows) if formset is not None and rows else None
    if controls is not None and not controls.form.fields[pk_name].widget.is_hidden:
        raise _NotCovered
    columns = _Columns()
    first = True
    for index, field_name in enumerate(cl.list_display):
        classes = [f"field-{_coerce_field_name(field_name, index)}"]
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = field_name in cl.list_display_links
        value_of, field, attr = _lookup(field_name, opts, model_admin)
        empty = getattr(attr, "empty_value_display", admin_empty) if field is None else admin_empty
        editable = (
            controls is not None
            and field_name in controls.form.fields
            and not (field_name == pk_name and controls.form[pk_name].is_hidden)
        )
        if link:
            if editable:
                raise _NotCovered  # Django never makes a link column editable.
            columns.cells.append(
                _link_cell(cl, "th" if first else "td", classes, value_of, field, attr, empty)
            )
            first = False
        elif editable:
            if field is not None and isinstance(
                field, (models.DateField, models.TimeField, models.ForeignKey)
            ):
                classes.append("nowrap")
            columns.cells.append(controls.cell(field_name, f' class="{" ".join(classes)}"'))
        else:
            columns.cells.append(_value_cell(field_name, classes, value_of, field, attr, empty))
    if controls is not None:
        columns.hidden = controls.hidden_id
    return columns


def _lookup(field_name, opts, model_admin) -> tuple[Callable[[Any], Any], Any, Any]:
    """``lookup_field`` split in two: what it finds for the column (once), and a function of
    the row giving the value."""
    try:
        field = _get_non_gfk_field(opts, field_name)
    except FieldDoesNotExist:
        field = None
    except Exception:  # FieldIsAForeignKeyColumnName and anything else: the stock path.
        raise _NotCovered from None
    if field is not None:
        return (lambda obj: getattr(obj, field_name)), field, None
    if callable(field_name):
        return field_name, None, field_name
    if isinstance(field_name, str) and hasattr(model_admin, field_name) and field_name != "__str__":
        attr = getattr(model_admin, field_name)
        return attr, None, attr
    raise _NotCovered  # model attributes, properties and __ paths: the stock path


def _escape(text) -> str:
    """conditional_escape, for the values cells show (text, safe text, numbers...)."""
    if type(text) is str:
        return html.escape(text)
    return conditional_escape(text)


@functools.cache
def _plain_text(field) -> bool:
    """A field display_for_field shows as its stripped text (or the empty value)."""
    return (
        type(field) in (models.CharField, models.TextField)
        and field.name != "password"
        and not field.flatchoices
    )


def _display(value, field, attr, empty, avoid_link: bool):
    # display_for_field's and display_for_value's answers for the commonest values, without
    # their chains of tests; anything else goes to them.
    if field is None:
        if not getattr(attr, "boolean", False) and not isinstance(attr, property):
            if value is None:
                return empty
            if type(value) is str:
                value = value.strip()
                return value if value else empty
    elif type(value) is str and _plain_text(field):
        value = value.strip()
        return value if value else empty
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        return display_for_value(value, empty, boolean)
    if isinstance(field.remote_field, models.ManyToOneRel):
        return empty if value is None else value
    return display_for_field(value, field, empty, avoid_link=avoid_link)


def _nowrap(classes: list[str], field, value) -> str:
    classes = list(classes)
    if field is None or field.auto_created:
        if isinstance(value, (dt.date, dt.time)):
            classes.append("nowrap")
    elif isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
        classes.append("nowrap")
    return f' class="{" ".join(classes)}"'


def _value_cell(field_name, classes, value_of, field, attr, empty) -> Callable[[_Row], str]:
    if field is not None and field.auto_created:
        raise _NotCovered
    if field_name == "action_checkbox":
        classes = ["action-checkbox"]
        writer = getattr(getattr(attr, "__self__", None), "action_checkbox_writer", None)
        if writer is not None:
            write = writer()
            row_class = ' class="action-checkbox"'
            return lambda row: f"<td{row_class}>{write(row.obj, row.name)}</td>"
    fixed_class = None if field is None else _nowrap(classes, field, None)
    plain_class = _nowrap(classes, None, None)
    nowrap_class = _nowrap(classes, None, dt.date.min)

    def cell(row: _Row) -> str:
        value = value_of(row.obj)
        shown = _display(value, field, attr, empty, False)
        if fixed_class is not None:
            row_class = fixed_class
        else:
            row_class = nowrap_class if isinstance(value, (dt.date, dt.time)) else plain_class
        return f"<td{row_class}>{_escape(shown)}</td>"

    return cell


def _link_cell(cl, tag, classes, value_of, field, attr, empty) -> Callable[[_Row], str]:
    if field is not None and field.auto_created:
        raise _NotCovered
    fixed_class = None if field is None else _nowrap(classes, field, None)
    head, tail = _change_link(cl)

    def cell(row: _Row) -> str:
        value = value_of(row.obj)
        shown = _display(value, field, attr, empty, True)
        row_class = fixed_class or _nowrap(classes, None, value)
        if head is None or not isinstance(row.pk, int):
            try:
                url = cl.url_for_result(row.obj)
            except NoReverseMatch:
                return f"<{tag}{row_class}>{conditional_escape(shown)}</{tag}>"
            url = add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
            href = html.escape(url)
        else:
            href = head + html.escape(str(quote(row.pk))) + tail
        return f'<{tag}{row_class}><a href="{href}">{_escape(shown)}</a></{tag}>'

    return cell


def _change_link(cl) -> tuple[str | None, str | None]:
    """The change link with its preserved filters, escaped, split around the row's id; (None,
    None) when it can't be formatted (then each row asks Django)."""
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_LINK_MARKER,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None, None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    escaped = html.escape(url)
    if escaped.count(_LINK_MARKER) != 1:
        return None, None
    head, tail = escaped.split(_LINK_MARKER)
    return head, tail


class _Controls:
    """The rows' editable controls, each rendered once per value by Django's own BoundField
    and widget on one real row form, with markers for what differs from row to row."""

    def __init__(self, formset, rows: list) -> None:
        # The first row's own form, built as the formset builds every row's (a copy of its
        # fields, named after its row by admin_a11y), then given the markers.
        form = formset._construct_form(0, **formset.get_form_kwargs(0))
        self.form = form
        self.opts = form._meta.model._meta
        self.pk_name = self.opts.pk.name
        first_name = str(rows[0])
        if not first_name:
            raise _NotCovered
        for field in form.fields.values():
            label = field.widget.attrs.get("aria-label")
            if isinstance(label, str) and label.endswith(" for " + first_name):
                field.widget.attrs["aria-label"] = label[: -len(first_name)] + ROW_NAME
        form.prefix = formset.add_prefix(ROW_NUMBER)
        self.rendered: dict[tuple[str, Any], str] = {}
        self.model_fields = {}
        for name in form.fields:
            if name == self.pk_name:
                continue
            if name not in form.initial:
                raise _NotCovered
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                raise _NotCovered from None
            if field.many_to_many or not field.concrete:
                raise _NotCovered
            self.model_fields[name] = field
        self.pk_field = form.fields[self.pk_name]
        if not isinstance(self.pk_field, ModelChoiceField):
            raise _NotCovered
        # The first and last rows' controls written from the markers must be what their own
        # forms render: anything else a formset puts in a row's controls shows there.
        first = getattr(formset, "_first_form", None)  # row 0's form, kept for the media
        if first is None or first.instance is not rows[0]:
            raise _NotCovered
        self._check_row(first, 0, rows[0])
        if len(rows) > 1:
            last = len(rows) - 1
            self._check_row(
                formset._construct_form(last, **formset.get_form_kwargs(last)), last, rows[last]
            )

    def _check_row(self, real, number: int, obj) -> None:
        if real.instance is not obj:
            raise _NotCovered
        row = _Row(number, obj, self.opts.pk.attname)
        for name, model_field in self.model_fields.items():
            bound = real[name]
            written = self._control(name, model_field.value_from_object(obj))
            written = written.replace(ROW_NUMBER, row.number).replace(ROW_NAME, row.escaped_name)
            if written != str(bound.errors) + str(bound):
                raise _NotCovered
        hidden = self._control(self.pk_name, ROW_VALUE)
        hidden = hidden.replace(ROW_NUMBER, row.number).replace(ROW_VALUE, str(obj.pk))
        if hidden != str(real[self.pk_name]):
            raise _NotCovered

    def _control(self, name: str, initial) -> str:
        if callable(initial) or isinstance(initial, dt.datetime):
            raise _NotCovered  # get_initial_for_field would call it or trim it
        key = (name, type(initial), initial)
        html_text = self.rendered.get(key)
        if html_text is None:
            field = self.form.fields[name]
            bound = field.get_bound_field(self.form, name)
            bound.__dict__["initial"] = initial
            html_text = str(bound.errors) + str(bound)
            self.rendered[key] = html_text
        return html_text

    def cell(self, name: str, row_class: str) -> Callable[[_Row], str]:
        model_field = self.model_fields[name]

        def cell(row: _Row) -> str:
            if not row.name:
                raise _NotCovered  # admin_a11y names such a row's controls without " for "
            initial = model_field.value_from_object(row.obj)
            try:
                control = self._control(name, initial)
            except TypeError:  # an unhashable value
                raise _NotCovered from None
            control = control.replace(ROW_NUMBER, row.number)
            if ROW_NAME in control:
                control = control.replace(ROW_NAME, row.escaped_name)
            return f"<td{row_class}>{control}</td>"

        return cell

    def hidden_id(self, row: _Row) -> str:
        if not isinstance(row.pk, int):
            raise _NotCovered
        template = self._control(self.pk_name, ROW_VALUE)  # its errors are empty: unbound
        return template.replace(ROW_NUMBER, row.number).replace(ROW_VALUE, str(row.pk))
