"""A form renderer that writes the commonest widgets in Python, for forms repeated per row.

Django renders every widget through its template engine: a ``<select>`` of six circles is eight
template renders (the select, an include per option, the attributes of each), about 1 ms each
time. A changelist with ``list_editable`` renders two or three controls on each of its 100 rows,
most of the page's time. ``FastWidgetRenderer`` produces the same markup, byte for byte, for the
templates of Django's inputs (text, number, hidden, checkbox...), ``<select>`` and its options, an
empty error list and the project's field group (``as_field_group``: label, errors, control and
help, 0.15 ms each through the templates); any other template goes through the template engine
as before. A project override of one of these templates would not be seen:
``tests/network_crm/test_form_renderer.py`` compares both ways against the templates in force.
"""

from __future__ import annotations

import html

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

# Django's widget templates that are exactly ``{% include "django/forms/widgets/input.html" %}``.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_ERRORS = frozenset(("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"))
_FIELD = "django/forms/field.html"


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescaping (Django's escape is html.escape)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_var(name)}")
        else:
            parts.append(f' {_var(name)}="{_text(value)}"')
    return "".join(parts)


def _var(value) -> str:
    """``{{ value }}`` under autoescaping."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_var(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append("\n  " + _option(option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _field_group(field) -> str | None:
    """templates/django/forms/field.html (the project's ``as_field_group``) for a field with a
    plain label, before stripping; a fieldset or a lone checkbox goes through the template."""
    if field.use_fieldset or field.widget_type == "checkbox":
        return None
    label = ""
    if field.label:
        required = ' class="required"' if field.field.required else ""
        label = (
            f'\n  <label for="{_var(field.id_for_label)}"{required}>{_var(field.label)}</label>\n'
        )
    help_text = ""
    if field.help_text:
        help_id = f' id="{_var(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    return f"{label}\n{field.errors}\n{field}\n{help_text}\n"


class FastWidgetRenderer(TemplatesSetting):
    """``TemplatesSetting`` (the project's FORM_RENDERER) with the commonest widget templates
    written in Python; the output is what the templates give, stripped as Django strips it."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name in _INPUT_TEMPLATES and "widget" in context:
            html = _input(context["widget"])
        elif template_name == _SELECT and "widget" in context:
            html = _select(context["widget"])
        elif template_name in _ERRORS and not context.get("errors"):
            html = ""
        elif template_name == _FIELD and "field" in context:
            html = _field_group(context["field"])
        if html is None:
            return super().render(template_name, context, request=request)
        return SafeString(html.strip())


# One renderer for every form that asks for it (``renderer = FAST_RENDERER``): it holds no state
# but its template engine, which is built once.
FAST_RENDERER = FastWidgetRenderer()
