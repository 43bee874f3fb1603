"""Thin Celery tasks for contacts."""

from __future__ import annotations

from celery import shared_task

from contacts import imports
from contacts.models import ImportBatch
from network_crm.clock import now


@shared_task(ignore_result=True)
def run_import(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("owner__settings").get(pk=batch_id)
    return imports.import_run(batch=batch, now=now()).state
