"""The API's worker tasks: webhook deliveries and the daily purge of idempotency records
(docs/architecture.md, "Webhooks"). Thin: take ids, call one service."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task

from api.idempotency import idempotency_purge
from api.services.webhooks import deliveries_due, deliveries_purge, delivery_send
from network_crm.clock import now

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_webhook_delivery(delivery_id: int) -> str:
    return delivery_send(delivery_id=delivery_id, now=now())


@shared_task(ignore_result=True)
def deliver_webhooks() -> int:
    """Beat, every minute: retries that came due, stale claims, and anything never queued."""
    ids = deliveries_due(now=now())
    enqueue_deliveries(ids)
    return len(ids)


@shared_task(ignore_result=True)
def purge_api_records() -> str:
    moment = now()
    records = idempotency_purge(now=moment)
    deliveries = deliveries_purge(now=moment)
    return f"{records} idempotency record(s), {deliveries} webhook delivery(ies) purged"


def enqueue_deliveries(delivery_ids: Iterable[int]) -> None:
    """Queue each delivery. A broker that is down must not fail the caller: the rows stay
    pending and beat's deliver_webhooks queues them again. The first failure stops the loop,
    so a request waits for the broker's connect timeout once, not once per delivery."""
    for delivery_id in delivery_ids:
        try:
            send_webhook_delivery.delay(delivery_id)
        except Exception:
            logger.warning("Could not queue webhook deliveries from %s on; beat will.", delivery_id)
            return
