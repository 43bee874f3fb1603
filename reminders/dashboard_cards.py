"""The dashboard's due section, its cards written once in Python (issue 21): each due person's
``<li>`` (avatar, "why" line, talking points, the quick-log form and the menu of the rest) and each
meetup card, as the template's loop and the include reminders/meetups/_card.html (now gone) wrote
them, byte for byte (tests/reminders/views/test_due_cards_markup.py renders both). Through the
template engine the section was some 150 nodes a person, most of the full dashboard's rendering.

The forms carry the page's CSRF token, passed in by the view (the one ``{% csrf_token %}`` and
base.html write), so a card is plain text by the time the template sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape  # Django's escape, without its lazy-text wrapper

from django.utils.safestring import SafeString

from contacts.models import Contact
from interactions.forms import QUICK_KINDS
from network_crm.templatetags.crm import days_ago
from reminders.meetups import CITY, Meetup

# The quick-log buttons of a due person: (kind, label, label in lower case), the first one shown.
QUICK_LOG_KINDS = [(str(kind), label, label.lower()) for kind, label in QUICK_KINDS]


def csrf_input(token) -> str:
    """``{% csrf_token %}`` for ``token`` (the context processor's lazy one, or text)."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


def _and_list(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c", escaped (the template's forloop.first/last joins)."""
    parts = []
    last = len(names) - 1
    for index, name in enumerate(names):
        if index:
            parts.append(" and " if index == last else ", ")
        parts.append(escape(str(name)))
    return "".join(parts)


def due_cards(
    contacts: Iterable[Contact],
    *,
    csrf_token: str,
    next_url: str,
    quick_kinds: Sequence[tuple[str, str, str]] = QUICK_LOG_KINDS,
) -> SafeString:
    """The due list's ``<li>`` of each of ``contacts`` with the whitespace between them, as the
    template's loop wrote them. Each contact carries what reminders.selectors.dashboard_due
    attached: ``avatar_html``, ``why``, the four paths, ``shared_interests``, ``ask_about``."""
    csrf = csrf_input(csrf_token)
    next_input = f'<input type="hidden" name="next" value="{escape(next_url)}">'
    return SafeString(
        "".join(_due_card(contact, csrf, next_input, quick_kinds) for contact in contacts)
    )


def _due_card(contact: Contact, csrf: str, next_input: str, quick_kinds) -> str:
    name = escape(contact.name)
    href = escape(contact.get_absolute_url())
    log = escape(contact.log_path)
    shared = getattr(contact, "shared_interests", None)
    talk = f'<p class="talking-point">You both love {_and_list(shared)}.</p>' if shared else ""
    ask_about = getattr(contact, "ask_about", None)
    ask = f'<p class="talking-point">Ask about: {escape(str(ask_about))}</p>' if ask_about else ""
    log_form = (
        f'<form method="post" action="{log}" hx-post="{log}" hx-target="#announce"'
        f' hx-swap="innerHTML" data-offline-log="{contact.pk}" data-offline-name="{name}"'
    )
    first = []
    rest = []
    for index, (kind, label, label_lower) in enumerate(quick_kinds):
        inputs = (
            f'<input type="hidden" name="kind" value="{escape(str(kind))}">{next_input}'
            '<input type="hidden" name="quick" value="1">'
        )
        words = (
            f"Log {escape(str(label_lower))}"
            f'<span class="visually-hidden"> with {name}</span></button>'
        )
        kind_form = f'{log_form} data-offline-kind="{escape(str(label))}">'
        if index == 0:
            first.append(
                f"\n                  {kind_form}"
                f"\n                    {csrf}{inputs}"
                f'\n                    <button class="button small" type="submit">{words}'
                "\n                  </form>\n                "
            )
        else:
            rest.append(
                f"\n                      {kind_form}"
                f"\n                        {csrf}{inputs}"
                f'\n                        <button class="menu-item" type="submit">{words}'
                "\n                      </form>\n                    "
            )
    snooze = escape(contact.snooze_path)
    fine = escape(contact.fine_path)
    return (
        '\n            <li class="person">'
        f"\n              {contact.avatar_html}"
        '\n              <div class="person-main">'
        f'\n                <a class="person-name" href="{href}">{name}</a>'
        f'\n                <p class="person-why">{escape(contact.why)}</p>'
        f"\n                {talk}"
        f"\n                {ask}"
        "\n              </div>"
        "\n              "
        '\n              <div class="person-actions">'
        f"\n                {''.join(first)}"
        '\n                <details class="menu">'
        '\n                  <summary class="button small secondary">More'
        f'<span class="visually-hidden"> for {name}</span></summary>'
        '\n                  <div class="menu-items">'
        f"\n                    {''.join(rest)}"
        f'\n                    <a class="menu-item" href="{escape(contact.log_other_path)}">'
        f'Log something else…<span class="visually-hidden"> with {name}</span></a>'
        f'\n                    <form method="post" action="{snooze}" hx-post="{snooze}"'
        ' hx-target="#announce" hx-swap="innerHTML" class="menu-divider">'
        f'\n                      {csrf}<input type="hidden" name="days" value="7">{next_input}'
        '\n                      <button class="menu-item" type="submit">Snooze a week'
        f'<span class="visually-hidden"> for {name}</span></button>'
        "\n                    </form>"
        f'\n                    <form method="post" action="{fine}" hx-post="{fine}"'
        ' hx-target="#announce" hx-swap="innerHTML">'
        f"\n                      {csrf}{next_input}"
        '\n                      <button class="menu-item" type="submit">We\'re fine'
        f'<span class="visually-hidden"> with {name}</span></button>'
        "\n                    </form>"
        f'\n                    <a class="menu-item" href="{href}">Open {name}\'s page</a>'
        "\n                  </div>"
        "\n                </details>"
        "\n              </div>"
        "\n            </li>\n          "
    )


def meetup_cards(
    meetups: Iterable[Meetup], *, paths: dict[str, str], csrf_token: str, next_url: str
) -> SafeString:
    """Each meetup as ``reminders/meetups/_card.html`` wrote it (its people carry
    ``avatar_html`` and ``due_text``; ``paths`` are reminders.selectors.dashboard_due's
    ``meetup_paths``), one after the other."""
    csrf = csrf_input(csrf_token)
    next_input = f'<input type="hidden" name="next" value="{escape(next_url)}">'
    return SafeString(
        "".join(
            _meetup_card(meetup, number, paths, csrf, next_input)
            for number, meetup in enumerate(meetups, start=1)
        )
    )


def _meetup_card(meetup: Meetup, card: int, paths: dict, csrf: str, next_input: str) -> str:
    title = escape(meetup.title)
    people_items = "".join(
        f"\n      <li>{person.avatar_html}<span>"
        f'<a class="person-name" href="{escape(person.get_absolute_url())}">'
        f"{escape(person.name)}</a>"
        f'\n        <span class="person-why">due {escape(person.due_text)}</span></span></li>'
        "\n    "
        for person in meetup.people
    )
    people_inputs = "".join(
        f'<input type="hidden" name="people" value="{person.pk}">' for person in meetup.people
    )
    options = "".join(
        f'<option value="{escape(str(value))}">{escape(str(label))}</option>'
        for value, label in meetup.kinds
    )
    log = escape(paths["log"])
    dismiss = escape(paths["dismiss"])
    plan = ""
    if paths["plan"]:
        who = "&amp;".join(f"contact={person.pk}" for person in meetup.people)
        plan = (
            f'<a class="button small secondary" href="{escape(paths["plan"])}?{who}">'
            f'Plan it<span class="visually-hidden">: {title}</span></a>'
        )
    return (
        "\n\n"
        f'<article class="meetup" aria-labelledby="meetup-{card}-title">'
        f'\n  <h3 id="meetup-{card}-title">{title}</h3>'
        '\n  <ul class="meetup-people">'
        f"\n    {people_items}"
        "\n  </ul>"
        f'\n  <p class="small muted">One {"dinner" if meetup.shares == CITY else "coffee"}'
        f" instead of {len(meetup.people)} separate catch-ups: logging it counts for everyone.</p>"
        '\n  <div class="meetup-actions">'
        f'\n    <form class="meetup-log" method="post" action="{log}" hx-post="{log}"'
        ' hx-target="#announce" hx-swap="innerHTML">'
        f"\n      {csrf}{people_inputs}{next_input}"
        '\n      <label class="visually-hidden"'
        f' for="meetup-{card}-kind">What you did together</label>'
        f'\n      <select name="kind" id="meetup-{card}-kind">{options}</select>'
        '\n      <button class="button small" type="submit">Log it'
        f'<span class="visually-hidden">: {title}</span></button>'
        "\n    </form>"
        f'\n    <form method="post" action="{dismiss}" hx-post="{dismiss}"'
        ' hx-target="#announce" hx-swap="innerHTML">'
        f"\n      {csrf}{people_inputs}"
        f'<input type="hidden" name="key" value="{escape(meetup.key)}">{next_input}'
        '\n      <button class="button small secondary" type="submit">Not now'
        f'<span class="visually-hidden">: {title}</span></button>'
        "\n    </form>"
        "\n    "
        f"\n    {plan}"
        "\n  </div>"
        "\n</article>"
        "\n\n"
    )


def recent_items(interactions: Iterable, *, today: dt.date) -> SafeString:
    """The "Recently" list's ``<li>`` of each interaction (with its ``people``) and the
    whitespace between them, as the template's loop wrote them."""
    return SafeString(
        "".join(
            f"\n            <li><strong>{escape(str(interaction.get_kind_display()))}</strong> with "
            + ", ".join(
                f'<a href="{escape(person.get_absolute_url())}">{escape(person.name)}</a>'
                for person in interaction.people
            )
            + f' · <span class="muted">{escape(days_ago(interaction.occurred_on, today))}</span>'
            "</li>\n          "
            for interaction in interactions
        )
    )


def upcoming_items(rows: Iterable) -> SafeString:
    """The "Coming up" list's ``<li>`` of each of reminders.selectors.upcoming_rows' rows and
    the whitespace between them, as the template's loop wrote them."""
    return SafeString(
        "".join(
            '\n            <li class="person">'
            f"\n              {row.avatar}"
            '\n              <div class="person-main">'
            f'\n                <a class="person-name" href="{escape(row.href)}">'
            f"{escape(row.name)}</a>"
            f'\n                <p class="person-why">{escape(row.why)}</p>'
            "\n              </div>"
            "\n            </li>\n          "
            for row in rows
        )
    )
