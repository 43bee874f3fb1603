"""The quick log on a person's page is plain markup (interactions/_contact_log.html): it must
stay the markup QuickLogForm renders (interactions/log_form.html, used after a post)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertHTMLEqual

from interactions.forms import QuickLogForm
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # conftest.FROZEN_NOW, in alice's zone


def _log_form(html: str) -> str:
    form = re.search(r'<form id="log-form".*?</form>', html, re.S).group(0)
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">', "", form)


def test_the_quick_log_is_the_forms_markup(alice_client, alice, frozen_now):
    ana = ContactFactory(owner=alice, name="Ana <Lima>")
    page = alice_client.get(reverse("contacts:detail", args=[ana.pk])).content.decode()
    form = QuickLogForm(initial={"occurred_on": TODAY}, today=TODAY)
    rendered = render_to_string("interactions/log_form.html", {"form": form, "contact": ana})
    assertHTMLEqual(_log_form(page), _log_form(rendered))


def test_the_history_writes_each_row_and_counts_the_rest(alice_client, alice, frozen_now):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    for n in range(11):
        InteractionFactory(
            owner=alice,
            contacts=[ana],
            kind="video_call" if n == 10 else "coffee",
            occurred_at=dt.datetime(2026, 11, 7 + n, 12, tzinfo=dt.UTC),
            ask_next_time="her move" if n == 10 else "",
            notes="<b>bold</b>" if n == 10 else "",
        )
    html = alice_client.get(reverse("contacts:detail", args=[ana.pk])).content.decode()
    newest = re.search(r'<ol class="timeline".*?</li>', html, re.S).group(0)
    assert "<strong>Video call</strong> · Tue 17 Nov 2026" in newest
    assert '<span class="muted">(11 days ago)</span>' in newest
    assert f"/interactions/{ana.interactions.order_by('-occurred_at').first().pk}/edit/" in newest
    assert f"?next=/contacts/{ana.pk}/" in newest
    assert "this video call</span>" in newest
    assert "Next time, ask about: her move" in newest
    assert "&lt;b&gt;bold&lt;/b&gt;" in newest
    assert html.count("<strong>Coffee</strong>") == 9
    assert "All 11 interactions, page by page" in html
