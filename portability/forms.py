"""What the portability pages read from a request: a CSV's column mapping, the people picked
for an export, and the values picked in a merge."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from contacts.forms import ContactSelectionForm
from portability.duplicates import MERGEABLE_FIELDS
from portability.formats import EXPORT_FORMATS
from portability.formats.csv import MAPPABLE_FIELDS
from portability.models import ImportBatch

_NAME_FIELDS = {"name", "first_name", "last_name"}


class ImportMappingForm(forms.Form):
    """Which CSV column is what (``column_<n>``, one per header); a value that is not one of
    MAPPABLE_FIELDS means "skip this column"."""

    def __init__(self, data: QueryDict, *, batch: ImportBatch) -> None:
        super().__init__(data)
        self.batch = batch

    def clean(self) -> dict:
        allowed = {key for key, _ in MAPPABLE_FIELDS}
        headers = self.batch.summary.get("headers", [])
        mapping = [self.data.get(f"column_{index}", "") for index in range(len(headers))]
        self.cleaned_data["mapping"] = [value if value in allowed else "" for value in mapping]
        if self.batch.kind != "csv" or self.batch.state != ImportBatch.State.UPLOADED:
            raise forms.ValidationError("This import can't be changed any more.")
        if not _NAME_FIELDS & set(self.cleaned_data["mapping"]):
            raise forms.ValidationError("Say which column holds the name (or first and last name).")
        return self.cleaned_data


class SelectionExportForm(ContactSelectionForm):
    """The contact list's "export the selection" in one of the export formats."""

    format = forms.ChoiceField(choices=[(key, key) for key in EXPORT_FORMATS])


def merge_picks(data: QueryDict) -> dict[str, str]:
    """For each mergeable field, whose value the merged person keeps: "survivor" or "other"."""
    return {name: data.get(f"pick_{name}", "survivor") for name in MERGEABLE_FIELDS}
