"""Fill one user's account with made-up people and two years of history (demos, benchmarks)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from accounts.models import User
from accounts.services import user_signup
from contacts.demo import INTERACTIONS_PER_CONTACT, demo_seed
from network_crm import clock

DEMO_PASSWORD = "demo-password-123"


class Command(BaseCommand):
    help = (
        "Add realistic, deterministic demo contacts, interests and interactions to one user "
        "(created if missing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            required=True,
            help='An email address, or a name: "demo" means demo@example.com.',
        )
        parser.add_argument("--contacts", type=int, default=200, help="Default: 200.")
        parser.add_argument(
            "--interactions",
            type=int,
            default=None,
            help=f"Interaction rows. Default: {INTERACTIONS_PER_CONTACT} per contact.",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Same seed, same people and history. Default: 0."
        )

    def handle(
        self, *args, user: str, contacts: int, interactions: int | None, seed: int, **options
    ) -> None:
        if contacts < 0 or (interactions is not None and interactions < 0):
            raise CommandError("--contacts and --interactions cannot be negative.")
        if interactions and not contacts:
            raise CommandError("--interactions needs at least one contact.")
        email = (user if "@" in user else f"{user}@example.com").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address.") from None

        started = time.perf_counter()
        now = clock.now()
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            owner = user_signup(
                email=email,
                password=DEMO_PASSWORD,
                name=email.split("@")[0].title(),
                time_zone="Europe/London",
                now=now,
            )
            self.stdout.write(f"Created the user {email} (password: {DEMO_PASSWORD}).")
        result = demo_seed(
            owner=owner, contacts=contacts, interactions=interactions, seed=seed, now=now
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.contacts} contacts, {result.interactions} interactions for "
                f"{owner.email} in {elapsed:.1f} s ({result.due} due today)."
            )
        )
