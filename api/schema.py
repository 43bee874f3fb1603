"""The OpenAPI schema's finishing touches (docs/architecture.md, "The API").

drf-spectacular documents what each view returns on success; the errors every API view can
answer come from the shared machinery (authentication, TokenScope, throttling, ETagMixin,
DRF's validation), so they are added here, once, by a postprocessing hook rather than repeated in
every ``extend_schema``. A second hook adds OpenAPI ``links`` from each create (201) to the
operations on the created object, which is what schemathesis' stateful phase follows
(tests/api/test_schemathesis.py).

Both hooks only add what a view did not document itself.
"""

from __future__ import annotations

import re

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

COMPONENTS = {
    ERROR: {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "What was wrong with the request: a list of messages per field (nested "
        "objects for nested fields, `non_field_errors` for the whole body, `detail` for a "
        "request that could not be read).",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "object"},
                {"type": "string"},
            ]
        },
    },
}

HEADERS = {
    401: {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": 'How to authenticate: `Bearer realm="api"`.',
        }
    },
    429: {
        "Retry-After": {
            "schema": {"type": "string"},
            "description": "Seconds to wait before the next request.",
        }
    },
}

DESCRIPTIONS = {
    400: "The request was invalid: nothing was changed. The body says what, per field.",
    401: "No token, or a token that is unknown, revoked or expired.",
    403: "This token is read-only (or, with the browser's session, the CSRF token is missing).",
    404: "No such object among yours (another user's object is a 404 too), or an invalid "
    "page cursor.",
    412: "The object changed since the ETag you sent in If-Match: nothing was changed.",
    415: "The body's Content-Type is not one this operation reads.",
    429: "Too many requests for this token: wait Retry-After seconds.",
}

UNSAFE = {"post", "put", "patch", "delete"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _error_response(code: int) -> dict:
    schema = VALIDATION_ERROR if code == 400 else ERROR
    response = {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if code in HEADERS:
        response["headers"] = HEADERS[code]
    return response


def _error_codes(method: str, operation: dict) -> list[int]:
    """The error statuses this operation can answer, from what the shared machinery does."""
    parameters = operation.get("parameters", [])
    where = {parameter["in"] for parameter in parameters}
    names = {parameter["name"].lower() for parameter in parameters}
    codes = [429]
    if operation.get("security") and {} not in operation["security"]:
        codes.append(401)
    if method in UNSAFE:
        codes.append(403)  # TokenScope (read tokens) and the session's CSRF check
    # Any query parameter or body can be wrong, an Idempotency-Key reused for another body, and
    # any write refused by a service's rule (a Django ValidationError, api/errors.py).
    if method in UNSAFE or operation.get("requestBody") or where & {"query", "header"}:
        codes.append(400)
    if operation.get("requestBody"):
        codes.append(415)
    # Objects by id (another user's is a 404 too) and cursor pages (an invalid cursor).
    if "path" in where or "cursor" in names:
        codes.append(404)
    if "if-match" in names:
        codes.append(412)
    return codes


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: the common error responses on every operation that can answer them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in COMPONENTS.items():
        schemas.setdefault(name, schema)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in _error_codes(method, operation):
                responses.setdefault(str(code), _error_response(code))
            operation["responses"] = dict(sorted(responses.items()))
    return result


def json_request_bodies(result, generator, request, public):
    """POSTPROCESSING_HOOKS: an operation that reads JSON documents only JSON.

    The parsers are global (JSON and multipart, for the imports' upload), so drf-spectacular
    lists multipart for every body; but a nested body (a contact's methods) has no form encoding,
    and a script sends JSON. Uploads, which read only multipart, keep it.
    """
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            content = (
                operation.get("requestBody", {}).get("content") if method in HTTP_METHODS else None
            )
            if content and "application/json" in content:
                operation["requestBody"]["content"] = {
                    "application/json": content["application/json"]
                }
    return result


PARAM = re.compile(r"\{([^}]+)\}")
LINK_NAMES = {"get": "Get", "put": "Replace", "patch": "Update", "delete": "Delete", "post": "Post"}


def add_links(result, generator, request, public):
    """POSTPROCESSING_HOOKS: from a create's 201 to every operation on the created object.

    ``POST /x/`` answers the new object with its ``id``; ``/x/{id}/`` and its actions
    (``/x/{id}/confirm/``, ``/x/{id}/deliveries/``...) take that id as their one path parameter.
    """
    paths = result.get("paths", {})
    for collection, path_item in paths.items():
        create = path_item.get("post")
        if create is None or PARAM.search(collection):
            continue
        created = create.get("responses", {}).get("201")
        if created is None or not _has_id(result, created):
            continue
        links = created.setdefault("links", {})
        for path, item in paths.items():
            if not path.startswith(collection) or path == collection:
                continue
            params = PARAM.findall(path[len(collection) :])
            if len(params) != 1:
                continue
            for method, operation in item.items():
                if method not in LINK_NAMES or "operationId" not in operation:
                    continue
                name = _link_name(method, operation["operationId"])
                links.setdefault(
                    name,
                    {
                        "operationId": operation["operationId"],
                        "parameters": {params[0]: "$response.body#/id"},
                    },
                )
    return result


def _link_name(method: str, operation_id: str) -> str:
    words = re.split(r"[_\W]+", operation_id)
    return LINK_NAMES[method] + "".join(word.capitalize() for word in words if word)


def _has_id(result: dict, response: dict) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = result["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    return "id" in schema.get("properties", {})
