"""The file formats, one module per format with its reader and writer side by side.

``parse_file`` reads any kind the import knows; ``EXPORT_FORMATS`` lists what the export writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from portability.formats import csv, vcard
from portability.formats.common import ParsedContact, ParseError, cap_contact

if TYPE_CHECKING:
    from contacts.models import Contact


def parse_file(
    *, kind: str, text: str, mapping: list[str] | None = None
) -> Iterator[ParsedContact | ParseError]:
    readers = {
        "csv": lambda: csv.parse_mapped_csv(text, mapping or []),
        "vcard": lambda: vcard.parse_vcard_text(text),
        "linkedin": lambda: csv.parse_linkedin_csv(text),
        "google": lambda: csv.parse_google_csv(text),
    }
    if kind not in readers:
        raise ValueError(kind)
    return (cap_contact(item) for item in readers[kind]())


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    suffix: str  # ends the file name, so two formats never download under the same name
    write: Callable[[Iterable[Contact]], Iterator[str]]


EXPORT_FORMATS = {
    "vcard": ExportFormat(
        "text/vcard; charset=utf-8", "vcard4.vcf", partial(vcard.vcards, version="4.0")
    ),
    "vcard3": ExportFormat(
        "text/vcard; charset=utf-8", "vcard3.vcf", partial(vcard.vcards, version="3.0")
    ),
    "csv": ExportFormat("text/csv; charset=utf-8", "spreadsheet.csv", csv.csv_rows),
    "google": ExportFormat("text/csv; charset=utf-8", "google.csv", csv.google_csv_rows),
}


def export_filename(stem: str, export_format: str) -> str:
    """network-crm-contacts-vcard3.vcf, network-crm-selection-google.csv..."""
    return f"{stem}-{EXPORT_FORMATS[export_format].suffix}"
