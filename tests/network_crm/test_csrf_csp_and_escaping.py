"""Cross-cutting web security: CSRF on every write (htmx included), CSP and other headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from interactions.models import Interaction
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def test_an_htmx_post_without_the_csrf_token_is_refused(strict_client, alice):
    contact = ContactFactory(owner=alice, cadence_days=7)
    url = reverse("interactions:log", args=[contact.pk])
    response = strict_client.post(url, {"kind": "coffee"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert not Interaction.objects.exists()


def test_the_token_from_the_page_header_lets_htmx_post(strict_client, alice):
    contact = ContactFactory(owner=alice, cadence_days=7)
    page = strict_client.get(contact.get_absolute_url())
    html = page.content.decode()
    # base.html hands the token to htmx once, for every request it makes.
    token = html.split('hx-headers=\'{"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = strict_client.post(
        reverse("interactions:log", args=[contact.pk]),
        {"kind": "coffee"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert Interaction.objects.count() == 1


def test_pages_carry_a_strict_content_security_policy(alice_client):
    response = alice_client.get(reverse("dashboard"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    html = response.content.decode()
    # htmx is loaded with the nonce and configured for the policy.
    assert f'nonce="{nonce}"' in html
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert " style=" not in html and "hx-on" not in html
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_text_is_inert_in_pages_and_fragments(alice_client, alice):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)> hx-get="/admin/" {{ 7*7 }}'
    contact = ContactFactory(owner=alice, name=evil, notes=evil, cadence_days=1)
    Contact.objects.filter(pk=contact.pk).update(next_reach_out_on="2000-01-01")
    for url, headers in [
        (contact.get_absolute_url(), {}),
        (reverse("contacts:list"), {}),
        (reverse("contacts:list") + "?q=script", {"HX-Request": "true"}),
        (reverse("dashboard"), {}),
        (reverse("dashboard"), {"HX-Request": "true"}),
    ]:
        html = alice_client.get(url, headers=headers).content.decode()
        assert "<script>alert(1)" not in html, url
        assert "<img src=x" not in html, url
        assert 'hx-get="/admin/"' not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "{{ 7*7 }}" in html or "{{ 7*7 }}".replace('"', "&quot;") in html, url
