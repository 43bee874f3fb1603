"""Pages composed from per-app sections, so a lower app's page can show what a higher app owns
without importing it (docs/architecture.md, "Layers").

An app registers its sections in its AppConfig.ready() with ``section_register``; the view of the
page asks ``sections_for(page, **arguments)`` and the template renders each with
``{% render_section section %}`` (network_crm/templatetags/crm.py), which adds the section's own
context to the page's. The pages and the arguments their views pass:

- ``contact.activity``, ``contact.aside``: a person's page (contacts/views/contact_page.py), inside
  the "Staying in touch" card (also served alone as the ``#activity`` htmx fragment) and at the
  top of the side column; arguments ``request``, ``contact``, ``today``.
- ``contact.main``: a person's page, whole cards of their own in the main column below
  "Staying in touch" (give first: shares, introductions); same arguments.
- ``contact.delete``: the confirmation before deleting people (contacts/views/contact_form.py,
  contact_list.py), inside its sentence of what goes with them; ``owner``, ``contact_ids``.
- ``settings``: the settings page (accounts/views.py); ``request``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    context: Callable[..., dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    """A section ready for its template: the name, the template and the context it computed."""

    name: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


_pages: dict[str, dict[str, Section]] = {}


def section_register(
    *, page: str, name: str, template: str, context: Callable[..., dict[str, Any]], order: int = 100
) -> None:
    """Add (or replace, by name: ready() may run twice in tests) a section of ``page``; sections
    show in increasing ``order``. ``context(**arguments)`` is called once per rendering."""
    _pages.setdefault(page, {})[name] = Section(name, template, context, order)


def sections_for(page: str, **arguments: Any) -> list[RenderedSection]:
    """The sections of ``page`` in order, each with the context it computed from ``arguments``."""
    sections = sorted(_pages.get(page, {}).values(), key=lambda section: section.order)
    return [
        RenderedSection(section.name, section.template, section.context(**arguments))
        for section in sections
    ]
