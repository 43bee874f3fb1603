"""``Idempotency-Key`` on POST: a retried create returns the first result, never a second row.

The record is inserted first, in the same transaction as the create: a concurrent retry's insert
waits on the unique (owner, key) index until the first commits, then finds the stored answer and
replays it (docs/architecture.md, "The API"). A refused request (4xx/5xx) keeps no record, so the
client may fix it and retry with the same key. Records are purged after a day.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEPT_FOR = dt.timedelta(hours=24)
REPLAYED_HEADERS = ("Location", "ETag")


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):  # form or multipart: fields and uploaded files' bytes
        for name, values in sorted(data.lists()):
            for value in values:
                digest.update(name.encode() + b"=")
                if hasattr(value, "chunks"):
                    # The name too: the same bytes under another name are another import.
                    digest.update(f"{value.name}:".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
                digest.update(b"\n")
    else:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise exceptions.ValidationError(
            {HEADER: "This key was already used for a different request; use a new key."},
            code="idempotency_key_reused",
        )
    headers = {**record.response_headers, "Idempotent-Replayed": "true"}
    return Response(record.response_body, status=record.response_status, headers=headers)


def idempotent(handler):
    """Wraps a POST handler of a viewset (``create`` or an ``@action``)."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > 255:
            raise exceptions.ValidationError({HEADER: "Give a key of 1 to 255 characters."})
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        owner=request.user,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        fingerprint=fingerprint,
                    )
            except IntegrityError:
                record = IdempotencyRecord.objects.get(owner=request.user, key=key)
                return _replay(record, fingerprint)
            response = handler(self, request, *args, **kwargs)
            if response.status_code >= status.HTTP_400_BAD_REQUEST:
                record.delete()
                return response
            record.response_status = response.status_code
            record.response_body = json.loads(json.dumps(response.data, default=str))
            record.response_headers = {
                name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
            }
            record.save(update_fields=["response_status", "response_body", "response_headers"])
            return response

    return wrapper


def idempotency_purge(*, now: dt.datetime) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
