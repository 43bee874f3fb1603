"""The "Shared" card of a person's page: its raw reads give what the ORM selectors give, and its
"They sent you something" form is ReceivedForm's markup."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import engines
from django.urls import reverse
from pytest_django.asserts import assertHTMLEqual

from giving import things_selectors as selectors
from giving.things import share_give
from giving.things_forms import ReceivedForm
from tests.giving.things.factories import ShareFactory, ShareItemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


def test_things_on_the_page_are_items_for_contact(alice, people):
    jazz, climbing, ana = people["jazz"], people["climbing"], people["ana"]
    items = [ShareItemFactory(owner=alice, title=f"Jazz {n}", topics=[jazz]) for n in range(3)]
    both = ShareItemFactory(owner=alice, title="Both", topics=[jazz, climbing])
    ShareItemFactory(owner=alice, title="Archived", archived=True, topics=[jazz])
    ShareItemFactory(owner=alice, title="Unrelated")
    ShareItemFactory(owner=people["ben"].owner, title="", url="https://x.org", topics=[climbing])
    share_give(item=items[2], contact=ana, now=NOW, today=TODAY)
    expected = selectors.items_for_contact(owner=alice, contact=ana, today=TODAY)
    on_page = selectors.things_on_page(contact=ana)
    assert [row["pk"] for row in on_page] == [item.pk for item in expected]
    assert expected[0] == both and [row["text"] for row in on_page][:1] == ["Both"]
    assert on_page[0]["url"] == reverse("things:detail", args=[both.pk])


def test_shares_on_the_page_link_what_you_sent_and_what_they_sent(alice_client, alice, people):
    ana = people["ana"]
    item = ShareItemFactory(owner=alice, title="A talk")
    ShareFactory(contact=ana, item=item, title="A talk", shared_on=dt.date(2026, 11, 20))
    ShareFactory(
        contact=ana,
        direction="received",
        title="",
        url="https://example.org/<x>",
        shared_on=dt.date(2026, 11, 21),
    )
    ShareFactory(contact=ana, direction="received", title="A book", shared_on=dt.date(2026, 11, 1))
    html = alice_client.get(reverse("contacts:detail", args=[ana.pk])).content.decode()
    shared = re.search(r'<ul class="things shared-list">.*?</ul>', html, re.S).group(0)
    assert shared.index("example.org") < shared.index("A talk") < shared.index("A book")
    assert f'<a href="{reverse("things:detail", args=[item.pk])}">A talk</a>' in shared
    assert (
        '<a href="https://example.org/&lt;x&gt;" rel="noopener noreferrer" target="_blank">'
        "https://example.org/&lt;x&gt;</a>"
    ) in shared
    assert "Ana Lima sent you</span>\n          A book" in shared
    assert "· 20 November 2026" in shared


def test_the_received_form_is_the_forms_markup(alice_client, people):
    ana = people["ana"]
    html = alice_client.get(reverse("contacts:detail", args=[ana.pk])).content.decode()
    fields = re.search(
        r'<details class="received-form">.*?(<div class="form-grid">.*?</div>\s*</div>)',
        html,
        re.S,
    ).group(1)
    form = ReceivedForm(auto_id="received_%s")
    expected = (
        engines["django"]
        .from_string(
            '<div class="form-grid"><div class="field">{{ form.title.as_field_group }}</div>'
            '<div class="field">{{ form.url.as_field_group }}</div></div>'
        )
        .render({"form": form})
    )
    assertHTMLEqual(fields, expected)
