"""The shape every view of the project keeps (docs/architecture.md, "The picture of a request").

Walks every URL pattern (the admin and views that come with Django or other packages aside) and
checks, per view:

- it says which methods it answers (`require_safe`, `require_POST`,
  `require_http_methods([...])`, or a class-based view's handlers): a PUT from a signed-in user
  gets 405 before the view does anything;
- it is short: at most MAX_VIEW_LINES lines from its first decorator to its last line. Form
  parsing belongs in forms, state changes in services, row building in selectors.

API views (Django REST framework, api/views/) follow the same rules per handler: a viewset's route
answers the methods its router mapped (any other gets 405), and each handler of ours (``get``,
``patch``, or a viewset's ``list``, ``retrieve``, ``create``, actions...) is short; the class as a
whole may hold several.

A new URL is checked without being listed here.
"""

from __future__ import annotations

import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

# "About 30 lines", with a little slack for a long signature or message.
MAX_VIEW_LINES = 35
PROJECT_PACKAGES = (
    "accounts",
    "api",
    "contacts",
    "dav",
    "giving",
    "demo",
    "notify",
    "pwa",
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
# The API's catch-all answers every method of a URL no route matches with a JSON 404
# (api/views/fallback.py): there is no method it could refuse.
EVERY_METHOD = {"api.views.fallback.not_found"}


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
    # Django sets view_class on a class-based view, DRF sets cls (a viewset has no view_class).
    view = (
        getattr(callback, "view_class", None)
        or getattr(callback, "cls", None)
        or inspect.unwrap(callback)
    )
    module = view.__module__.split(".")[0]
    return view if module in PROJECT_PACKAGES else None


# A regex route's group (DRF's routers write ``^contacts/(?P<pk>[^/.]+)/$``) gets an id.
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _example_path(route: str) -> str:
    route = REGEX_GROUP.sub("1", route).replace("^", "").replace("$", "")
    return "/" + CONVERTER.sub(lambda m: CONVERTER_VALUES.get(m["kind"] or "str", "x"), route)


def _api_handlers(view, callback) -> list:
    """The handlers of ours behind one route of an API view (inherited ones of DRF aside)."""
    actions = getattr(callback, "actions", None)
    names = actions.values() if actions else view.http_method_names
    handlers = [getattr(view, name, None) for name in names]
    return [h for h in handlers if h is not None and h.__module__.split(".")[0] in PROJECT_PACKAGES]


def _refused_method(view, callback) -> str:
    name = f"{view.__module__}.{view.__qualname__}"
    if name in REFUSED_METHOD:
        return REFUSED_METHOD[name]
    actions = getattr(callback, "actions", None)
    if actions is None:
        return "put"
    # A viewset's route answers what the router mapped: any other method is refused.
    return next(m for m in ("put", "post", "patch", "delete") if m not in actions)


def project_views() -> list[pytest.param]:
    params = []
    for route, callback in _walk(get_resolver()):
        view = _view_of(callback)
        if view is not None:
            name = f"{view.__module__}.{view.__qualname__}"
            actions = getattr(callback, "actions", None)
            if actions:  # a viewset has a list and a detail route
                name += "[" + ",".join(actions.values()) + "]"
            method = _refused_method(view, callback)
            is_api = isinstance(view, type) and issubclass(view, APIView)
            handlers = _api_handlers(view, callback) if is_api else [view]
            params.append(pytest.param(_example_path(route), method, handlers, id=name))
    return params


VIEWS = project_views()


def test_the_walk_finds_the_project_views():
    names = {param.id for param in VIEWS}
    assert "contacts.views.contact_list.contact_list" in names
    assert "accounts.views.LoginView" in names  # class-based views too
    assert "dav.views.dav" in names
    assert "api.views.me.MeView" in names  # and the API's
    assert "django.contrib.auth.views.LogoutView" not in names  # not ours
    assert not any(name.startswith("django.contrib.admin") for name in names)


@pytest.mark.parametrize(("path", "method", "handlers"), VIEWS)
def test_view_refuses_methods_it_does_not_answer(path, method, handlers, alice_client):
    response = getattr(alice_client, method)(path)
    if handlers and f"{handlers[0].__module__}.{handlers[0].__qualname__}" in EVERY_METHOD:
        assert response.status_code == 404
        assert "No such URL in the API" in response.json()["detail"]
        return
    assert response.status_code == 405, f"{method.upper()} {path} answered {response.status_code}"


@pytest.mark.parametrize(("path", "method", "handlers"), VIEWS)
def test_view_is_short(path, method, handlers):
    for view in handlers:
        lines = len(inspect.getsource(view).splitlines())
        assert lines <= MAX_VIEW_LINES, f"{view.__qualname__} is {lines} lines long"
