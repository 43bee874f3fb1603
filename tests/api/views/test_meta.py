"""/api/v1/ (the index), /api/schema/ and /api/docs/ (api/views/meta.py)."""

from __future__ import annotations

import yaml
from django.core.management import call_command


def test_the_index_lists_the_resources(alice_api):
    response = alice_api.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["resources"]["me"] == "http://testserver/api/v1/me/"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"


def test_the_index_needs_a_token(client, db):
    assert client.get("/api/v1/").status_code == 401


def test_the_docs_page_has_no_inline_style_or_script(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "<style" not in response.text
    assert "<script>" not in response.text
    assert "/static/css/api-docs.css" in response.text
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.text


def test_the_schema_validates_without_warnings(tmp_path, db):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert set(schema["paths"]["/api/v1/me/"]) == {"get", "patch"}
    assert "400" in schema["paths"]["/api/v1/me/"]["patch"]["responses"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
