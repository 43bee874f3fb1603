"""The API's shapes for imports (docs/architecture.md, "The API"). An import's preview and result
are the ones the import page shows (portability.imports keeps them in ImportBatch.summary)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portability.formats.csv import MAPPABLE_FIELDS
from portability.models import ImportBatch
from portability.selectors import import_columns

IMPORT_KINDS = [
    ("vcard", "vCard"),
    ("google", "Google Contacts CSV"),
    ("linkedin", "LinkedIn connections CSV"),
    ("csv", "Any other CSV (say which column is what first)"),
]
FIELD_CHOICES = [key for key, _ in MAPPABLE_FIELDS]
_SAMPLES = serializers.ListField(child=serializers.DictField(), help_text="Up to 20 examples.")


class ImportUploadSerializer(serializers.Serializer):
    """The request of POST imports/: a multipart form with the file."""

    file = serializers.FileField(
        help_text="A vCard (.vcf), Google Contacts or LinkedIn CSV, or any CSV with a header row."
    )


class ImportColumnSerializer(serializers.Serializer):
    header = serializers.CharField()
    # Not an enum here: the choices are the request's (ImportMappingSerializer), one name each.
    field = serializers.CharField(help_text='What the column holds ("" skips it).')


class ImportMappingSerializer(serializers.Serializer):
    """The request of POST imports/{id}/columns/: one field per column, in the file's order."""

    mapping = serializers.ListField(
        child=serializers.ChoiceField(choices=FIELD_CHOICES, allow_blank=True),
        help_text='What each column holds, in order ("" skips a column); one must be the name '
        "(or first and last name).",
    )


class ImportPreviewSerializer(serializers.Serializer):
    new = serializers.IntegerField(help_text="People the import would create.")
    matching = serializers.IntegerField(help_text="Cards matching someone you have.")
    updating = serializers.IntegerField(help_text="Matches that would add details to them.")
    errors = serializers.IntegerField(help_text="Cards or rows that can't be read.")
    new_samples = _SAMPLES
    matching_samples = _SAMPLES
    update_samples = _SAMPLES
    error_samples = _SAMPLES


class ImportLeftOutSerializer(serializers.Serializer):
    cards = serializers.IntegerField(help_text="Cards with something cut by the limits.")
    samples = _SAMPLES
    interests_beyond_limit = serializers.IntegerField()
    interest_limit = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Cards matching someone you have.")
    errors = serializers.IntegerField()
    interests_not_added = serializers.IntegerField(required=False)
    details_added_to = serializers.IntegerField(help_text="People already there given details.")


class ImportBatchSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IMPORT_KINDS, read_only=True)
    percent = serializers.IntegerField(read_only=True)
    columns = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()
    left_out = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    app_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "filename",
            "state",
            "total",
            "processed",
            "percent",
            "created_at",
            "finished_at",
            "columns",
            "preview",
            "left_out",
            "result",
            "app_url",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportColumnSerializer(many=True))
    def get_columns(self, batch: ImportBatch) -> list[dict]:
        """A CSV's columns while it waits for POST columns/ (empty otherwise)."""
        return [{"header": h, "field": f} for h, f in import_columns(batch=batch)]

    @extend_schema_field(ImportPreviewSerializer(allow_null=True))
    def get_preview(self, batch: ImportBatch) -> dict | None:
        return batch.summary.get("preview")

    @extend_schema_field(ImportLeftOutSerializer(allow_null=True))
    def get_left_out(self, batch: ImportBatch) -> dict | None:
        return batch.summary.get("cuts")

    @extend_schema_field(ImportResultSerializer(allow_null=True))
    def get_result(self, batch: ImportBatch) -> dict | None:
        result = batch.summary.get("result")
        if result is None:
            return None
        return {**result, "details_added_to": len(batch.summary.get("merged", []))}

    def get_app_url(self, batch: ImportBatch) -> str:
        """The import's page in the app."""
        path = reverse("portability:import_detail", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
