"""Make an app password for one account's device, for scripts and tests (the web page is
Settings → Sync with your phone). The password is printed once, alone on the last line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User, normalize_email_key
from accounts.services import app_password_create


class Command(BaseCommand):
    help = (
        "Create an app password for syncing a phone or another CardDAV/CalDAV client; the "
        "password is printed on the last line (it is stored only as a hash)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="EMAIL", help="The account's email.")
        parser.add_argument(
            "--name", required=True, metavar="NAME", help='The device, e.g. "Ada\'s iPhone".'
        )

    def handle(self, *args, user: str, name: str, **options) -> None:
        owner = User.objects.filter(email=normalize_email_key(user), is_active=True).first()
        if owner is None:
            raise CommandError(f"No active account has the address {user}.")
        if not name.strip():
            raise CommandError("Give the device a name (--name).")
        app_password, secret = app_password_create(owner=owner, name=name)
        self.stderr.write(
            f"App password {app_password.name!r} for {owner.email} (user name: {owner.email}). "
            "It is shown only now:"
        )
        self.stdout.write(secret)
