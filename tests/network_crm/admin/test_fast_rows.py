"""The contact changelist's rows written by network_crm/admin_rows.py are Django's, byte for byte.

Each page is fetched twice: as it is served (the rows written once per page in Python) and with
the fast path turned off (Django's ``{% result_list %}``, one bound form per row), and the two
must be equal but for the per-response CSRF token and CSP nonce. The people have hostile names,
every status, empty values; the pages are sorted, filtered, searched and paginated.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

import network_crm.admin
from contacts.admin import ContactAdmin
from contacts.models import Contact
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:contacts_contact_changelist")
NOON_UTC = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)

HOSTILE_NAMES = [
    "Ann & <Bob> \"Q\" 'x'",
    "  Spaced out  ",
    "Zoë for Zoë",
    "{} {0} %s",
    "Close friends",  # the same as a circle's name
    "Ṁüłtï ščrïpt 名前",
    "javascript:alert(1)",
]


@pytest.fixture
def admin_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def people(alice):
    close = CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    odd = CircleFactory(owner=alice, name="Odd <circle> & co", cadence_days=None)
    made = []
    for number, name in enumerate(HOSTILE_NAMES):
        made.append(
            ContactFactory(
                owner=alice,
                name=name,
                circle=[close, odd, None][number % 3],
                cadence_days=[None, 7, 30, 1][number % 4],
                last_interaction_on=[None, TODAY - dt.timedelta(days=40)][number % 2],
                next_reach_out_on=[None, TODAY, TODAY - dt.timedelta(days=3)][number % 3],
                archived=number == 3,
                paused=number == 4,
            )
        )
    return made


def _normalized(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def _both_ways(client, monkeypatch, url: str) -> tuple[str, str, object]:
    with time_machine.travel(NOON_UTC, tick=False):
        fast = client.get(url)
        with monkeypatch.context() as patch:
            patch.setattr(network_crm.admin, "fast_result_list", lambda cl, request: None)
            stock = client.get(url)
    return _normalized(fast), _normalized(stock), fast


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?o=-4.2",
        "?o=5",
        "?status=due",
        "?status=archived&o=1",
        "?circle__isnull=True",
        "?q=ann&o=-3",
        "?q=%22%3Cb%3E%26amp%3B",
        "?last_contact=never",
        "?q=nobody-matches-this",
    ],
)
def test_the_rows_are_djangos_byte_for_byte(admin_client, people, monkeypatch, query):
    fast, stock, response = _both_ways(admin_client, monkeypatch, URL + query)
    assert fast == stock
    if response.context["cl"].result_count:
        assert response.context["fast_result_list"] is not None  # the fast path was taken
        assert 'class="action-select"' in fast


def test_pages_and_preserved_filters_are_the_same(admin_client, people, monkeypatch):
    monkeypatch.setattr(ContactAdmin, "list_per_page", 3)
    for query in ("?p=2", "?p=3&o=2", "?status=due&p=1&q=o"):
        fast, stock, response = _both_ways(admin_client, monkeypatch, URL + query)
        assert fast == stock
    assert "_changelist_filters=" in fast  # the change links keep the filters


def test_a_row_without_a_name_is_left_to_django(admin_client, people, alice, monkeypatch):
    # admin_a11y names such a row's controls without " for …": the stock tag writes the page.
    Contact.objects.filter(pk=people[0].pk).update(name="")
    fast, stock, response = _both_ways(admin_client, monkeypatch, URL)
    assert fast == stock
    assert response.context["fast_result_list"] is None


def test_a_post_with_errors_is_left_to_django(admin_client, people):
    amara = people[0]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(amara.pk),
        "form-0-circle": "",
        "form-0-cadence_days": "abc",
        "_save": "Save",
    }
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["fast_result_list"] is None
    html = response.content.decode()
    assert "Enter a whole number." in html and 'aria-invalid="true"' in html


def test_a_get_builds_no_row_form_however_many_rows(admin_client, alice, monkeypatch):
    built = []
    formset_class = network_crm.admin._shared_choices_formset

    def counting(formset):
        cls = formset_class(formset)
        original = cls._construct_form

        def construct(self, i, **kwargs):
            built.append(i)
            return original(self, i, **kwargs)

        cls._construct_form = construct
        return cls

    monkeypatch.setattr(network_crm.admin, "_shared_choices_formset", counting)
    circle = CircleFactory(owner=alice, name="Friends")
    for number in range(30):
        ContactFactory(owner=alice, name=f"Person {number:02d}", circle=circle)
    html = admin_client.get(URL).content.decode()
    assert html.count('name="_selected_action"') == 30
    # One form for the media (row 0's, checked against the rows written), one whose controls
    # every row's are written from, and the last row's, checked too.
    assert len(built) <= 3


def test_the_checkbox_writer_writes_action_checkbox(people):
    model_admin = admin.site._registry[Contact]
    write = model_admin.action_checkbox_writer()
    for person in people:
        assert write(person, str(person)) == model_admin.action_checkbox(person)


def test_controls_that_differ_by_row_otherwise_are_left_to_django(
    admin_client, people, monkeypatch
):
    # A formset that puts something of its own row in a control (here, the row's number in a
    # data attribute) is caught on the rows checked: Django's tag writes the page.
    original = ContactAdmin.get_changelist_formset

    def numbered(self, request, **kwargs):
        formset_class = original(self, request, **kwargs)

        class Numbered(formset_class):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                form.fields["cadence_days"].widget.attrs["data-row"] = str(index)

        return Numbered

    monkeypatch.setattr(ContactAdmin, "get_changelist_formset", numbered)
    fast, stock, response = _both_ways(admin_client, monkeypatch, URL)
    assert fast == stock
    assert response.context["fast_result_list"] is None
    assert 'data-row="1"' in fast
