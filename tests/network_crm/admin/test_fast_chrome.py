"""The contact changelist's chrome written by network_crm/admin_chrome.py (the filter and
navigation sidebars) is Django's, byte for byte.

Each page is fetched as it is served and with the Python writers turned off (Django's templates
and tags), and the two must be equal but for the per-response CSRF token and CSP nonce. Circles,
interests and cities have hostile names; filters are selected, with and without counts.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import network_crm.admin
from contacts.admin import ContactAdmin
from contacts.admin_filters import CityFilter
from network_crm.admin_chrome import nav_sidebar_html
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:contacts_contact_changelist")
NOON_UTC = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)
HOSTILE = ["Ann & <Bob> \"Q\" 'x'", "{} {0} %s %(x)s", "Zoë 名前", "javascript:alert(1)"]


@pytest.fixture
def people(alice, bob):
    circles = [CircleFactory(owner=alice, name=name) for name in HOSTILE[:2]]
    interests = [InterestFactory(owner=alice, name=name) for name in HOSTILE]
    for number, name in enumerate(HOSTILE * 2):
        person = ContactFactory(
            owner=alice,
            name=f"Person {number}",
            circle=[*circles, None][number % 3],
            city=name if number % 2 else "",
            last_interaction_on=[None, TODAY - dt.timedelta(days=40)][number % 2],
            next_reach_out_on=TODAY,
        )
        person.interests.add(interests[number % len(interests)])
    # Bob's: never in alice's filters, rows or counts.
    theirs = ContactFactory(
        owner=bob,
        name="Bob's confidant",
        city="Secretville",
        circle=CircleFactory(owner=bob, name="Bob's poker night"),
    )
    theirs.interests.add(InterestFactory(owner=bob, name="Secret hobby"))
    ContactFactory(owner=bob, name="Bob's plain friend", circle=None)
    return circles, interests


def _normalized(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def _both_ways(client, monkeypatch, url: str) -> tuple[str, str]:
    with time_machine.travel(NOON_UTC, tick=False):
        fast = client.get(url)
        with monkeypatch.context() as patch:
            patch.setattr(network_crm.admin, "filters_html", lambda cl: None)
            stock = client.get(url)
    assert fast.context["fast_filters"] is not None
    assert stock.context["fast_filters"] is None
    return _normalized(fast), _normalized(stock)


QUERIES = [
    "",
    "?_facets=1",
    "?status=due",
    "?status=overdue&_facets=1",
    "?circle__isnull=True",
    "?interests__isnull=True&_facets=1",
    "?last_contact=never&o=2",
    "?q=person&last_contact=month",
    "?city=Zo%C3%AB+%E5%90%8D%E5%89%8D",
    "?city=Ann+%26+%3CBob%3E+%22Q%22+%27x%27&_facets=1",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_filters_are_djangos_byte_for_byte(alice_client, people, monkeypatch, query):
    fast, stock = _both_ways(alice_client, monkeypatch, URL + query)
    assert fast == stock
    assert 'id="changelist-filter"' in fast


def test_selected_circle_and_interest_filters(alice_client, people, monkeypatch):
    circles, interests = people
    for query in (
        f"?circle__id__exact={circles[0].pk}",
        f"?interests__id__exact={interests[1].pk}&_facets=1",
        f"?circle__id__exact={circles[1].pk}&interests__id__exact={interests[0].pk}",
    ):
        fast, stock = _both_ways(alice_client, monkeypatch, URL + query)
        assert fast == stock
        assert '<li class="selected">' in fast


def test_the_filters_show_only_the_users_own_choices_and_counts(alice_client, people):
    with time_machine.travel(NOON_UTC, tick=False):
        response = alice_client.get(URL + "?_facets=1")
    html = response.content.decode()
    assert response.context["fast_filters"] is not None
    for theirs in ("poker night", "Secret hobby", "Secretville", "confidant", "plain friend"):
        assert theirs not in html
    # Bob's people have no circle or no interest too: the counts are alice's alone.
    assert '<a href="?_facets=1&amp;circle__isnull=True">No circle (2)</a>' in html
    assert '<a href="?_facets=1&amp;interests__isnull=True">No interests (0)</a>' in html
    assert "Ann &amp; &lt;Bob&gt; &quot;Q&quot; &#x27;x&#x27; (2)</a>" in html
    assert 'href="?_facets=1&amp;city="' not in html  # half of them have no city


def test_a_filter_with_its_own_template_is_left_to_django(
    alice_client, people, monkeypatch, tmp_path, settings
):
    template_dir = tmp_path / "templates"
    (template_dir / "admin").mkdir(parents=True)
    (template_dir / "admin" / "city_filter.html").write_text(
        "<p class='mine'>{{ title }}:{% for c in choices %} {{ c.display }}{% endfor %}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(CityFilter, "template", "admin/city_filter.html")
    fast, stock = _both_ways(alice_client, monkeypatch, URL)
    assert fast == stock
    assert "<p class='mine'>city: All" in fast


def _both_ways_nav(client, monkeypatch, url: str) -> tuple[str, str]:
    fast = client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(network_crm.admin, "nav_sidebar_html", lambda apps, path: None)
        stock = client.get(url)
    assert fast.context["fast_nav_sidebar"] is not None
    assert stock.context["fast_nav_sidebar"] is None
    return _normalized(fast), _normalized(stock)


@pytest.mark.parametrize("superuser", [False, True])
def test_the_navigation_sidebar_is_djangos_byte_for_byte(
    alice_client, alice, people, monkeypatch, superuser
):
    alice.is_superuser = superuser
    alice.save()
    fast, stock = _both_ways_nav(alice_client, monkeypatch, URL + "?status=due")
    assert fast == stock
    assert 'id="nav-sidebar"' in fast
    assert '<a href="/admin/contacts/contact/" aria-current="page">' in fast
    assert ('href="/admin/accounts/user/add/"' in fast) is superuser


# As admin/base.html includes it in its nav-sidebar block.
NAV_BLOCK = '\n          {% include "admin/nav_sidebar.html" %}\n        '


@pytest.mark.parametrize("path", ["/admin/x%20y/<m>/", "/admin/other/"])
def test_the_navigation_writer_on_odd_names_and_no_apps(rf, path):
    odd_apps = [
        {
            "app_label": "x y",
            "app_url": "/admin/x%20y/",
            "name": "Ann & <Bob> \"Q\" 'x'",
            "models": [
                {
                    "object_name": "<M>",
                    "name": "Zoë's <models>",
                    "admin_url": "/admin/x%20y/%3Cm%3E/",
                    "add_url": "/admin/x%20y/<m>/add/?a=1&b=2",
                },
                {"object_name": "Plain", "name": "No links", "admin_url": None, "add_url": None},
            ],
        },
        {"app_label": "empty", "app_url": "/admin/empty/", "name": "Empty", "models": []},
    ]
    request = rf.get(path)
    template = engines["django"].from_string(NAV_BLOCK)
    for apps in (odd_apps, []):
        stock = template.render({"available_apps": apps}, request)
        assert nav_sidebar_html(apps, request.path) == stock
        assert ("current-model" in stock) is (bool(apps) and path != "/admin/other/")


@pytest.mark.parametrize(
    "query", ["", "?p=2", "?all=", "?p=99", "?o=2&p=3", "?q=", "?_facets=1", "?status=due"]
)
def test_the_whole_list_is_counted_once_and_the_page_is_the_same(
    alice_client, people, monkeypatch, query
):
    monkeypatch.setattr(ContactAdmin, "list_per_page", 3)
    url = URL + query
    with time_machine.travel(NOON_UTC, tick=False):
        alice_client.get(url)  # the session and the user's settings are read once
        with CaptureQueriesContext(connection) as fast_queries:
            fast = alice_client.get(url)
        with monkeypatch.context() as patch:
            patch.setattr(
                network_crm.admin, "_fast_changelist", lambda changelist, only: changelist
            )
            with CaptureQueriesContext(connection) as stock_queries:
                stock = alice_client.get(url)
    assert fast.status_code == stock.status_code
    if fast.status_code != 200:
        assert fast["Location"] == stock["Location"]
        return
    assert _normalized(fast) == _normalized(stock)
    narrowed = "status" in query
    counts = [
        sum(q["sql"].startswith("SELECT COUNT(*)") for q in queries)
        for queries in (fast_queries, stock_queries)
    ]
    assert counts == ([2, 2] if narrowed else [1, 2])
    assert fast.context["cl"].full_result_count == 8
