"""The shape every view of the project keeps (docs/architecture.md, "The picture of a request").

Walks every URL pattern (the admin and views that come with Django or other packages aside) and
checks, per view:

- it says which methods it answers (`require_safe`, `require_POST`,
  `require_http_methods([...])`, or a class-based view's handlers): a PUT from a signed-in user
  gets 405 before the view does anything;
- it is short: at most MAX_VIEW_LINES lines from its first decorator to its last line. Form
  parsing belongs in forms, state changes in services, row building in selectors.

A new URL is checked without being listed here.
"""

from __future__ import annotations

import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# "About 30 lines", with a little slack for a long signature or message.
MAX_VIEW_LINES = 35
PROJECT_PACKAGES = (
    "accounts",
    "contacts",
    "dav",
    "demo",
    "interactions",
    "network_crm",
    "portability",
    "reminders",
)
# A value each converter accepts; the method check runs before the view looks anything up.
CONVERTER_VALUES = {"int": "1", "path": "x/y", "uuid": "00000000-0000-0000-0000-000000000000"}
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?\w+>")
# The DAV endpoint answers PUT (a phone writing a card): it is checked with a method that
# WebDAV does not use.
REFUSED_METHOD = {"dav.views.dav": "patch", "dav.views.well_known": "patch"}


def _walk(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _view_of(callback):
    """The project's own function or class behind a URL, or None for someone else's."""
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    module = view.__module__.split(".")[0]
    return view if module in PROJECT_PACKAGES else None


def _example_path(route: str) -> str:
    return "/" + CONVERTER.sub(lambda m: CONVERTER_VALUES.get(m["kind"] or "str", "x"), route)


def project_views() -> list[pytest.param]:
    params = []
    for route, callback in _walk(get_resolver()):
        view = _view_of(callback)
        if view is not None:
            name = f"{view.__module__}.{view.__qualname__}"
            params.append(pytest.param(_example_path(route), view, id=name))
    return params


VIEWS = project_views()


def test_the_walk_finds_the_project_views():
    names = {param.id for param in VIEWS}
    assert "contacts.views.contact_list.contact_list" in names
    assert "accounts.views.LoginView" in names  # class-based views too
    assert "dav.views.dav" in names
    assert "django.contrib.auth.views.LogoutView" not in names  # not ours
    assert not any(name.startswith("django.contrib.admin") for name in names)


@pytest.mark.parametrize(("path", "view"), VIEWS)
def test_view_refuses_methods_it_does_not_answer(path, view, alice_client):
    method = REFUSED_METHOD.get(f"{view.__module__}.{view.__qualname__}", "put")
    response = getattr(alice_client, method)(path)
    assert response.status_code == 405, f"{method.upper()} {path} answered {response.status_code}"


@pytest.mark.parametrize(("path", "view"), VIEWS)
def test_view_is_short(path, view):
    lines = len(inspect.getsource(view).splitlines())
    assert lines <= MAX_VIEW_LINES, f"{view.__qualname__} is {lines} lines long"
