"""Parts of a changelist page around its rows written in Python, byte for byte as Django's
templates write them: the filter sidebar (``{% admin_list_filter %}`` with admin/filter.html, once
per filter).

The sidebar of the contact changelist has about a hundred links (circles, statuses, interests,
cities, last contact); the template engine spent more on them than the filters' own queries
(issue 21, bench/NOTES.md). The links, their query strings and labels are still the filters'
own (``spec.choices(cl)``); only the markup around them is written here. A filter with a template
of its own, or a project that overrides admin/filter.html, is rendered by Django's tag.
tests/network_crm/admin/test_fast_chrome.py compares both ways byte for byte.
"""

from __future__ import annotations

import functools

from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

FILTER_TEMPLATE = "admin/filter.html"


@functools.cache
def _stock_filter_template() -> bool:
    """admin/filter.html is Django's own (no project or app overrides it), which is what
    ``_filter_html`` writes."""
    template = get_template(FILTER_TEMPLATE)
    return template.origin.name.replace("\\", "/").endswith(
        "django/contrib/admin/templates/admin/filter.html"
    )


def filters_html(cl) -> SafeString:
    """What ``{% for spec in cl.filter_specs %}{% admin_list_filter cl spec %}{% endfor %}``
    writes for ``cl``."""
    context = Context()  # as the tag's template.render(dict): autoescape on, no request
    parts = []
    for spec in cl.filter_specs:
        if spec.template == FILTER_TEMPLATE and _stock_filter_template():
            parts.append(_filter_html(spec, list(spec.choices(cl)), context))
        else:
            parts.append(admin_list_filter(cl, spec))
    return SafeString("".join(parts))


def _filter_html(spec, choices: list, context: Context) -> str:
    def shown(value) -> str:
        return render_value_in_context(value, context)

    title = shown(spec.title)
    # {% blocktranslate with filter_title=title %} By {{ filter_title }} {% endblocktranslate %}
    by_title = gettext(" By %(filter_title)s ") % {"filter_title": title}
    parts = [
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by_title}\n'
        "  </summary>\n  <ul>\n  "
    ]
    for choice in choices:
        selected = ' class="selected"' if choice.get("selected") else ""
        query_string = choice.get("query_string", "")
        # {{ choice.query_string|iriencode }}: iriencode keeps a safe string safe.
        href = iri_to_uri(str(query_string))
        if isinstance(query_string, SafeData):
            href = mark_safe(href)
        parts.append(
            f"\n    <li{selected}>\n"
            f'    <a href="{shown(href)}">{shown(choice.get("display", ""))}</a></li>\n  '
        )
    parts.append("\n  </ul>\n</details>\n")
    return "".join(parts)
