"""The import pages' state changes: taking a file in, confirming an import (now, or in the
worker) and undoing one. The steps themselves are in portability.imports; the rules of when each
may happen are here, so the pages and the API (api/views/portability.py) share them."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portability import imports, tasks
from portability.imports import ImportRefused
from portability.models import ImportBatch

if TYPE_CHECKING:
    from accounts.models import User


def import_begin(*, owner: User, upload: UploadedFile) -> ImportBatch:
    """Keep the file and preview it; any other CSV than Google's or LinkedIn's is previewed
    only once the user has said which column is what."""
    batch = imports.import_upload(owner=owner, upload=upload)
    if batch.kind != "csv":
        imports.import_preview(batch=batch)
    return batch


def import_confirm(*, batch: ImportBatch, now: dt.datetime) -> ImportBatch | None:
    """Import a small file now and return the batch; queue a big one (many cards, or many
    lines) for the worker and return None: the page polls for its progress.

    Raises ImportRefused if the import already ran, or is a CSV whose columns were not said."""
    if batch.state != ImportBatch.State.UPLOADED:
        raise ImportRefused("This import has already run.")
    if "preview" not in batch.summary:
        raise ImportRefused("Say which column holds what (at least the name) first.")
    if imports.import_runs_in_request(batch=batch):
        return imports.import_run(batch=batch, now=now)
    # Only from "uploaded": a second confirm racing this one queues nothing twice.
    if ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.UPLOADED).update(
        state=ImportBatch.State.QUEUED
    ):
        transaction.on_commit(partial(tasks.run_import.delay, batch.pk), robust=True)
    return None


def import_undo(*, batch: ImportBatch) -> tuple[int, int]:
    """Undo a finished (or failed) import: (people removed, people whose new details were taken
    back). Raises ImportRefused for an import that has not run, is running, or was undone."""
    if batch.state not in (ImportBatch.State.DONE, ImportBatch.State.FAILED):
        raise ImportRefused("Only a finished (or failed) import can be undone.")
    return imports.import_undo(batch=batch)
