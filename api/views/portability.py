"""/api/v1/ routes: imports and exports (docs/architecture.md, "The API").

The import runs through the services behind the import pages (portability.services), with the
same limits and refusals; the exports stream the files the export menu and the backup link give.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from api.base import IDEMPOTENCY_KEY, OwnedViewSet, etag_of
from api.idempotency import idempotent
from api.serializers.portability import (
    ImportBatchSerializer,
    ImportMappingSerializer,
    ImportUploadSerializer,
)
from contacts.forms import ContactListFiltersForm
from network_crm.clock import local_today, now
from network_crm.owned import get_owned_or_404
from portability import backup, imports, selectors, services
from portability.exports import export_chunks
from portability.formats import EXPORT_FORMATS, export_filename
from portability.forms import ImportMappingForm
from portability.models import ImportBatch

LOCATION = OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[201])
ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 201])
NOT_FOUND = OpenApiResponse(description="No such import of yours.")
REFUSED = OpenApiResponse(description='Why not, e.g. {"detail": ["This import has already run."]}.')


def _refused(error: imports.ImportRefused, field: str = "detail") -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [str(error)]})


class ImportViewSet(mixins.ListModelMixin, OwnedViewSet):
    """Upload a contacts file, read its preview, confirm it, undo it: the import page's steps."""

    serializer_class = ImportBatchSerializer
    queryset = ImportBatch.objects.none()
    # Ids only (and no more digits than a 64-bit id has): /imports/null/ is a 404, not a 500.
    lookup_value_regex = r"[0-9]{1,18}"

    def owned_queryset(self, owner):
        # The file's text stays in the database: the API never sends it back.
        return ImportBatch.objects.filter(owner=owner).defer("text").order_by("id")

    def answer(self, batch: ImportBatch, code: int = status.HTTP_200_OK, **headers) -> Response:
        batch = ImportBatch.objects.defer("text").get(pk=batch.pk)
        data = self.get_serializer(batch).data
        return Response(data, status=code, headers={"ETag": etag_of(data), **headers})

    @extend_schema(summary="Your imports, oldest first")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An import's state, preview and result",
        parameters=[ETAG],
        responses={200: ImportBatchSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    @extend_schema(
        summary="Upload a file to import (nothing is imported before confirm/)",
        request={"multipart/form-data": ImportUploadSerializer},
        parameters=[IDEMPOTENCY_KEY, LOCATION, ETAG],
        responses={201: ImportBatchSerializer, 400: REFUSED},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        limit = settings.IMPORT_MAX_BYTES
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            raise exceptions.ValidationError(
                {"file": [f"That file is too large; the limit is {limit // 2**20} MB."]}
            )
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": ["Send the file as the form field file."]})
        try:
            batch = services.import_begin(owner=request.user, upload=upload)
        except imports.ImportRefused as error:
            raise _refused(error, "file") from None
        location = reverse("api:imports-detail", args=[batch.pk])
        return self.answer(batch, status.HTTP_201_CREATED, Location=location)

    @extend_schema(
        summary="Say which column of a CSV holds what; answers the preview",
        request=ImportMappingSerializer,
        parameters=[IDEMPOTENCY_KEY, ETAG],
        responses={200: ImportBatchSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def columns(self, request, pk=None):
        batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
        body = ImportMappingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {f"column_{i}": value for i, value in enumerate(body.validated_data["mapping"])}
        form = ImportMappingForm(data, batch=batch)
        if not form.is_valid():
            raise exceptions.ValidationError({"mapping": form.non_field_errors()})
        imports.import_set_mapping(batch=batch, mapping=form.cleaned_data["mapping"])
        return self.answer(batch)

    @extend_schema(
        summary="Import the previewed file",
        description="A small file is imported at once (200, state done). A big one goes to the "
        "worker (202, state queued): poll the import until its state is done or failed.",
        request=None,
        parameters=[IDEMPOTENCY_KEY, ETAG],
        responses={
            200: ImportBatchSerializer,
            202: ImportBatchSerializer,
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def confirm(self, request, pk=None):
        with transaction.atomic():
            # Locked: a second confirm at the same moment waits, then is told it already ran.
            batch = get_owned_or_404(ImportBatch.objects.select_for_update(), request.user, pk=pk)
            try:
                done = services.import_confirm(batch=batch, now=now())
            except imports.ImportRefused as error:
                raise _refused(error) from None
        return self.answer(batch, status.HTTP_200_OK if done else status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Undo a finished (or failed) import",
        description="Removes the people it created and takes back the details it added.",
        request=None,
        parameters=[IDEMPOTENCY_KEY, ETAG],
        responses={200: ImportBatchSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def undo(self, request, pk=None):
        with transaction.atomic():
            # Locked: two undos at once take back once.
            batch = get_owned_or_404(
                ImportBatch.objects.select_for_update().defer("text"), request.user, pk=pk
            )
            try:
                services.import_undo(batch=batch)
            except imports.ImportRefused as error:
                raise _refused(error) from None
        return self.answer(batch)


# --- Exports ------------------------------------------------------------------------------------

FILTERS = [
    OpenApiParameter("q", str, description="Only people this search finds (as the list's box)."),
    OpenApiParameter("circle", int, description="Only this circle's people (its id)."),
    OpenApiParameter("interest", str, description="Only people with this interest (its name)."),
    OpenApiParameter(
        "status",
        str,
        enum=["due", "paused", "archived"],
        description="Only these people; without it everyone, archived people included.",
    ),
]
DISPOSITION = OpenApiParameter("Content-Disposition", str, OpenApiParameter.HEADER, response=[200])
BAD_FILTER = OpenApiResponse(description="A filter's value is not valid; one message per field.")


class FileView(APIView):
    """A file download: errors still answer JSON, whatever the client accepts."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        return (JSONRenderer(), JSONRenderer.media_type)

    def file(self, chunks, content_type: str, filename: str) -> StreamingHttpResponse:
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def contacts(self, request):
        form = ContactListFiltersForm(request.query_params, owner=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        return selectors.contacts_to_export(
            owner=request.user,
            filters=form.filters(),
            today=local_today(request.user),
            everyone=not form.cleaned_data.get("status"),
        )

    def choice(self, request, name: str, choices: dict[str, str]) -> str:
        value = request.query_params.get(name, next(iter(choices)))
        if value not in choices:
            raise exceptions.ValidationError({name: [f"Choose one of {', '.join(choices)}."]})
        return choices[value]


class VcardExport(FileView):
    """Everyone (or the people the filters pick) as one vCard file, as the export menu gives."""

    VERSIONS = {"4.0": "vcard", "3.0": "vcard3"}

    @extend_schema(
        operation_id="exports_contacts_vcf",
        summary="Your people as a vCard file",
        parameters=[
            OpenApiParameter("version", str, enum=list(VERSIONS), description="vCard version."),
            *FILTERS,
            DISPOSITION,
        ],
        responses={(200, "text/vcard"): OpenApiTypes.BINARY, 400: BAD_FILTER},
    )
    def get(self, request):
        export_format = self.choice(request, "version", self.VERSIONS)
        return self.file(
            export_chunks(self.contacts(request), export_format),
            EXPORT_FORMATS[export_format].content_type,
            export_filename("network-crm-contacts", export_format),
        )


class CsvExport(FileView):
    """Everyone (or the people the filters pick) as a CSV file, as the export menu gives."""

    FLAVORS = {"spreadsheet": "csv", "google": "google"}

    @extend_schema(
        operation_id="exports_contacts_csv",
        summary="Your people as a CSV file",
        parameters=[
            OpenApiParameter(
                "flavor",
                str,
                enum=list(FLAVORS),
                description="spreadsheet (our columns) or google (Google Contacts' import).",
            ),
            *FILTERS,
            DISPOSITION,
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: BAD_FILTER},
    )
    def get(self, request):
        export_format = self.choice(request, "flavor", self.FLAVORS)
        return self.file(
            export_chunks(self.contacts(request), export_format),
            EXPORT_FORMATS[export_format].content_type,
            export_filename("network-crm-contacts", export_format),
        )


class BackupExport(FileView):
    """The whole account as one JSON file."""

    @extend_schema(
        operation_id="exports_backup_json",
        summary="Everything you have, as the app's JSON backup",
        description="The same file as Settings' backup link; the import page restores it into an "
        "empty account.",
        parameters=[DISPOSITION],
        # A JSON document, downloaded as a file: described as an object (its tables are
        # documented in portability/backup.py, TABLES).
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        stamp = local_today(request.user).isoformat()
        return self.file(
            backup.backup_json(owner=request.user),
            "application/json; charset=utf-8",
            f"network-crm-backup-{stamp}.json",
        )


router = SimpleRouter()
router.register("imports", ImportViewSet, basename="imports")

urlpatterns = [
    *router.urls,
    path("exports/contacts.vcf", VcardExport.as_view(), name="exports-contacts-vcf"),
    path("exports/contacts.csv", CsvExport.as_view(), name="exports-contacts-csv"),
    path("exports/backup.json", BackupExport.as_view(), name="exports-backup-json"),
]
