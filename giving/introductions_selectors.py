"""Reads about introductions and the give-and-take between you and a person."""

from __future__ import annotations

from dataclasses import dataclass

from contacts.models import Contact


@dataclass(frozen=True)
class GiveAndTake:
    shared_given: int
    shared_received: int
    introductions_given: int  # introductions you made for them
    introductions_received: int  # people they introduced you to (contact.introduced_by)

    @property
    def is_empty(self) -> bool:
        return not (
            self.shared_given
            or self.shared_received
            or self.introductions_given
            or self.introductions_received
        )


def give_and_take(*, contact: Contact) -> GiveAndTake:
    return GiveAndTake(0, 0, 0, 0)
