"""Thin Celery tasks for the whole-account workflows."""

from __future__ import annotations

from celery import shared_task

from network_crm.clock import now
from portability import imports
from portability.models import ImportBatch


# The name it had in contacts: messages already waiting in the broker when this ships still run.
@shared_task(name="contacts.tasks.run_import", ignore_result=True)
def run_import(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("owner__settings").get(pk=batch_id)
    return imports.import_run(batch=batch, now=now()).state
