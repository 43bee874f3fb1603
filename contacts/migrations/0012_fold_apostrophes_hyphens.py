"""Rebuild every folded column with the folding rule that drops apostrophes and reads hyphens as
spaces (network_crm.text.fold), so "obrien" finds the O'Brien already stored.

Interests are unique per owner by folded name, and the new rule can make two of them one
("Rock-n-roll" and "rock n roll"): those are merged into the oldest, which keeps its name; the
people of the others move to it, and it is one of the user's own if any of them was.
"""

from collections import defaultdict

from django.db import migrations

BATCH = 500


def refold(apps, schema_editor=None):
    # The current model's own fill methods, on the historical rows: the columns are rebuilt
    # with exactly the rule that save() applies, not a copy of it.
    from contacts.models import Contact as CurrentContact
    from contacts.models import ContactMethod as CurrentMethod
    from contacts.models import Interest as CurrentInterest

    Contact = apps.get_model("contacts", "Contact")
    ContactMethod = apps.get_model("contacts", "ContactMethod")
    Interest = apps.get_model("contacts", "Interest")

    _refold_rows(Contact, CurrentContact.fill_folded_fields, ["search_text", "sort_name"])
    _refold_rows(ContactMethod, CurrentMethod.fill_folded_fields, ["folded_value"])
    _refold_interests(Interest, Contact.interests.through, CurrentInterest.fold_name)


def _refold_rows(model, fill, fields):
    # Batches by primary key rather than one open cursor: SQLite doesn't isolate a cursor from
    # updates made on the same connection.
    last = 0
    while batch := list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH]):
        last = batch[-1].pk
        changed = []
        for row in batch:
            before = [getattr(row, name) for name in fields]
            fill(row)
            if [getattr(row, name) for name in fields] != before:
                changed.append(row)
        model.objects.bulk_update(changed, fields)


def _refold_interests(Interest, through, fold_name):
    groups = defaultdict(list)
    for interest in Interest.objects.order_by("pk"):
        groups[(interest.owner_id, fold_name(interest.name))].append(interest)
    # Merge first, so no rename below can meet a name that is about to go.
    for interests in groups.values():
        keep, *others = interests
        if not others:
            continue
        linked = through.objects.filter(interest=keep).values_list("contact_id", flat=True)
        moved = set(
            through.objects.filter(interest__in=others)
            .exclude(contact_id__in=list(linked))
            .values_list("contact_id", flat=True)
        )
        through.objects.bulk_create([through(contact_id=pk, interest=keep) for pk in moved])
        Interest.objects.filter(pk__in=[other.pk for other in others]).delete()
        if any(other.mine for other in others):
            Interest.objects.filter(pk=keep.pk).update(mine=True)
    for (_owner, key), (keep, *_others) in groups.items():
        if keep.folded_name != key:
            Interest.objects.filter(pk=keep.pk).update(folded_name=key)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0011_contact_active_next_index"),
    ]

    operations = [
        # Going back keeps the new folding (the previous code finds a little less in it) and
        # merged interests stay merged.
        migrations.RunPython(refold, migrations.RunPython.noop),
    ]
