"""Password reset: the same answer whether or not an account uses the address (the worker looks
for it and sends the email), links that work, and a limit on how many emails go out."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from accounts import tasks
from tests.accounts.conftest import reset_link
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db

NEW_PASSWORD = {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}


def test_known_and_unknown_addresses_get_the_same_answer_with_the_same_queries(
    client, alice, django_assert_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("password_reset")
    answers = []
    for email in ("alice@example.com", "nobody@example.com"):
        # A savepoint around: prune old requests, two counts, note this one.
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            django_assert_num_queries(6),
        ):
            response = client.post(url, {"email": email})
        answers.append((response.status_code, response["Location"], response.content))
        # The view queues the address as typed, known or not; it sends nothing itself.
        assert [(c.func, c.args) for c in callbacks] == [
            (tasks.send_password_reset.delay, (email,))
        ]
    assert answers[0] == answers[1]
    assert mailoutbox == []
    done = client.get(answers[0][1])
    assert "If an account uses that address" in done.content.decode()


def test_the_task_sends_the_link_to_the_account_in_any_case_and_it_works(
    client, alice, mailoutbox, ask_for_reset
):
    ask_for_reset("ALICE@Example.COM")
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    form_page = client.get(reset_link(message), follow=True)
    assert client.post(form_page.redirect_chain[-1][0], NEW_PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-42")


def test_the_task_sends_nothing_for_an_unknown_address(alice, mailoutbox):
    assert tasks.send_password_reset("nobody@example.com") == 0
    assert mailoutbox == []


def test_the_task_sends_through_a_real_smtp_server(alice, smtp_settings, smtp_server):
    assert tasks.send_password_reset("alice@example.com") == 1
    (received,) = smtp_server.wait_for_messages(1, timeout=10)
    assert received.rcpt_tos == ["alice@example.com"]
    assert "/password/reset/" in received.message.get_content()


def test_at_most_three_reset_emails_an_hour_go_to_one_address(
    client, alice, mailoutbox, ask_for_reset, settings
):
    assert settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT == 3
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        answers = set()
        for minute in range(6):
            # From a different client address each time: the limit is per account too.
            response = ask_for_reset("alice@example.com", REMOTE_ADDR=f"192.0.2.{minute + 1}")
            answers.add((response.status_code, response["Location"]))
            traveller.shift(dt.timedelta(minutes=1))
        assert len(mailoutbox) == 3
        assert len(answers) == 1  # the page does not say when the limit was reached
        traveller.shift(dt.timedelta(hours=1))
        ask_for_reset("alice@example.com")
        assert len(mailoutbox) == 4


def test_at_most_ten_reset_emails_an_hour_are_asked_for_from_one_address(
    client, mailoutbox, ask_for_reset, settings
):
    from tests.factories import UserFactory

    assert settings.PASSWORD_RESET_EMAILS_PER_ADDRESS == 10
    for n in range(12):
        UserFactory(email=f"person{n}@example.com")
    with time_machine.travel(FROZEN_NOW, tick=False):
        for n in range(12):
            ask_for_reset(f"person{n}@example.com", REMOTE_ADDR="198.51.100.7")
        assert len(mailoutbox) == 10
        ask_for_reset("person11@example.com", REMOTE_ADDR="198.51.100.8")
        assert len(mailoutbox) == 11


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reset_email(
    client, celery_processes, redis_server, smtp_server, settings
):
    from django.contrib.auth import get_user_model

    from tests.fixtures.processes import broker_url

    get_user_model().objects.create_user(email="alice@example.com", password="old-password-1")
    with broker_url(redis_server.url):
        response = client.post(reverse("password_reset"), {"email": "Alice@Example.com"})
    assert response.status_code == 302
    (received,) = smtp_server.wait_for_messages(1, timeout=30)
    assert received.rcpt_tos == ["alice@example.com"]
    link = next(
        line for line in received.message.get_content().splitlines() if "/password/reset/" in line
    )
    settings.SECRET_KEY = celery_processes.env["SECRET_KEY"]  # the worker signed the link
    form_page = client.get(urlsplit(link.strip()).path, follow=True)
    assert client.post(form_page.redirect_chain[-1][0], NEW_PASSWORD).status_code == 302
