from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact
from portability.models import ImportBatch

pytestmark = pytest.mark.django_db

CSV = (
    "Prénom,Nom,Courriel,Téléphone,Société,Anniversaire,Tags,Ignored\n"
    "Émile,Zola,emile@example.com,+33 6 12 34 56 78,Grasset,1990-04-02,jazz; novels,x\n"
    ",,,,Acme,,,only junk\n"
    "Ísak,Jónsson,isak@example.com,,,--03-15,,\n"
)


def test_any_csv_asks_which_column_is_what_then_imports(alice_client, alice, bob):
    upload = SimpleUploadedFile("people.csv", CSV.encode())
    response = alice_client.post(reverse("portability:import"), {"file": upload})
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.kind == "csv"
    page = alice_client.get(response.url).content.decode()
    assert "Which column is what?" in page and "Column “Prénom”" in page
    # A mapping without any name column is refused with a message.
    refused = alice_client.post(
        reverse("portability:import_mapping", args=[batch.pk]), {"column_2": "email"}, follow=True
    )
    assert "Say which column holds the name" in refused.content.decode()
    mapping = {
        "column_0": "first_name",
        "column_1": "last_name",
        "column_2": "email",
        "column_3": "phone",
        "column_4": "company",
        "column_5": "birthday",
        "column_6": "interests",
        "column_7": "",
    }
    preview = alice_client.post(
        reverse("portability:import_mapping", args=[batch.pk]), mapping, follow=True
    ).content.decode()
    assert "2 new" in preview and "1 that can" in preview
    assert not Contact.objects.exists()
    alice_client.post(reverse("portability:import_confirm", args=[batch.pk]))
    emile = Contact.objects.get(owner=alice, name="Émile Zola")
    assert emile.company == "Grasset"
    assert sorted(emile.methods.values_list("kind", "value")) == [
        ("email", "emile@example.com"),
        ("phone", "+33 6 12 34 56 78"),
    ]
    assert set(emile.interests.values_list("name", flat=True)) == {"jazz", "novels"}
    assert emile.dates.get().year == 1990
    assert Contact.objects.get(name="Ísak Jónsson").dates.get().year is None
    # bob can't touch it
    alice_client.force_login(bob)
    assert (
        alice_client.post(
            reverse("portability:import_mapping", args=[batch.pk]), mapping
        ).status_code
        == 404
    )
