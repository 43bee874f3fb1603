"""Cursor pages: stable under inserts, so a client walking the list never sees a row twice."""

from __future__ import annotations

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
