from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts import tasks


@pytest.fixture
def ask_for_reset(client, django_capture_on_commit_callbacks, mailoutbox):
    """Post the password reset form, then run what it queued as the worker would (the view
    only queues the address; the task looks for the account and sends the email)."""

    def ask(email: str, **extra):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("password_reset"), {"email": email}, **extra)
        for callback in callbacks:
            assert callback.func == tasks.send_password_reset.delay
            tasks.send_password_reset(*callback.args)
        return response

    return ask


def reset_link(message) -> str:
    """The path of the reset link in an email."""
    link = next(line for line in message.body.splitlines() if "/password/reset/" in line)
    return urlsplit(link.strip()).path
