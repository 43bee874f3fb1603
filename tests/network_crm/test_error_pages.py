"""The error pages (400, 403 and a refused form, 404, 500) in the app's look, each with a way home,
as a visitor gets them: DEBUG off, through Django's own handlers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from contacts.models import Contact
from network_crm.urls import urlpatterns as app_urlpatterns
from tests.factories import ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _suspicious(request):
    raise SuspiciousOperation("a malformed request")


def _forbidden(request):
    raise PermissionDenied("Only the owner of this instance may do that.")


def _broken(request):
    raise RuntimeError("a bug")


# This module is the URLconf of its tests: the app's URLs and three views that fail on purpose.
urlpatterns = [
    *app_urlpatterns,
    path("test-400/", _suspicious),
    path("test-403/", _forbidden),
    path("test-500/", _broken),
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_styled_with_a_way_home(html: str, home: str = "/") -> None:
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html
    assert f'href="{home}"' in html
    assert "Back to today" in html
    assert "<script>" not in html and "style=" not in html
    assert "{#" not in html and "{%" not in html  # no template comment shown as text


def test_400(client):
    response = client.get("/test-400/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>That request could not be read</h1>" in html
    assert "a malformed request" not in html
    assert_styled_with_a_way_home(html)


def test_a_host_we_do_not_serve_is_a_400_page_too(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "That request could not be read" in response.content.decode()


def test_403_says_why_in_the_app_look_with_the_menu(alice_client):
    response = alice_client.get("/test-403/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You can't do that here</h1>" in html
    assert "Only the owner of this instance may do that." in html
    assert '<nav aria-label="Main">' in html  # base.html: signed in, the menu is there
    assert_styled_with_a_way_home(html, reverse("dashboard"))


def test_404_for_a_missing_address_and_for_another_users_person(alice_client, bob):
    for url in ("/no/such/page/", reverse("contacts:detail", args=[10**9])):
        response = alice_client.get(url)
        html = response.content.decode()
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in html
        assert f'href="{reverse("contacts:list")}">Your people' in html
        assert_styled_with_a_way_home(html, reverse("dashboard"))
    theirs = ContactFactory(owner=bob, name="Bob's friend")
    response = alice_client.get(theirs.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Bob&#x27;s friend" not in response.content.decode()


def test_404_signed_out(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Your people" not in response.content.decode()


def test_500_is_styled_and_needs_no_database(client):
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/test-500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "a bug" not in html
    assert_styled_with_a_way_home(html)
    assert len(queries) == 0


def test_the_500_page_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html


def test_a_form_refused_by_the_csrf_check_explains_and_leads_back(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    edit = reverse("contacts:create")
    response = client.post(
        edit,
        {"name": "Ana", "methods-TOTAL_FORMS": "0", "methods-INITIAL_FORMS": "0"},
        headers={"Referer": f"http://testserver{edit}"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Please send that again</h1>" in html
    assert "the page was open for a long time" in html
    assert f'href="http://testserver{edit}">Back to the page' in html
    assert "Reason (shown in debug mode only)" not in html
    assert_styled_with_a_way_home(html, reverse("dashboard"))
    assert not Contact.objects.exists()


def test_the_csrf_page_links_back_only_to_our_own_pages(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("contacts:create"), {"name": "Ana"}, headers={"Referer": "https://evil.example/"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "evil.example" not in html
    assert "Back to the page" not in html
    assert "Back to today" in html


def test_the_csrf_reason_is_shown_in_debug_mode_only(alice, settings):
    settings.DEBUG = True
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("contacts:create"), {"name": "Ana"})
    assert response.status_code == 403
    assert "Reason (shown in debug mode only): CSRF cookie not set." in response.content.decode()
