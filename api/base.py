"""What every API view shares (docs/architecture.md, "The API"):

- ``OwnedViewSet``: querysets start from the owner (``owned_queryset``); another user's id is a
  404, exactly like one that does not exist (network_crm/owned.py).
- ``ETagMixin``: reads answer an ``ETag``; PUT/PATCH/DELETE with a stale ``If-Match`` get 412
  and change nothing. The tag is a hash of the read representation (``serializer_class``), so it
  changes whenever anything the client sees changes.
- ``UpdatedSinceFilter``: ``?updated_since=<ISO 8601>`` for incremental sync (rows changed at or
  after that moment; a client keeps the largest ``updated_at`` it saw).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response

from api.errors import PreconditionFailed
from network_crm.owned import get_owned_or_404

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag you last read: the change is refused with 412 if the object changed since.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    # What api.idempotency accepts: 1 to 255 characters, not only spaces.
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"},
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retry with the same key returns the first result "
    "instead of creating a second row. Kept for 24 hours.",
)
PRECONDITION_FAILED = OpenApiResponse(description="The object changed since the ETag you sent.")


def etag_of(data) -> str:
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def owned_object_or_404(view, queryset):
    """The view's object among the owner's rows; an id that is not one (``abc``) is a 404 like
    a missing one, not a 500 (as DRF's own ``get_object_or_404`` does)."""
    try:
        return get_owned_or_404(
            queryset, view.request.user, **{view.lookup_field: view.lookup_value()}
        )
    except (TypeError, ValueError, DjangoValidationError) as error:
        raise Http404 from error


class OwnedViewSet(viewsets.GenericViewSet):
    """A viewset over the requesting user's rows only."""

    def owned_queryset(self, owner):
        return self.serializer_class.Meta.model._default_manager.filter(owner=owner)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.serializer_class.Meta.model._default_manager.none()
        return self.owned_queryset(self.request.user)

    def lookup_value(self):
        """The id in the URL; one that is no id ("abc", "1e5") is a 404 like a missing one, not a
        500 from the database's ValueError."""
        value = str(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if self.lookup_field in ("pk", "id") and not (value.isascii() and value.isdigit()):
            raise exceptions.NotFound()
        return value

    def get_object(self):
        obj = owned_object_or_404(self, self.get_queryset())
        self.check_object_permissions(self.request, obj)
        return obj


class ETagMixin:
    """retrieve/update/partial_update/destroy with ETag and If-Match (see the module docstring).

    Views change rows in ``perform_update(serializer)`` / ``perform_destroy(instance)`` through
    the apps' services, as the pages do.
    """

    def etag_for(self, instance) -> str:
        return etag_of(self.serializer_class(instance, context=self.get_serializer_context()).data)

    def check_if_match(self, instance) -> None:
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() == "*":
            return
        if not header.strip():
            raise exceptions.ValidationError(
                {"If-Match": "Give the ETag you read, or leave it out."}
            )
        wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        if self.etag_for(instance) not in wanted:
            raise PreconditionFailed()

    def get_object_for_write(self):
        """The object, locked until the end of the transaction (PostgreSQL; SQLite's writes are
        serial anyway), so that two writes with the same If-Match can't both pass."""
        queryset = self.get_queryset().select_for_update(of=("self",))
        obj = owned_object_or_404(self, queryset)
        self.check_object_permissions(self.request, obj)
        return obj

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": etag_of(data)})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object_for_write()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            # A malformed body is a 400 whatever the ETag: 412 means "valid, but stale".
            serializer.is_valid(raise_exception=True)
            self.check_if_match(instance)
            self.perform_update(serializer)
        return self.retrieve(request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object_for_write()
            self.check_if_match(instance)
            self.perform_destroy(instance)
        return Response(status=204)


def parse_updated_since(value: str) -> dt.datetime:
    parsed = None
    with contextlib.suppress(ValueError):
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise exceptions.ValidationError(
            {"updated_since": "Give a date and time in ISO 8601, e.g. 2026-12-01T08:00:00Z."}
        )
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    # In UTC: PostgreSQL refuses offsets past ±15:59 that Python accepts (a 500 otherwise).
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise exceptions.ValidationError(
            {"updated_since": "Give a date and time between the years 1 and 9999."}
        ) from None


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=`` on list views whose model has ``updated_at``."""

    field = "updated_at"

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get("updated_since")
        if value is None or getattr(view, "action", None) != "list":
            return queryset
        return queryset.filter(**{f"{self.field}__gte": parse_updated_since(value)})

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "updated_since",
                "required": False,
                "in": "query",
                "description": "Only rows changed at or after this moment (ISO 8601), for "
                "incremental sync.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
