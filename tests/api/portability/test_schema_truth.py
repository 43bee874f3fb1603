"""What the portability endpoints answer is what the OpenAPI schema says they answer: each body is
validated against the live /api/schema/ (JSON Schema 2020-12, as OpenAPI 3.1 uses), with the
status codes, headers and content types it documents."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"


@pytest.fixture
def spec(alice_api) -> dict:
    return alice_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def check(spec: dict, response, path: str, method: str) -> None:
    """The response's status is documented for the operation, with its headers, and the body
    (JSON) matches the documented schema."""
    answers = spec["paths"][path][method]["responses"]
    documented = answers.get(str(response.status_code))
    assert documented, f"{method.upper()} {path}: {response.status_code} is not documented"
    for header in documented.get("headers", {}):
        assert response.has_header(header), f"{method.upper()} {path}: no {header} header"
    content_type = response["Content-Type"].split(";")[0]
    assert content_type in documented.get("content", {}), (path, content_type)
    schema = documented["content"][content_type]["schema"]
    if schema.get("format") == "binary":
        return
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = json.loads(raw)
    root = {**schema, "components": spec["components"]}
    jsonschema.Draft202012Validator(root).validate(body)


def test_every_import_step_answers_as_documented(spec, alice_api, alice, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ContactFactory(owner=alice, name="Someone")
    created = alice_api.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("a.vcf", CARD)}, format="multipart"
    )
    check(spec, created, "/api/v1/imports/", "post")
    pk = created.json()["id"]
    detail = "/api/v1/imports/{id}/"
    check(spec, alice_api.get(f"/api/v1/imports/{pk}/"), detail, "get")
    check(spec, alice_api.get("/api/v1/imports/"), "/api/v1/imports/", "get")
    check(spec, alice_api.post(f"/api/v1/imports/{pk}/confirm/"), detail + "confirm/", "post")
    check(spec, alice_api.get(f"/api/v1/imports/{pk}/"), detail, "get")  # with its result
    check(spec, alice_api.post(f"/api/v1/imports/{pk}/undo/"), detail + "undo/", "post")

    csv = alice_api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("p.csv", b"Who,Mail\r\nMarie,m@example.com\r\n")},
        format="multipart",
    )
    check(spec, csv, "/api/v1/imports/", "post")
    columns = alice_api.post(
        f"/api/v1/imports/{csv.json()['id']}/columns/", {"mapping": ["name", "email"]}, "json"
    )
    check(spec, columns, detail + "columns/", "post")
    assert columns.json()["preview"]["new"] == 1


def test_every_export_answers_as_documented(spec, alice_api, alice):
    ContactFactory(owner=alice, name="Ada Lovelace")
    for path in ("contacts.vcf", "contacts.csv", "backup.json"):
        check(spec, alice_api.get(f"/api/v1/exports/{path}"), f"/api/v1/exports/{path}", "get")
