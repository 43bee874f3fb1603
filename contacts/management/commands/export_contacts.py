"""Export one account's contacts as vCard or CSV, or everything as a JSON backup."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contacts import exports
from contacts.management.commands._owner import owner_from
from contacts.models import Contact


class Command(BaseCommand):
    help = "Write an account's contacts (vcf, csv) or a full backup (json) to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", required=True, help="The account's email (or NAME for NAME@example.com)."
        )
        parser.add_argument("--format", choices=["vcf", "vcf3", "csv", "json"], default="vcf")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, user: str, format: str, output: Path | None = None, **options):
        owner = owner_from(user)
        contacts = exports.contacts_for_export(Contact.objects.filter(owner=owner)).order_by(
            "sort_name", "pk"
        )
        if format == "json":
            chunks = exports.backup_json(owner=owner)
        elif format == "csv":
            chunks = exports.csv_rows(contacts.iterator(chunk_size=500))
        else:
            chunks = exports.vcards(
                contacts.iterator(chunk_size=500), version="3.0" if format == "vcf3" else "4.0"
            )
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
