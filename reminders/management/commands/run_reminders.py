"""Run the reminder sweep once and send the digests it owes, without Celery (cron, tests)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from network_crm.clock import now
from reminders.models import Digest
from reminders.services.digests import digest_send
from reminders.services.sweep import sweep_run


class Command(BaseCommand):
    help = "Open due reminders, create the digests owed by now and send them in-process."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would happen; write nothing and send nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = sweep_run(now=now(), dry_run=dry_run)
        prefix = "Would do: " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        if dry_run:
            return
        for digest_id in report.digests_to_deliver:
            digest = Digest.objects.select_related("owner").get(pk=digest_id)
            try:
                outcome = digest_send(digest_id=digest_id, now=now())
            except Exception as exc:  # keep going: one bad address must not block the others
                self.stderr.write(f"Digest for {digest.owner.email} failed: {exc}")
                continue
            self.stdout.write(f"Digest for {digest.owner.email} ({digest.local_date}): {outcome}")
