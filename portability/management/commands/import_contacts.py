"""Import a vCard, Google/LinkedIn CSV or a network-crm JSON backup for one account."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from network_crm.clock import now
from network_crm.text import people
from portability import backup, imports
from portability.management.commands._owner import owner_from


class Command(BaseCommand):
    help = (
        "Import contacts from FILE (vCard, Google or LinkedIn CSV, or a network-crm JSON backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", required=True, help="The account's email (or NAME for NAME@example.com)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; change nothing."
        )

    def handle(self, *args, file: Path, user: str, dry_run: bool = False, **options):
        owner = owner_from(user)
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from None
        if raw.lstrip()[:1] == b"{":
            return self._restore(owner, raw, dry_run)
        try:
            with transaction.atomic():
                batch = imports.import_upload(
                    owner=owner, upload=SimpleUploadedFile(file.name, raw)
                )
                if batch.kind == "csv":
                    raise CommandError(
                        "This CSV isn't a Google or LinkedIn export: import it in the browser, "
                        "which asks which column is what."
                    )
                preview = imports.import_preview(batch=batch)
                self._report_preview(preview, prefix="Would import" if dry_run else "Found")
                if dry_run:
                    transaction.set_rollback(True)
                    return
                batch = imports.import_run(batch=batch, now=now())
        except imports.ImportRefused as error:
            raise CommandError(str(error)) from None
        result = batch.summary.get("result", {})
        updated = len(batch.summary.get("merged", []))
        self.stdout.write(
            f"Imported {result.get('created', 0)} {people(result.get('created', 0))} "
            f"for {owner.email}; "
            f"{result.get('skipped', 0)} already there"
            + (f" (new details added to {updated})" if updated else "")
            + f", {result.get('errors', 0)} unreadable."
        )
        if not result.get("created") and preview["new"]:
            raise CommandError("Nothing could be imported.")

    def _report_preview(self, preview: dict, *, prefix: str) -> None:
        self.stdout.write(
            f"{prefix}: {preview['new']} new, {preview['matching']} already there "
            + (
                f"({preview['updating']} with new details), "
                if preview.get("updating")
                else "(skipped), "
            )
            + f"{preview['errors']} unreadable (skipped)."
        )
        for row in preview.get("update_samples", []):
            self.stdout.write(f"  {row['name']}: adds {', '.join(row['adds'])}")
        for error in preview["error_samples"]:
            self.stdout.write(f"  card/row {error['number']}: {error['reason']}")

    def _restore(self, owner, raw: bytes, dry_run: bool) -> None:
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            raise CommandError("That file isn't a network-crm backup (not valid JSON).") from None
        try:
            with transaction.atomic():
                restored = backup.backup_restore(owner=owner, data=data)
                if dry_run:
                    transaction.set_rollback(True)
        except backup.RestoreRefused as error:
            raise CommandError(str(error)) from None
        verb = "Would restore" if dry_run else "Restored"
        self.stdout.write(
            f"{verb} a backup for {owner.email}: {restored} people with their history."
        )
