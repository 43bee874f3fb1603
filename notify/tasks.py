"""Thin Celery tasks: the periodic delivery of digests to channels and devices (notify/services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def deliver_notifications() -> str:
    # Filled in by the delivery engine (notify/services/deliveries.py).
    return "not yet"
