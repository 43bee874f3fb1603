"""Make a personal access token for one account, for scripts and tests (the web page is
Settings → API tokens). The token is printed once, alone on the last line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User, normalize_email_key
from api.models import ApiToken
from api.services.tokens import api_token_create, api_token_expiry
from network_crm.clock import now


class Command(BaseCommand):
    help = (
        "Create an API token (Authorization: Bearer <token>); the token is printed on the last "
        "line (it is stored only as a hash)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="EMAIL", help="The account's email.")
        parser.add_argument(
            "--scope",
            required=True,
            choices=ApiToken.Scope.values,
            help="read: safe methods only; write: read and write.",
        )
        parser.add_argument("--name", default="API token", metavar="NAME", help="What uses it.")
        parser.add_argument(
            "--expires-days", type=int, metavar="N", help="Expire after N days (default: never)."
        )

    def handle(self, *args, user: str, scope: str, name: str, expires_days, **options) -> None:
        owner = User.objects.filter(email=normalize_email_key(user), is_active=True).first()
        if owner is None:
            raise CommandError(f"No active account has the address {user}.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        token, text = api_token_create(
            owner=owner,
            name=name,
            scope=scope,
            expires_at=api_token_expiry(days=expires_days, now=now()),
        )
        until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(
            f"API token {token.name!r} ({token.get_scope_display().lower()}{until}) for "
            f"{owner.email}. It is shown only now:"
        )
        self.stdout.write(text)
