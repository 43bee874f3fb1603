"""FastWidgetRenderer (network_crm/form_renderer.py) writes the same markup as the templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from network_crm.form_renderer import FAST_RENDERER

STOCK = TemplatesSetting()

WIDGETS = [
    (forms.TextInput(attrs={"placeholder": "Ann & <Bob>", "autofocus": True}), "a\"b'<c>"),
    (forms.TextInput(attrs={"disabled": False, "data-x": 0}), None),
    (forms.NumberInput(attrs={"min": 0, "aria-label": mark_safe("A &amp; B")}), 7),
    (forms.HiddenInput(), 42),
    (forms.HiddenInput(), ""),
    (forms.EmailInput(), "ann@example.com"),
    (forms.CheckboxInput(attrs={"class": "action-select"}), True),
    (forms.CheckboxInput(), False),
    (
        forms.Select(
            attrs={"aria-label": "Circle for Ann & Bob"},
            choices=[("", "No circle"), (1, "Close <friends>"), (2, "Peers"), (3, 30)],
        ),
        2,
    ),
    (forms.Select(choices=[("", "---")]), None),
    (
        forms.Select(
            choices=[("Groups & more", [(1, "One"), (2, "Two")]), (3, "Three")],
        ),
        3,
    ),
    (forms.SelectMultiple(choices=[(1, "One"), (2, "Two"), (3, "Three")]), [1, 3]),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_widgets_render_as_the_templates_do(widget, value):
    fast = widget.render("form-0-field", value, attrs={"id": "id_f"}, renderer=FAST_RENDERER)
    stock = widget.render("form-0-field", value, attrs={"id": "id_f"}, renderer=STOCK)
    assert fast == stock


def test_error_lists_render_as_the_templates_do():
    class Form(forms.Form):
        name = forms.CharField()
        age = forms.IntegerField(required=False)

    for renderer in (FAST_RENDERER, STOCK):
        form = Form({"name": "", "age": "x"}, renderer=renderer)
        form.is_valid()
        assert str(form["name"].errors)
    fast = Form({"name": "", "age": "x"}, renderer=FAST_RENDERER)
    stock = Form({"name": "", "age": "x"}, renderer=STOCK)
    for name in ("name", "age"):
        assert str(fast[name].errors) == str(stock[name].errors)
        assert str(fast[name]) == str(stock[name])
    empty_fast = Form({"name": "Ann"}, renderer=FAST_RENDERER)
    empty_stock = Form({"name": "Ann"}, renderer=STOCK)
    assert str(empty_fast["name"].errors) == str(empty_stock["name"].errors) == ""


def test_other_templates_go_through_the_template_engine():
    widget = forms.Textarea(attrs={"rows": 2})
    assert widget.render("notes", "x < y", renderer=FAST_RENDERER) == widget.render(
        "notes", "x < y", renderer=STOCK
    )


class FieldGroups(forms.Form):
    name = forms.CharField(label="Name & <nickname>", help_text="Say <em>who</em>.")
    age = forms.IntegerField(label="Age", required=False, min_value=0)
    circle = forms.ChoiceField(
        label="Circle", required=False, choices=[("", "All"), ("1", "Close & dear")]
    )
    unlabelled = forms.CharField(label="", required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput())
    ticked = forms.BooleanField(label="Tick me", required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


@pytest.mark.parametrize(
    ("data", "options"),
    [
        (None, {}),
        ({"name": "", "age": "x", "circle": "9", "kind": "z"}, {}),
        ({"name": "Ann <3", "age": "4", "circle": "1", "ticked": "on", "kind": "a"}, {}),
        (None, {"auto_id": False}),
        (None, {"prefix": "mine", "auto_id": "f_%s"}),
    ],
)
def test_field_groups_render_as_the_template_does(data, options):
    fast = FieldGroups(data, renderer=FAST_RENDERER, **options)
    stock = FieldGroups(data, renderer=STOCK, **options)
    for form in (fast, stock):
        form.is_valid()
    for name in FieldGroups.base_fields:
        assert fast[name].as_field_group() == stock[name].as_field_group(), name
    assert 'class="required"' in fast["name"].as_field_group()
    assert "<em>who</em>" in fast["name"].as_field_group()
