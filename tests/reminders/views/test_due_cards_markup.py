"""The due cards' avatar and "why" line, written in Python by reminders.selectors (issue 21), are
byte for byte what the includes they replace (contacts/_avatar.html, contacts/_why.html) write,
for every case the includes tell apart; and the whole cards, meetup cards, "Recently" and
"Coming up" items (reminders/dashboard_cards.py) are what the template's loops and the meetup
include wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from contacts.list_rows import avatar_html
from contacts.models import Contact, ImportantDate
from interactions.models import Interaction
from reminders.dashboard_cards import (
    QUICK_LOG_KINDS,
    due_cards,
    meetup_cards,
    recent_items,
    upcoming_items,
)
from reminders.selectors import (
    _why_text,
    dashboard_due,
    recently_seen,
    upcoming_dates,
    upcoming_rows,
)
from tests.factories import CircleFactory, ContactFactory, InteractionFactory, InterestFactory
from tests.reminders.meetups.helpers import person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
AVATAR = Template('{% include "contacts/_avatar.html" %}')
WHY = Template('<p>{% include "contacts/_why.html" %}</p>')


@pytest.mark.parametrize("photo", ["", "photos/a.jpg"])
@pytest.mark.parametrize("name", ["Ana Lima", "é <b>&'\"", "  ", "李 小龍"])
@pytest.mark.parametrize("circle_cadence", [None, "none", 21])
@pytest.mark.parametrize("cadence", [None, 10])
@pytest.mark.parametrize("last", [None, 0, 1, 9, 400])
def test_written_as_the_includes_write_them(alice, photo, name, circle_cadence, cadence, last):
    circle = None
    if circle_cadence is not None:
        circle = CircleFactory(
            owner=alice,
            name="Friends & <family>",
            cadence_days=None if circle_cadence == "none" else circle_cadence,
        )
    contact = Contact.objects.create(
        owner=alice,
        name=name,
        photo=photo,
        circle=circle,
        cadence_days=cadence,
        added_on=TODAY,
        last_interaction_on=None if last is None else TODAY - dt.timedelta(days=last),
    )
    contact = Contact.objects.select_related("circle").get(pk=contact.pk)
    context = Context({"contact": contact, "today": TODAY})
    assert avatar_html(contact) == AVATAR.render(context)
    assert Template("<p>{{ why }}</p>").render(
        Context({"why": _why_text(contact, TODAY)})
    ) == WHY.render(context)


# --- The due section's cards (reminders/dashboard_cards.py) -----------------------------------
# The markup they replace, as templates/reminders/dashboard.html's loop and
# reminders/meetups/_card.html wrote it before (commit 9a0663c), verbatim.
OLD_DUE_LOOP = Template(
    """{% for contact in due.items %}
            <li class="person">
              {{ contact.avatar_html }}
              <div class="person-main">
                <a class="person-name" href="{{ contact.get_absolute_url }}">{{ contact.name }}</a>
                <p class="person-why">{{ contact.why }}</p>
                {% if contact.shared_interests %}<p class="talking-point">You both love {% for name in contact.shared_interests %}{% if not forloop.first %}{% if forloop.last %} and {% else %}, {% endif %}{% endif %}{{ name }}{% endfor %}.</p>{% endif %}
                {% if contact.ask_about %}<p class="talking-point">Ask about: {{ contact.ask_about }}</p>{% endif %}
              </div>
              {# One primary action; the rest in a disclosure menu (works without JS, by keyboard too). #}
              <div class="person-actions">
                {% for kind, label, label_lower in quick_kinds %}{% if forloop.first %}
                  <form method="post" action="{{ contact.log_path }}" hx-post="{{ contact.log_path }}" hx-target="#announce" hx-swap="innerHTML" data-offline-log="{{ contact.pk }}" data-offline-name="{{ contact.name }}" data-offline-kind="{{ label }}">
                    {% csrf_token %}<input type="hidden" name="kind" value="{{ kind }}"><input type="hidden" name="next" value="{{ dashboard_url }}"><input type="hidden" name="quick" value="1">
                    <button class="button small" type="submit">Log {{ label_lower }}<span class="visually-hidden"> with {{ contact.name }}</span></button>
                  </form>
                {% endif %}{% endfor %}
                <details class="menu">
                  <summary class="button small secondary">More<span class="visually-hidden"> for {{ contact.name }}</span></summary>
                  <div class="menu-items">
                    {% for kind, label, label_lower in quick_kinds %}{% if not forloop.first %}
                      <form method="post" action="{{ contact.log_path }}" hx-post="{{ contact.log_path }}" hx-target="#announce" hx-swap="innerHTML" data-offline-log="{{ contact.pk }}" data-offline-name="{{ contact.name }}" data-offline-kind="{{ label }}">
                        {% csrf_token %}<input type="hidden" name="kind" value="{{ kind }}"><input type="hidden" name="next" value="{{ dashboard_url }}"><input type="hidden" name="quick" value="1">
                        <button class="menu-item" type="submit">Log {{ label_lower }}<span class="visually-hidden"> with {{ contact.name }}</span></button>
                      </form>
                    {% endif %}{% endfor %}
                    <a class="menu-item" href="{{ contact.log_other_path }}">Log something else…<span class="visually-hidden"> with {{ contact.name }}</span></a>
                    <form method="post" action="{{ contact.snooze_path }}" hx-post="{{ contact.snooze_path }}" hx-target="#announce" hx-swap="innerHTML" class="menu-divider">
                      {% csrf_token %}<input type="hidden" name="days" value="7"><input type="hidden" name="next" value="{{ dashboard_url }}">
                      <button class="menu-item" type="submit">Snooze a week<span class="visually-hidden"> for {{ contact.name }}</span></button>
                    </form>
                    <form method="post" action="{{ contact.fine_path }}" hx-post="{{ contact.fine_path }}" hx-target="#announce" hx-swap="innerHTML">
                      {% csrf_token %}<input type="hidden" name="next" value="{{ dashboard_url }}">
                      <button class="menu-item" type="submit">We're fine<span class="visually-hidden"> with {{ contact.name }}</span></button>
                    </form>
                    <a class="menu-item" href="{{ contact.get_absolute_url }}">Open {{ contact.name }}'s page</a>
                  </div>
                </details>
              </div>
            </li>
          {% endfor %}"""
)
OLD_MEETUP_CARD = Template(
    """{# One meetup suggested in place of its people's single nudges (reminders/meetups.py); paths, avatars and "due …" texts from reminders.selectors.dashboard_due. #}
{% with card=forloop.counter %}
<article class="meetup" aria-labelledby="meetup-{{ card }}-title">
  <h3 id="meetup-{{ card }}-title">{{ meetup.title }}</h3>
  <ul class="meetup-people">
    {% for contact in meetup.people %}
      <li>{{ contact.avatar_html }}<span><a class="person-name" href="{{ contact.get_absolute_url }}">{{ contact.name }}</a>
        <span class="person-why">due {{ contact.due_text }}</span></span></li>
    {% endfor %}
  </ul>
  <p class="small muted">One {% if meetup.shares == "city" %}dinner{% else %}coffee{% endif %} instead of {{ meetup.people|length }} separate catch-ups: logging it counts for everyone.</p>
  <div class="meetup-actions">
    <form class="meetup-log" method="post" action="{{ meetup_paths.log }}" hx-post="{{ meetup_paths.log }}" hx-target="#announce" hx-swap="innerHTML">
      {% csrf_token %}{% for contact in meetup.people %}<input type="hidden" name="people" value="{{ contact.pk }}">{% endfor %}<input type="hidden" name="next" value="{{ dashboard_url }}">
      <label class="visually-hidden" for="meetup-{{ card }}-kind">What you did together</label>
      <select name="kind" id="meetup-{{ card }}-kind">{% for value, label in meetup.kinds %}<option value="{{ value }}">{{ label }}</option>{% endfor %}</select>
      <button class="button small" type="submit">Log it<span class="visually-hidden">: {{ meetup.title }}</span></button>
    </form>
    <form method="post" action="{{ meetup_paths.dismiss }}" hx-post="{{ meetup_paths.dismiss }}" hx-target="#announce" hx-swap="innerHTML">
      {% csrf_token %}{% for contact in meetup.people %}<input type="hidden" name="people" value="{{ contact.pk }}">{% endfor %}<input type="hidden" name="key" value="{{ meetup.key }}"><input type="hidden" name="next" value="{{ dashboard_url }}">
      <button class="button small secondary" type="submit">Not now<span class="visually-hidden">: {{ meetup.title }}</span></button>
    </form>
    {# "Plan it" once the plans page is there (meetup_paths.plan is empty without it). #}
    {% if meetup_paths.plan %}<a class="button small secondary" href="{{ meetup_paths.plan }}?{% for contact in meetup.people %}{% if not forloop.first %}&amp;{% endif %}contact={{ contact.pk }}{% endfor %}">Plan it<span class="visually-hidden">: {{ meetup.title }}</span></a>{% endif %}
  </div>
</article>
{% endwith %}
"""
)
OLD_MEETUPS = Template("{% for meetup in meetups %}{% include card %}{% endfor %}")
HOSTILE = "<script>alert('x')</script> \"Zé\" & Ann"


def _due_section(owner, *, meetups: bool):
    """The due section as the dashboard reads it: people due (and, with ``meetups``, two city
    meetups), every variety of name, photo, circle, interest and note."""
    owner.settings.daily_limit = 10
    owner.settings.save()
    circle = CircleFactory(owner=owner, name="Friends & <family>", cadence_days=21)

    def mine(*names):  # each interest someone's alone: no interest meetups
        return [InterestFactory(owner=owner, name=name, mine=True) for name in names]

    theirs = InterestFactory(owner=owner, name="golf", mine=False)
    city = "Lisbon" if meetups else ""
    people = [
        person(owner, "Ana Lima", due_in=-9, city=city, interests=mine("jazz")),
        person(owner, HOSTILE, due_in=-8, city=city, photo="photos/a.jpg"),
        person(
            owner,
            "李 小龍",
            due_in=-7,
            circle=circle,
            cadence=None,
            interests=mine("<b>chess</b>", "O'Neill's \"poems\"", "go"),
        ),
        person(owner, "  ", due_in=-6, interests=mine("a & b", "c")),
        person(owner, "O'Brien <i>", due_in=-5, interests=[theirs, *mine("x")]),
        person(owner, "Dev", due_in=-4, city=city and "<b>Porto</b>", last_interaction_on=TODAY),
        person(owner, "Eve", due_in=-3, city=city and "<b>Porto</b>", photo="photos/e.jpg"),
        person(owner, "Ben Costa", due_in=3, city=city),
    ]
    for contact, note in zip(people[:3], ["her <new> job", "", 'Tom\'s "band"'], strict=True):
        if note:
            InteractionFactory(owner=owner, contacts=[contact], ask_next_time=note)
    return dashboard_due(owner=owner, today=TODAY)


@pytest.mark.parametrize("token", ["abcDEF123", "<&\"'>"])
@pytest.mark.parametrize("next_url", ["/", "/app/?a=1&b=<2>"])
def test_due_cards_are_the_loop_they_replace(alice, token, next_url):
    section = _due_section(alice, meetups=False)
    items = section["due"].items
    assert len(items) == 7 and not section["meetups"]
    # And the cases the data above can't make: no interests attribute at all, a note that isn't
    # text, one interest.
    del items[0].shared_interests
    items[-1].ask_about = None
    items[1].shared_interests = ["one & only"]
    context = Context(
        {
            "due": section["due"],
            "quick_kinds": QUICK_LOG_KINDS,
            "dashboard_url": next_url,
            "csrf_token": token,
        }
    )
    assert due_cards(items, csrf_token=token, next_url=next_url) == OLD_DUE_LOOP.render(context)


@pytest.mark.parametrize("plan_path", ["/plans/add/", ""])
@pytest.mark.parametrize("token", ["abcDEF123", "<&\"'>"])
def test_meetup_cards_are_the_include_they_replace(alice, plan_path, token):
    section = _due_section(alice, meetups=True)
    meetups = section["meetups"]
    assert [meetup.shares for meetup in meetups] == ["city", "city"]
    assert any(HOSTILE in [p.name for p in meetup.people] for meetup in meetups)
    paths = {**section["meetup_paths"], "plan": plan_path}
    context = Context(
        {
            "meetups": meetups,
            "meetup_paths": paths,
            "dashboard_url": "/?x=<1>&y",
            "csrf_token": token,
            "card": OLD_MEETUP_CARD,
        }
    )
    written = meetup_cards(meetups, paths=paths, csrf_token=token, next_url="/?x=<1>&y")
    assert written == OLD_MEETUPS.render(context)


def test_an_interest_meetup_is_written_as_the_include_wrote_it(alice):
    mine = InterestFactory(owner=alice, name="<b>Jazz</b> & 'blues'", mine=True)
    person(alice, "Ana", due_in=-2, interests=[mine])
    person(alice, 'Ben "B"', due_in=1, interests=[mine])
    section = dashboard_due(owner=alice, today=TODAY)
    [meetup] = section["meetups"]
    assert meetup.shares == "interest"
    context = Context(
        {
            "meetups": [meetup],
            "meetup_paths": section["meetup_paths"],
            "dashboard_url": "/",
            "csrf_token": "t",
            "card": OLD_MEETUP_CARD,
        }
    )
    written = meetup_cards([meetup], paths=section["meetup_paths"], csrf_token="t", next_url="/")
    assert written == OLD_MEETUPS.render(context)


OLD_RECENT_LOOP = Template(
    """{% for interaction in recent %}
            <li><strong>{{ interaction.get_kind_display }}</strong> with {% for person in interaction.people %}{% if not forloop.first %}, {% endif %}<a href="{{ person.get_absolute_url }}">{{ person.name }}</a>{% endfor %} · <span class="muted">{{ interaction.occurred_on|days_ago:today }}</span></li>
          {% endfor %}"""  # noqa: E501
)
OLD_UPCOMING_LOOP = Template(
    """{% for item in upcoming %}
            <li class="person">
              {{ item.avatar }}
              <div class="person-main">
                <a class="person-name" href="{{ item.href }}">{{ item.name }}</a>
                <p class="person-why">{{ item.why }}</p>
              </div>
            </li>
          {% endfor %}"""
)


def test_recent_items_are_the_loop_they_replace(alice):
    ana = ContactFactory(owner=alice, name=HOSTILE)
    ben = ContactFactory(owner=alice, name="Ben O'Hara")
    chloe = ContactFactory(owner=alice, name="李 小龍")
    at = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    for days, kind, people in [
        (0, Interaction.Kind.COFFEE, [ana]),
        (1, Interaction.Kind.CALL, [ana, ben, chloe]),
        (2, Interaction.Kind.MESSAGE, []),
        (9, Interaction.Kind.OTHER, [ben, chloe]),
        (40, Interaction.Kind.SHARED, [chloe]),
        (800, Interaction.Kind.MEAL, [ana]),
    ]:
        InteractionFactory(
            owner=alice,
            kind=kind,
            contacts=people,
            occurred_at=at - dt.timedelta(days=days),
            occurred_on=(at - dt.timedelta(days=days)).date(),
        )
    recent = recently_seen(owner=alice)
    assert len(recent) == 6
    context = Context({"recent": recent, "today": TODAY})
    assert recent_items(recent, today=TODAY) == OLD_RECENT_LOOP.render(context)


def test_upcoming_items_are_the_loop_they_replace(alice):
    people = [
        ContactFactory(owner=alice, name=HOSTILE, photo="photos/a.jpg"),
        ContactFactory(owner=alice, name="Ben O'Hara"),
        ContactFactory(owner=alice, name="  "),
    ]
    for contact, (month, day, year, kind, label) in zip(
        people,
        [
            (11, 29, 1990, "birthday", ""),
            (12, 1, None, "anniversary", '<b>Wedding</b> & "party"'),
            (2, 29, None, "other", "Leap's day"),
        ],
        strict=True,
    ):
        ImportantDate.objects.create(
            owner=alice, contact=contact, month=month, day=day, year=year, kind=kind, label=label
        )
    today = dt.date(2027, 2, 20)  # 29 February falls on the 28th in 2027
    rows = upcoming_rows(upcoming_dates(owner=alice, today=today, days=366), today=today)
    assert len(rows) == 3
    context = Context({"upcoming": rows})
    assert upcoming_items(rows) == OLD_UPCOMING_LOOP.render(context)
