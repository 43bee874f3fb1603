"""Thin Celery tasks of giving: read a saved link's page (giving/things.py share_item_fetch)."""

from __future__ import annotations

from celery import shared_task

from giving.things import share_item_fetch
from network_crm.clock import now


@shared_task(ignore_result=True)
def fetch_share_item(item_id: int) -> str:
    """Right after a link is saved (on commit): its page's title and description."""
    return share_item_fetch(item_id=item_id, now=now()) or "nothing to do"
