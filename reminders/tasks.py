"""Thin Celery tasks: take ids, call one service."""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction

from network_crm.broker import broker_prune
from network_crm.clock import now
from reminders.services.digests import digest_send
from reminders.services.sweep import sweep_run

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sweep() -> str:
    """Run the reminder sweep and enqueue the digests it owes."""
    report = sweep_run(now=now())
    for digest_id in report.digests_to_deliver:
        enqueue_digest(digest_id)
    logger.info("Sweep: %s", report.summary())
    return report.summary()


@shared_task(ignore_result=True)
def send_digest(digest_id: int) -> str:
    return digest_send(digest_id=digest_id, now=now())


def enqueue_digest(digest_id: int) -> None:
    """Queue a digest for sending once the current transaction commits.

    robust=True: a broker that is down must not turn a successful request or sweep into an error;
    the Digest row stays pending and the next sweep enqueues it again.
    """
    transaction.on_commit(partial(send_digest.delay, digest_id), robust=True)


@shared_task(ignore_result=True)
def prune_broker() -> int:
    """Delete consumed messages from the embedded SQLite broker, which otherwise keeps them.

    The prune is the kit's (network_crm/broker.py); the task stays here because beat and any
    queued message name it "reminders.tasks.prune_broker"."""
    return broker_prune(broker_url=settings.CELERY_BROKER_URL)
