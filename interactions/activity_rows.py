"""The activity list's days, written once per item in Python (issue 21): each day's heading and
each interaction's ``<li>`` (kind icon, people, place, edit link, notes), as the loop of
templates/interactions/interaction_list.html wrote them, byte for byte
(tests/interactions/views/test_activity_rows_markup.py renders both, hostile text included).
Through the template engine the loop was some 25 nodes an interaction, most of the page's
rendering (the way reminders/dashboard_cards.py writes the dashboard's cards).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from html import escape  # Django's escape, without its lazy-text wrapper

from django.template.loader import get_template
from django.utils.safestring import SafeString

from interactions.models import Interaction
from interactions.selectors import ActivityDayGroup, ActivityRow
from network_crm.dates import format_date
from network_crm.reversing import url_to
from network_crm.templatetags.crm import days_ago

_KINDS = dict(Interaction.Kind.choices)


def activity_days_html(
    groups: Iterable[ActivityDayGroup], *, today: dt.date, back: str
) -> SafeString:
    """Every day of ``groups`` (interactions.selectors.activity_page_by_day) with the whitespace
    around them, as the template's loop wrote them. ``back``: the page's own path and query,
    URL-quoted (the template's ``request.get_full_path|urlencode``), for the edit links."""
    back = escape(back)
    parts = []
    for group in groups:
        parts.append('\n      <h2 class="day-heading">')
        if group.relative:
            parts.append(escape(group.relative))
        else:
            style = "weekday" if group.day.year == today.year else "full"
            parts.append(escape(format_date(group.day, style)))
        if group.continued:
            parts.append(' <span class="muted">(continued)</span>')
        if not group.relative:
            parts.append(
                f' <span class="day-ago muted">{escape(days_ago(group.day, today))}</span>'
            )
        parts.append('</h2>\n      <ol class="activity-day">\n        ')
        parts.extend(_row(row, back) for row in group.interactions)
        parts.append("\n      </ol>\n      ")
        if group.continues:
            parts.append(
                '<p class="muted small day-continues">This day continues on the next page.</p>'
            )
        parts.append("\n    ")
    return SafeString("".join(parts))


def _row(row: ActivityRow, back: str) -> str:
    label = str(_KINDS.get(row.kind, row.kind))
    people = ", ".join(
        f'<a href="{escape(url_to("contacts:detail", pk))}">{escape(name)}</a>'
        for pk, name in row.people
    )
    place = f' <span class="muted">· {escape(row.place)}</span>' if row.place else ""
    notes = f'<div class="notes">{escape(row.notes)}</div>' if row.notes else ""
    edit = escape(url_to("interactions:edit", row.pk))
    hidden = f" this {escape(label.lower())} of {escape(format_date(row.occurred_on, 'long'))}"
    return (
        '\n          <li class="activity-row">\n'
        f"            {kind_icon(row.kind)}\n"
        '            <div class="activity-main">\n'
        f'              <p class="activity-line"><strong>{escape(label)}</strong> with '
        f"{people}{place}\n"
        f'                <a class="activity-edit small" href="{edit}?next={back}">Edit'
        f'<span class="visually-hidden">{hidden}</span></a></p>\n'
        f"              {notes}\n"
        "            </div>\n"
        "          </li>\n        "
    )


@functools.lru_cache(maxsize=32)
def kind_icon(kind: str) -> str:
    """interactions/_kind_icon.html for ``kind``, rendered once per kind and process (it depends
    on nothing else)."""
    return get_template("interactions/_kind_icon.html").render({"kind": kind})
