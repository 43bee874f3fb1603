"""Re-encrypt every channel URL with the current notification key (README "Rotating the
notification key"): set NOTIFY_SECRET_KEY to the new key, list the old one in
NOTIFY_OLD_SECRET_KEYS (or keep VAR_DIR/notify.key where it is), run this, then drop the old key."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from notify import secrets
from notify.models import Channel


class Command(BaseCommand):
    help = "Re-encrypt every channel URL with the current notification key."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Only print a new key to put in NOTIFY_SECRET_KEY; change nothing.",
        )

    def handle(self, *args, new_key: bool = False, **options) -> None:
        if new_key:
            self.stdout.write(secrets.generate_key())
            return
        done, unreadable = 0, []
        for pk in Channel.objects.order_by("pk").values_list("pk", flat=True).iterator():
            # One row at a time, locked: a channel saved meanwhile is not overwritten.
            with transaction.atomic():
                channel = Channel.objects.select_for_update().filter(pk=pk).first()
                if channel is None:
                    continue
                try:
                    token = secrets.reencrypt(channel.url_encrypted)
                except secrets.InvalidToken:
                    unreadable.append(channel)
                    continue
                Channel.objects.filter(pk=pk).update(url_encrypted=token)
                done += 1
        self.stdout.write(f"Re-encrypted {done} channel{'s' if done != 1 else ''}.")
        for channel in unreadable:
            self.stderr.write(
                f"Channel {channel.pk} (“{channel.name}”, owner {channel.owner_id}) could not "
                "be decrypted with any configured key: list its old key in "
                "NOTIFY_OLD_SECRET_KEYS and run this again, or its owner adds the URL again."
            )
        if unreadable:
            raise SystemExit(1)
