"""Interactions' answers to signals from the apps below it (connected in InteractionsConfig.ready)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from interactions.models import Interaction
from interactions.services import activity_recount, interactions_touch


def delete_interactions_left_with_nobody(sender, *, owner, contact_ids, **kwargs) -> None:
    """Contacts are about to be deleted (contacts.signals.contacts_deleting): the interactions
    only they took part in go too, and their days are recounted. Shared interactions stay and
    just lose them as participants when the contacts' rows go."""
    through = Interaction.contacts.through
    theirs = through.objects.filter(contact_id__in=contact_ids).values("interaction_id")
    someone_else = through.objects.filter(interaction_id=OuterRef("pk")).exclude(
        contact_id__in=contact_ids
    )
    orphans = Interaction.objects.filter(owner=owner, pk__in=theirs).exclude(Exists(someone_else))
    # The shared ones show fewer people from now on: changed, for the API's ?updated_since=.
    interactions_touch(
        owner=owner,
        interaction_ids=Interaction.objects.filter(owner=owner, pk__in=theirs)
        .filter(Exists(someone_else))
        .values_list("pk", flat=True),
    )
    days = set(orphans.values_list("occurred_on", flat=True))
    if not days:
        return
    orphans.delete()
    activity_recount(owner=owner, days=days)
