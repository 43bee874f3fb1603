"""Export one account's contacts as vCard, CSV or Google Contacts CSV, or everything as a JSON
backup."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contacts.models import Contact
from network_crm.clock import local_today
from portability.backup import backup_json
from portability.exports import export_chunks
from portability.formats import export_filename
from portability.management.commands._owner import owner_from

# The command's names for the formats the export page offers.
FORMATS = {"vcf": "vcard", "vcf3": "vcard3", "csv": "csv", "google": "google"}


class Command(BaseCommand):
    help = (
        "Write an account's contacts (vcf = vCard 4.0, vcf3 = vCard 3.0, csv for spreadsheets, "
        "google = Google Contacts CSV) or a full backup (json) to a file or stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", required=True, help="The account's email (or NAME for NAME@example.com)."
        )
        parser.add_argument("--format", choices=[*FORMATS, "json"], default="vcf")
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write, or a folder to write it in under the name the export page "
            "uses (network-crm-contacts-vcard4.vcf...). Default: standard output.",
        )

    def handle(self, *args, user: str, format: str, output: Path | None = None, **options):
        owner = owner_from(user)
        contacts = Contact.objects.filter(owner=owner)
        if format == "json":
            chunks = backup_json(owner=owner)
            default_name = f"network-crm-backup-{local_today(owner).isoformat()}.json"
        else:
            chunks = export_chunks(contacts, FORMATS[format])
            default_name = export_filename("network-crm-contacts", FORMATS[format])
        if output and output.is_dir():
            output = output / default_name
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for chunk in chunks:
                stream.write(chunk)
        finally:
            if output:
                stream.close()
        if output:
            count = contacts.count()
            self.stderr.write(f"Wrote {count} people for {owner.email} to {output} ({format}).")
