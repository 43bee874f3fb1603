"""Thin Celery tasks for accounts."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction

from accounts import services


@shared_task(ignore_result=True)
def send_password_reset(email: str) -> int:
    """Look for the account using ``email`` and send it a password reset link."""
    return services.password_reset_send(email=email)


def enqueue_password_reset(email: str) -> None:
    """Queue a reset email for ``email`` once the current transaction commits.

    robust=True: a broker that is down must not turn the request into an error (the page says
    the same either way; the person can ask again)."""
    transaction.on_commit(partial(send_password_reset.delay, email), robust=True)
