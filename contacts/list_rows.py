"""The contact list's rows, built once in Python (issue 21): each card's link, avatar, "why"
line and tag, as ``contacts/_avatar.html`` and ``contacts/_why.html`` write them, so the page's
loop renders plain values instead of two includes, three filters and a reverse per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape  # Django's escape, without its lazy-text wrapper

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from contacts.models import Contact
from contacts.selectors import InterestPeople
from network_crm.reversing import url_to
from network_crm.templatetags.crm import days_ago, days_until

# What a row shows, read as values: building fifty Contact models (and their circles) cost more
# than the statement that reads them (issue 21).
_LISTED = (
    "pk",
    "name",
    "photo",
    "company",
    "city",
    "last_interaction_on",
    "cadence_days",
    "circle_id",
    "circle__name",
    "circle__cadence_days",
    "next_reach_out_on",
    "paused",
    "archived",
)


@dataclass(frozen=True, slots=True)
class _Circle:
    name: str
    cadence_days: int | None


@dataclass(frozen=True, slots=True)
class _Listed:
    """One row of the list as read, with the attributes the model's own rules read
    (``Contact.initials``, ``avatar_hue``, ``effective_cadence_days`` are applied to it, so each
    rule keeps its one home)."""

    pk: int
    name: str
    photo: str
    company: str
    city: str
    last_interaction_on: dt.date | None
    cadence_days: int | None
    circle_id: int | None
    circle: _Circle | None
    next_reach_out_on: dt.date | None
    paused: bool
    archived: bool


def _listed(values: tuple) -> _Listed:
    *head, circle_id, circle_name, circle_cadence, next_on, paused, archived = values
    circle = _Circle(circle_name, circle_cadence) if circle_id else None
    return _Listed(*head, circle_id, circle, next_on, paused, archived)


def avatar_html(contact: Contact | _Listed) -> SafeString:
    """contacts/_avatar.html (not large), with its trailing newline: written once per person
    instead of an include per card (the list, the dashboard's due and coming-up cards)."""
    if contact.photo:
        src = escape(url_to("contacts:photo", contact.pk))
        return SafeString(f'<img class="avatar photo" src="{src}" alt="" loading="lazy">\n')
    hue = Contact.avatar_hue.fget(contact)
    return SafeString(
        f'<span class="avatar hue-{hue}" aria-hidden="true">'
        f"{escape(Contact.initials.fget(contact))}</span>\n"
    )


def _why(contact: _Listed, today: dt.date) -> str:
    """contacts/_why.html with its trailing newline, then the list's "due ..." part."""
    if contact.last_interaction_on:
        text = f"Last in touch {days_ago(contact.last_interaction_on, today)}"
    else:
        text = "No interaction logged yet"
    cadence = Contact.effective_cadence_days.fget(contact)
    if cadence:
        text += f" · every {cadence} days"
    if contact.circle_id and contact.circle:
        text += f" · {contact.circle.name}"
    text += "\n"
    if contact.next_reach_out_on and not contact.paused:
        text += f" · due {days_until(contact.next_reach_out_on, today)}"
    return text


def _tag(contact: _Listed, today: dt.date) -> str:
    if contact.archived:
        return '<span class="tag">Archived</span>'
    if contact.paused:
        return '<span class="tag">Paused</span>'
    if contact.next_reach_out_on and contact.next_reach_out_on <= today:
        return '<span class="tag badge-due">Due</span>'
    return ""


def _place(contact: _Listed) -> str:
    if not (contact.company or contact.city):
        return ""
    joiner = ", " if contact.company and contact.city else ""
    return f"{contact.company}{joiner}{contact.city}"


def _contact_row(contact: _Listed, today: dt.date) -> SafeString:
    """One ``<li>`` of the list as the template's loop wrote it, the whitespace included."""
    pk = contact.pk
    name = escape(contact.name)
    place = _place(contact)
    shown_place = f'<span class="muted small"> · {escape(place)}</span>' if place else ""
    return SafeString(
        '\n          <li class="person">'
        f'\n            <input type="checkbox" name="ids" value="{pk}" id="select-{pk}"'
        ' class="select-person">'
        f'\n            <label for="select-{pk}" class="visually-hidden">Select {name}</label>'
        f"\n            {avatar_html(contact)}"
        '\n            <div class="person-main">'
        f'\n              <a class="person-name" href="{escape(url_to("contacts:detail", pk))}">'
        f"{name}</a>"
        f"\n              {shown_place}"
        f'\n              <p class="person-why">{escape(_why(contact, today))}</p>'
        "\n            </div>"
        f"\n            {_tag(contact, today)}"
        "\n          </li>\n        "
    )


def contact_list_rows(contacts: QuerySet[Contact], *, today: dt.date) -> list[SafeString]:
    """The ``<li>`` of each of ``contacts`` (the page's slice of the list's query), in order."""
    return [_contact_row(_listed(values), today) for values in contacts.values_list(*_LISTED)]


_LIST_LINKS = {
    "circles": "contacts:circles",
    "create": "contacts:create",
    "list": "contacts:list",
    "bulk": "contacts:bulk",
    "export": "portability:export",
    "export_selection": "portability:export_selection",
    "backup": "portability:backup",
    "import": "portability:import",
    "duplicates": "portability:duplicates",
}


def contact_list_links() -> dict[str, str]:
    """The list page's own links and form actions, by short name, each reversed once per
    process (``url_to``) instead of a ``{% url %}`` per link and request."""
    return {key: url_to(name) for key, name in _LIST_LINKS.items()}


def interest_rows(rows: Iterable[InterestPeople], *, list_url: str) -> list[SafeString]:
    """Each row of the interests page as its loop wrote it (the whitespace included): the
    interest, how many share it and the first few of them, built once in Python instead of
    some thirty template nodes per row (issue 21)."""
    return [_interest_row(row, list_url) for row in rows]


_YOURS_TOO = '<span class="tag shared-tag">yours too</span>'


def _interest_row(row: InterestPeople, list_url: str) -> SafeString:
    interest = row.interest
    name = escape(interest.name)
    everyone = f"{list_url}?interest={interest.pk}&amp;sort=last"
    title = f'<a href="{everyone}">{name}</a>' if row.total else name
    if row.total:
        count = f"{row.total} {'person' if row.total == 1 else 'people'}"
    else:
        count = "Nobody else yet."
    people = ""
    if row.people:
        links = ", ".join(
            f'<a class="person-name" href="{escape(person.href)}">{escape(person.name)}</a>'
            for person in row.people
        )
        more = (
            f' <a class="interest-more" href="{everyone}">and {row.more} more</a>'
            if row.more
            else ""
        )
        people = f'\n            <p class="interest-people">{links}{more}</p>\n          '
    return SafeString(
        f'\n        <li class="interest-row{" shared" if interest.mine else ""}">'
        '\n          <div class="interest-head">'
        f'\n            <h2 class="interest-name" id="interest-{interest.pk}">{title}</h2>'
        f"\n            {_YOURS_TOO if interest.mine else ''}"
        f'\n            <span class="interest-count">{count}</span>'
        "\n          </div>"
        f"\n          {people}"
        "\n        </li>\n      "
    )
