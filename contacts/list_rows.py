"""The contact list's rows, built once in Python (issue 21): each card's link, avatar, "why"
line and tag, as ``contacts/_avatar.html`` and ``contacts/_why.html`` write them, so the page's
loop renders plain values instead of two includes, three filters and a reverse per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from contacts.models import Contact
from contacts.selectors import InterestPeople
from network_crm.templatetags.crm import days_ago, days_until

_PHOTO_PK = 2_147_483_647


@dataclass(frozen=True, slots=True)
class ContactRow:
    pk: str  # a string: the template writes it three times, unlocalized
    name: str
    href: str
    avatar: SafeString
    place: str
    why: str
    tag: SafeString


def _avatar(contact: Contact, photo_url: str) -> SafeString:
    """contacts/_avatar.html (not large), with its trailing newline."""
    if contact.photo:
        return format_html(
            '<img class="avatar photo" src="{}" alt="" loading="lazy">\n',
            photo_url.replace(str(_PHOTO_PK), str(contact.pk)),
        )
    return format_html(
        '<span class="avatar hue-{}" aria-hidden="true">{}</span>\n',
        contact.avatar_hue,
        contact.initials,
    )


def _why(contact: Contact, today: dt.date) -> str:
    """contacts/_why.html with its trailing newline, then the list's "due ..." part."""
    if contact.last_interaction_on:
        text = f"Last in touch {days_ago(contact.last_interaction_on, today)}"
    else:
        text = "No interaction logged yet"
    cadence = contact.effective_cadence_days
    if cadence:
        text += f" · every {cadence} days"
    if contact.circle_id and contact.circle:
        text += f" · {contact.circle.name}"
    text += "\n"
    if contact.next_reach_out_on and not contact.paused:
        text += f" · due {days_until(contact.next_reach_out_on, today)}"
    return text


def _tag(contact: Contact, today: dt.date) -> SafeString:
    if contact.archived:
        return SafeString('<span class="tag">Archived</span>')
    if contact.paused:
        return SafeString('<span class="tag">Paused</span>')
    if contact.next_reach_out_on and contact.next_reach_out_on <= today:
        return SafeString('<span class="tag badge-due">Due</span>')
    return SafeString("")


def _place(contact: Contact) -> str:
    if not (contact.company or contact.city):
        return ""
    joiner = ", " if contact.company and contact.city else ""
    return f"{contact.company}{joiner}{contact.city}"


def contact_list_rows(contacts: Iterable[Contact], *, today: dt.date) -> list[ContactRow]:
    """One ContactRow per contact (with its circle selected), in order."""
    photo_url = reverse("contacts:photo", args=[_PHOTO_PK])
    return [
        ContactRow(
            pk=str(contact.pk),
            name=contact.name,
            href=contact.get_absolute_url(),
            avatar=_avatar(contact, photo_url),
            place=_place(contact),
            why=_why(contact, today),
            tag=_tag(contact, today),
        )
        for contact in contacts
    ]


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
