"""Thin Celery tasks: the digest to channels and devices (notify/services/deliveries.py,
docs/architecture.md "Notifications")."""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from network_crm.clock import now
from notify.services.deliveries import (
    deliveries_purge,
    deliveries_run,
    digest_fan_out,
    digests_to_fan_out,
)

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_digest(digest_id: int) -> str:
    """Right after the sweep made a digest: its rows, then the first attempt at each."""
    started = now()
    created = digest_fan_out(digest_id=digest_id, now=started)
    outcomes = deliveries_run(now=started, clock=now, digest_id=digest_id)
    return f"{created} new, {outcomes}"


@shared_task(ignore_result=True)
def deliver_notifications() -> str:
    """Beat, every minute: fan-out of recent digests (in case deliver_digest was lost), retries
    that came due, stale claims, and the purge of old rows."""
    started = now()
    created = sum(
        digest_fan_out(digest_id=pk, now=started) for pk in digests_to_fan_out(now=started)
    )
    outcomes = deliveries_run(now=started, clock=now)
    purged = deliveries_purge(now=started)
    summary = f"{created} new, {outcomes}, {purged} purged"
    logger.info("Notifications: %s", summary)
    return summary


def enqueue_digest_delivery(digest_id: int) -> None:
    """Queue deliver_digest once the sweep's transaction commits. robust=True: a broker that is
    down must not fail the sweep; beat's deliver_notifications fans the digest out instead."""
    transaction.on_commit(partial(deliver_digest.delay, digest_id), robust=True)
