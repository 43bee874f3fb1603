"""The activity list's days, written in Python (interactions/activity_rows.py, issue 21), are
byte for byte what the template's loop wrote (templates/interactions/interaction_list.html at
commit 1ab6bdb, verbatim below) for the same interactions read through the ORM: headings of
today, yesterday, this year and another year, days cut by a page boundary, every kind, several
people, no people, place and notes or none, hostile text everywhere, and a hostile query string
carried by the edit links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.template import Context, Template

from interactions import selectors, views
from interactions.activity_rows import activity_days_html
from interactions.models import Interaction
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

OLD_LOOP = Template(
    """{% with back=request.get_full_path|urlencode %}{% for group in days %}
      <h2 class="day-heading">{% if group.relative %}{{ group.relative }}{% else %}{% if group.day.year == today.year %}{{ group.day|user_date:"weekday" }}{% else %}{{ group.day|user_date:"full" }}{% endif %}{% endif %}{% if group.continued %} <span class="muted">(continued)</span>{% endif %}{% if not group.relative %} <span class="day-ago muted">{{ group.day|days_ago:today }}</span>{% endif %}</h2>
      <ol class="activity-day">
        {% for interaction in group.interactions %}
          <li class="activity-row">
            {% include "interactions/_kind_icon.html" with kind=interaction.kind %}
            <div class="activity-main">
              <p class="activity-line"><strong>{{ interaction.get_kind_display }}</strong> with {% for person in interaction.people %}{% if not forloop.first %}, {% endif %}<a href="{{ person.get_absolute_url }}">{{ person.name }}</a>{% endfor %}{% if interaction.place %} <span class="muted">· {{ interaction.place }}</span>{% endif %}
                <a class="activity-edit small" href="{% url 'interactions:edit' interaction.pk %}?next={{ back }}">Edit<span class="visually-hidden"> this {{ interaction.get_kind_display|lower }} of {{ interaction.occurred_on|user_date:"long" }}</span></a></p>
              {% if interaction.notes %}<div class="notes">{{ interaction.notes }}</div>{% endif %}
            </div>
          </li>
        {% endfor %}
      </ol>
      {% if group.continues %}<p class="muted small day-continues">This day continues on the next page.</p>{% endif %}
    {% endfor %}{% endwith %}"""
)

HOSTILE = "é <b>&'\" <script>alert(1)</script>"


def _as_models(groups: list[selectors.ActivityDayGroup]) -> list[selectors.ActivityDayGroup]:
    """The same days with each row as the template saw it: the interaction with ``people``,
    read through the ORM as interactions.selectors.attach_people read them."""
    models = []
    for group in groups:
        rows = []
        for row in group.interactions:
            interaction = Interaction.objects.get(pk=row.pk)
            interaction.people = list(interaction.contacts.order_by("sort_name", "pk"))
            rows.append(interaction)
        models.append(
            selectors.ActivityDayGroup(
                day=group.day,
                relative=group.relative,
                interactions=rows,
                continued=group.continued,
                continues=group.continues,
            )
        )
    return models


@pytest.fixture
def logged(alice, frozen_now):
    people = [
        ContactFactory(owner=alice, name=HOSTILE),
        ContactFactory(owner=alice, name="Ana Lima"),
        ContactFactory(owner=alice, name="ana lima"),  # the same sort name
        ContactFactory(owner=alice, name="李 小龍"),
    ]
    kinds = [kind for kind, _label in Interaction.Kind.choices]
    start = dt.datetime.now(dt.UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    # Today, yesterday, days of this year and of last year, two to three interactions a day.
    offsets = [0, 0, 1, 1, 1, 3, 40, 40, 200, 400, 400, 800]
    for n, days_back in enumerate(offsets):
        InteractionFactory(
            owner=alice,
            contacts=people[: n % 5],  # none, one, ... all four
            kind=kinds[n % len(kinds)],
            occurred_at=start - dt.timedelta(days=days_back, minutes=n),
            place=HOSTILE if n % 2 else "",
            notes=f"{HOSTILE} {n}" if n % 3 else "",
        )


@pytest.mark.parametrize("query", ["", "?x=%3Cb%3E%22%27%26&y=é"])
@pytest.mark.parametrize("page", [1, 2, 3])
def test_days_written_as_the_template_wrote_them(alice_client, logged, monkeypatch, query, page):
    # Pages of 5: days are cut by page boundaries (continued / continues).
    monkeypatch.setattr(views, "ACTIVITY_PAGE_SIZE", 5)
    separator = "&" if query else "?"
    response = alice_client.get(f"/interactions/{query}{separator}page={page}")
    assert response.status_code == 200
    context = response.context
    groups = context["days"]
    assert groups
    today = context["today"]
    request = response.wsgi_request
    old = OLD_LOOP.render(Context({"days": _as_models(groups), "today": today, "request": request}))
    new = activity_days_html(
        selectors.activity_page_by_day(page=context["page"], today=today),
        today=today,
        back=quote(request.get_full_path()),
    )
    assert new == old
    html = response.content.decode()
    assert "    " + old + "\n" in html
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_every_kind_and_heading_is_covered(alice_client, logged, monkeypatch):
    monkeypatch.setattr(views, "ACTIVITY_PAGE_SIZE", 50)
    html = alice_client.get("/interactions/").content.decode()
    for kind in Interaction.Kind.values:
        assert f"kind-icon kind-{kind}" in html
    assert "Today" in html and "Yesterday" in html
    assert "(continued)" not in html
