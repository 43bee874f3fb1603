"""Parts of a changelist page around its rows written in Python, byte for byte as Django's
templates write them: the filter sidebar (``{% admin_list_filter %}`` with admin/filter.html, once
per filter) and the navigation sidebar (admin/nav_sidebar.html and admin/app_list.html).

The sidebar of the contact changelist has about a hundred links (circles, statuses, interests,
cities, last contact); the template engine spent more on them than the filters' own queries
(issue 21, bench/NOTES.md). The links, their query strings and labels are still the filters'
own (``spec.choices(cl)``); only the markup around them is written here. The navigation sidebar
lists ``available_apps`` (the site's ``get_app_list``, as the template does). A filter with a
template of its own, or a project that overrides one of these templates, is left to Django.
tests/network_crm/admin/test_fast_chrome.py compares both ways byte for byte.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

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


@functools.cache
def _stock_nav_templates() -> bool:
    """admin/nav_sidebar.html and admin/app_list.html are Django's own, which
    ``nav_sidebar_html`` writes."""
    return all(
        get_template(f"admin/{name}")
        .origin.name.replace("\\", "/")
        .endswith(f"django/contrib/admin/templates/admin/{name}")
        for name in ("nav_sidebar.html", "app_list.html")
    )


def nav_sidebar_html(available_apps: list[dict], request_path: str) -> SafeString | None:
    """What admin/base.html's ``{% block nav-sidebar %}`` writes (its include of
    admin/nav_sidebar.html, which lists ``available_apps`` through admin/app_list.html without
    change links), or None when those templates are not Django's."""
    if not _stock_nav_templates():
        return None
    context = Context()

    def shown(value) -> str:
        return render_value_in_context(value, context)

    # {{ ... in request.path|urlencode }}
    path = quote(request_path)
    parts = [
        '\n          \n<button class="sticky toggle-nav-sidebar" id="toggle-nav-sidebar" '
        f'aria-label="{gettext("Toggle navigation")}"></button>\n'
        f'<nav class="sticky" id="nav-sidebar" aria-label="{gettext("Sidebar")}">\n'
        '  <input type="search" id="nav-filter"\n'
        f'         placeholder="{gettext("Start typing to filter…")}"\n'
        f'         aria-label="{gettext("Filter navigation items")}">\n  \n\n'
    ]
    if available_apps:
        heads = (
            '\n        </caption>\n        <thead class="visually-hidden">\n          <tr>\n'
            f'            <th scope="col">{gettext("Model name")}</th>\n'
            f'            <th scope="col">{gettext("Add link")}</th>\n'
            f'            <th scope="col">{gettext("Change or view list link")}</th>\n'
            "          </tr>\n        </thead>\n        "
        )
        add = gettext("Add")
        parts.append("\n  ")
        for app in available_apps:
            label = shown(app["app_label"])
            current_app = " current-app" if app["app_url"] in path else ""
            parts.append(
                f'\n    <div class="app-{label} module{current_app}">\n      <table>\n'
                f'        <caption>\n          <a href="{shown(app["app_url"])}" class="section">'
                f"{shown(app['name'])}</a>{heads}"
            )
            for model in app["models"]:
                model_name = shown(str(model["object_name"]).lower())
                admin_url = model.get("admin_url")
                current = bool(admin_url) and admin_url in path
                parts.append(
                    f'\n          \n            <tr class="model-{model_name}'
                    f'{" current-model" if current else ""}">\n'
                    f'              <th scope="row" id="{label}-{model_name}">\n                '
                )
                if admin_url:
                    aria = ' aria-current="page"' if current else ""
                    parts.append(
                        f'\n                  <a href="{shown(admin_url)}"{aria}>'
                        f"{shown(model['name'])}</a>\n                "
                    )
                else:
                    parts.append(f"\n                  {shown(model['name'])}\n                ")
                parts.append("\n              </th>\n\n              ")
                if model.get("add_url"):
                    parts.append(
                        f'\n                <td><a href="{shown(model["add_url"])}" class="addlink"'
                        f' aria-describedby="{label}-{model_name}">{add}</a></td>\n              '
                    )
                else:
                    parts.append("\n                <td></td>\n              ")
                parts.append("\n\n              \n            </tr>\n          \n        ")
            parts.append("\n      </table>\n    </div>\n  ")
        parts.append("\n")
    else:
        no_permission = gettext("You don’t have permission to view or edit anything.")
        parts.append(f"\n  <p>{no_permission}</p>\n")
    parts.append("\n\n</nav>\n\n        ")
    return SafeString("".join(parts))
