"""The schema tells the truth about errors and links (api/schema.py), and the shared machinery
answers what it says: JSON 404s, strict page sizes, 400 before 412."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from api.base import ETagMixin, OwnedViewSet, UpdatedSinceFilter, etag_of
from api.pagination import IdCursorPagination
from api.schema import add_error_responses, add_links, json_request_bodies
from contacts.models import Circle, Contact
from tests.factories import CircleFactory, ContactFactory


def test_the_generated_schema_validates_without_a_warning(db, tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning of drf-spectacular into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3.1.0")


def _schema() -> dict:
    item = {"$ref": "#/components/schemas/Thing"}
    body = {"content": {"application/json": {"schema": item}}}
    secured = [{"bearerAuth": []}]
    return {
        "paths": {
            "/api/v1/things/": {
                "get": {
                    "operationId": "things_list",
                    "security": secured,
                    "parameters": [{"name": "cursor", "in": "query"}],
                    "responses": {"200": {"description": ""}},
                },
                "post": {
                    "operationId": "things_create",
                    "security": secured,
                    "requestBody": body,
                    "responses": {"201": {"description": "", **body}},
                },
            },
            "/api/v1/things/{id}/": {
                "get": {
                    "operationId": "things_retrieve",
                    "security": secured,
                    "parameters": [{"name": "id", "in": "path"}],
                    "responses": {"200": {"description": ""}},
                },
                "delete": {
                    "operationId": "things_destroy",
                    "security": secured,
                    "parameters": [
                        {"name": "id", "in": "path"},
                        {"name": "If-Match", "in": "header"},
                    ],
                    "responses": {"204": {"description": "gone"}},
                },
            },
            "/api/v1/things/{id}/confirm/": {
                "post": {
                    "operationId": "things_confirm_create",
                    "security": secured,
                    "parameters": [{"name": "id", "in": "path"}],
                    "responses": {"200": {"description": ""}},
                }
            },
            "/api/v1/others/{other_id}/things/": {
                "post": {"operationId": "nested_create", "responses": {"201": body}}
            },
        },
        "components": {
            "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "integer"}}}}
        },
    }


def test_every_operation_documents_the_errors_it_can_answer():
    schema = add_error_responses(_schema(), None, None, True)
    paths = schema["paths"]

    def codes(path, method):
        return sorted(paths[path][method]["responses"])

    assert set(codes("/api/v1/things/", "get")) == {"200", "400", "401", "404", "429"}
    assert set(codes("/api/v1/things/", "post")) == {"201", "400", "401", "403", "415", "429"}
    assert set(codes("/api/v1/things/{id}/", "get")) == {"200", "401", "404", "429"}
    assert set(codes("/api/v1/things/{id}/", "delete")) == {
        "204",
        "400",
        "401",
        "403",
        "404",
        "412",
        "429",
    }
    # An action with no body can still be refused by a service's rule.
    assert set(codes("/api/v1/things/{id}/confirm/", "post")) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "429",
    }
    # What a view documented itself is kept; errors have their JSON shape and headers.
    assert paths["/api/v1/things/{id}/"]["delete"]["responses"]["204"] == {"description": "gone"}
    unauthorised = paths["/api/v1/things/"]["get"]["responses"]["401"]
    assert unauthorised["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "WWW-Authenticate" in unauthorised["headers"]
    assert "Retry-After" in paths["/api/v1/things/"]["get"]["responses"]["429"]["headers"]
    invalid = paths["/api/v1/things/"]["post"]["responses"]["400"]
    assert invalid["content"]["application/json"]["schema"]["$ref"].endswith("/ValidationError")
    assert {"Error", "ValidationError"} <= set(schema["components"]["schemas"])
    # An operation open to anyone is never answered 401.
    assert "401" not in paths["/api/v1/others/{other_id}/things/"]["post"]["responses"]


def test_a_create_links_to_every_operation_on_what_it_created():
    schema = add_links(_schema(), None, None, True)
    links = schema["paths"]["/api/v1/things/"]["post"]["responses"]["201"]["links"]
    assert {name: link["operationId"] for name, link in links.items()} == {
        "GetThingsRetrieve": "things_retrieve",
        "DeleteThingsDestroy": "things_destroy",
        "PostThingsConfirmCreate": "things_confirm_create",
    }
    assert {link["parameters"]["id"] for link in links.values()} == {"$response.body#/id"}
    # A nested create has no single id to pass on.
    nested = schema["paths"]["/api/v1/others/{other_id}/things/"]["post"]["responses"]["201"]
    assert "links" not in nested


def test_a_json_body_is_documented_as_json_only_and_an_upload_as_multipart():
    schema = _schema()
    create = schema["paths"]["/api/v1/things/"]["post"]
    form = {"schema": {"type": "object"}}
    create["requestBody"]["content"]["multipart/form-data"] = form
    upload = schema["paths"]["/api/v1/others/{other_id}/things/"]["post"]
    upload["requestBody"] = {"content": {"multipart/form-data": form}}
    json_request_bodies(schema, None, None, True)
    assert list(create["requestBody"]["content"]) == ["application/json"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_an_unknown_api_url_is_a_json_404(alice_client, method):
    # With the session (and no CSRF token): nothing to protect on a URL that does nothing.
    response = getattr(alice_client, method)("/api/v1/contacts/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_api_url_without_its_slash_names_the_right_one(alice_api):
    response = alice_api.post("/api/schema", {"name": "x"}, format="json")
    assert response.status_code == 404
    assert "did you mean /api/schema/" in response.json()["detail"]


@pytest.mark.parametrize(("value", "size"), [(None, 50), ("1", 1), ("200", 200), ("5000", 200)])
def test_a_page_size_is_read_and_capped(value, size):
    query = {} if value is None else {"page_size": value}
    request = Request(APIRequestFactory().get("/", query))
    assert IdCursorPagination().get_page_size(request) == size


@pytest.mark.parametrize("value", ["abc", "0", "-3", "null", ""])
def test_a_page_size_that_is_not_a_positive_number_is_a_400(value):
    request = Request(APIRequestFactory().get("/", {"page_size": value}))
    with pytest.raises(exceptions.ValidationError) as error:
        IdCursorPagination().get_page_size(request)
    assert "page_size" in error.value.detail


class _CircleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Circle
        fields = ["id", "name", "cadence_days"]


class _CircleViewSet(ETagMixin, OwnedViewSet):
    """A stand-in for the resources' viewsets, which all share ETagMixin."""

    serializer_class = _CircleSerializer

    def perform_update(self, serializer):
        serializer.save()


def _patch(user, pk, body, if_match=None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    request = APIRequestFactory().patch(f"/x/{pk}/", body, format="json", **headers)
    force_authenticate(request, user=user)
    return _CircleViewSet.as_view({"patch": "partial_update"})(request, pk=pk)


def test_a_malformed_body_is_a_400_even_with_a_stale_etag(alice):
    circle = CircleFactory(owner=alice, name="Climbing", cadence_days=30)
    response = _patch(alice, circle.pk, {"cadence_days": "soon"}, if_match='"stale"')
    assert response.status_code == 400
    assert "cadence_days" in response.data
    response = _patch(alice, circle.pk, {"cadence_days": 10}, if_match='"stale"')
    assert response.status_code == 412
    circle.refresh_from_db()
    assert circle.cadence_days == 30


def test_an_empty_if_match_is_a_400_and_changes_nothing(alice):
    circle = CircleFactory(owner=alice, name="Climbing", cadence_days=30)
    response = _patch(alice, circle.pk, {"cadence_days": 10}, if_match=" ")
    assert response.status_code == 400
    assert "If-Match" in response.data
    circle.refresh_from_db()
    assert circle.cadence_days == 30
    current = etag_of(_CircleSerializer(circle).data)
    assert _patch(alice, circle.pk, {"cadence_days": 10}, if_match=current).status_code == 200
    circle.refresh_from_db()
    assert circle.cadence_days == 10


@pytest.mark.parametrize("pk", ["abc", "0.5", "99999999999999999999"])
def test_an_id_that_is_not_a_number_is_a_404(alice, pk):
    request = APIRequestFactory().get(f"/x/{pk}/")
    force_authenticate(request, user=alice)
    response = _CircleViewSet.as_view({"get": "retrieve"})(request, pk=pk)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("2026-01-01T00:00:00Z", True),
        # An offset Python reads but PostgreSQL would refuse (a 500 before): compared in UTC.
        ("2026-01-01T06:34:55-16:56", True),
        ("2999-05-25T06:34:55-16:56", False),
    ],
)
def test_updated_since_takes_any_offset(alice, frozen_now, value, found):
    ContactFactory(owner=alice, name="Ada")
    view = type("View", (), {"action": "list"})()
    request = Request(APIRequestFactory().get("/", {"updated_since": value}))
    contacts = UpdatedSinceFilter().filter_queryset(request, Contact.objects.all(), view)
    assert [c.name for c in contacts] == (["Ada"] if found else [])


@pytest.mark.parametrize("value", ["yesterday", "9999-12-31T23:59:59-16:00"])
def test_an_unreadable_updated_since_is_a_400(value):
    view = type("View", (), {"action": "list"})()
    request = Request(APIRequestFactory().get("/", {"updated_since": value}))
    with pytest.raises(exceptions.ValidationError) as error:
        UpdatedSinceFilter().filter_queryset(request, Contact.objects.none(), view)
    assert "updated_since" in error.value.detail
