"""Factories that pass the owner down, so every object of a test belongs to one user."""

from __future__ import annotations

import datetime as dt

import factory

from accounts.models import User
from contacts.models import Circle, Contact, Interest
from interactions.models import Interaction
from interactions.services import activity_recount


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")
    # The account's settings row and default circles come with it (accounts.apps signal).


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Circle {n}")
    cadence_days = 30


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Interest {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact added on 1 Jan 2026 with no cadence unless given one."""

    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    added_on = dt.date(2026, 1, 1)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = Interaction.Kind.COFFEE
    occurred_at = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    occurred_on = factory.LazyAttribute(lambda o: o.occurred_at.date())

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)

    @factory.post_generation
    def activity(self, create, extracted, **kwargs):
        """Keep the per-day counts in step, as every write path of the app does."""
        if create:
            activity_recount(owner=self.owner, days={self.occurred_on})
