"""Fill one user's account with made-up people and two years of history (demos, benchmarks)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from accounts.models import User
from accounts.services import user_signup
from demo.services import INTERACTIONS_PER_CONTACT, demo_seed
from network_crm import clock

DEMO_PASSWORD = "demo-password-123"


class Command(BaseCommand):
    help = (
        "Add realistic, deterministic demo contacts, interests and interactions to one user "
        "(created if missing; see --user)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            required=True,
            metavar="EMAIL|NAME",
            help=(
                "The account's email address. A bare NAME (no @) stands for NAME@example.com "
                "(it is not looked up by name); either is created, with the password "
                f"{DEMO_PASSWORD}, if no account has that address."
            ),
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
        if "@" not in user:
            self.stdout.write(f"--user {user!r} has no @: using the address {email}.")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address.") from None

        started = time.perf_counter()
        now = clock.now()
        owner = User.objects.filter(email__iexact=email).first()
        if owner is None:
            if "@" not in user:
                self._mention_lookalikes(user, email)
            owner = user_signup(
                email=email,
                password=DEMO_PASSWORD,
                name=email.split("@")[0].title(),
                time_zone="Europe/London",
                now=now,
            )
            self.stdout.write(
                f"No account has the address {email}: created it (password: {DEMO_PASSWORD})."
            )
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

    def _mention_lookalikes(self, name: str, email: str) -> None:
        """A bare name was probably meant for an account that exists under a real address."""
        local_part = name.strip().lower()
        others = User.objects.filter(email__istartswith=f"{local_part}@").exclude(email=email)
        for other in others.order_by("email").values_list("email", flat=True)[:3]:
            self.stdout.write(
                self.style.WARNING(f"Not {other}: pass --user {other} to seed that account.")
            )
