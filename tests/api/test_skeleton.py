"""The API's wiring: the schema is OpenAPI 3.1 and every request needs an owner."""

from __future__ import annotations


def test_the_schema_is_openapi_3_1(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


def test_without_a_token_the_api_answers_401(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 404)


def test_a_token_authenticates(alice_api, alice):
    response = alice_api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
