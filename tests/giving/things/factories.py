"""Factories for Things to share (kept here: tests/factories.py is shared)."""

from __future__ import annotations

import datetime as dt

import factory

from giving.models import Share, ShareItem
from tests.factories import UserFactory


class ShareItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareItem
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = ShareItem.Kind.ARTICLE
    title = factory.Sequence(lambda n: f"Article {n}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    owner = factory.SelfAttribute("contact.owner")
    direction = Share.Direction.GIVEN
    title = "Something"
    shared_on = dt.date(2026, 11, 20)
