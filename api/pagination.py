"""Cursor pages: stable under inserts, so a client walking the list never sees a row twice."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        """DRF's schema marks next/previous ``nullable``, OpenAPI 3.0's word: in the 3.1 schema
        we publish a null must be in the type, or validators refuse the last page's null."""
        page = super().get_paginated_response_schema(schema)
        for name in ("next", "previous"):
            link = page["properties"][name]
            link.pop("nullable", None)
            link["type"] = ["string", "null"]
        page["required"] = ["next", "previous", "results"]
        return page

    def get_page_size(self, request):
        # DRF silently ignores a page_size it can't read; a script would rather hear about it.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: "Give a whole number from 1 (at most 200 are sent)."}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "Rows per page: 50 unless given, at most 200."
        return parameters
