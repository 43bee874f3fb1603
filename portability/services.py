"""The import pages' state changes: taking a file in, and confirming an import (now, or in the
worker). The steps themselves are in portability.imports."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portability import imports, tasks
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
    lines) for the worker and return None: the page polls for its progress."""
    if imports.import_runs_in_request(batch=batch):
        return imports.import_run(batch=batch, now=now)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.QUEUED)
    transaction.on_commit(partial(tasks.run_import.delay, batch.pk), robust=True)
    return None
