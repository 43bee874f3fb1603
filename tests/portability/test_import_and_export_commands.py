from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Diallo\r\nEMAIL:amara@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kwame Mensah\r\nEND:VCARD\r\n"
)


def test_import_reports_and_is_idempotent(tmp_path, alice, capsys):
    path = tmp_path / "people.vcf"
    path.write_text(CARDS)
    call_command("import_contacts", str(path), "--user", "alice@example.com", "--dry-run")
    out = capsys.readouterr().out
    assert "Would import: 2 new, 0 already there (skipped), 1 unreadable (skipped)." in out
    assert "card/row 2: this card has no END:VCARD" in out
    assert not Contact.objects.exists()
    call_command("import_contacts", str(path), "--user", "alice@example.com")
    assert "Imported 2 people for alice@example.com" in capsys.readouterr().out
    call_command("import_contacts", str(path), "--user", "alice@example.com")
    assert "Imported 0 people" in capsys.readouterr().out
    assert Contact.objects.filter(owner=alice).count() == 2


def test_export_then_restore_a_backup_through_the_commands(tmp_path, alice, bob, capsys):
    ContactFactory(owner=alice, name="Émile Zola")
    backup = tmp_path / "backup.json"
    call_command(
        "export_contacts",
        "--user",
        "alice@example.com",
        "--format",
        "json",
        "--output",
        str(backup),
    )
    assert json.loads(backup.read_text())["contacts"][0]["name"] == "Émile Zola"
    call_command("import_contacts", str(backup), "--user", "bob@example.com")
    assert "Restored a backup for bob@example.com: 1 people" in capsys.readouterr().out
    assert Contact.objects.get(owner=bob).name == "Émile Zola"
    call_command("export_contacts", "--user", "bob@example.com", "--format", "vcf")
    assert "FN:Émile Zola" in capsys.readouterr().out


def test_errors_are_clear(tmp_path, alice):
    with pytest.raises(CommandError, match="No account with the email address nobody@example.com"):
        call_command("export_contacts", "--user", "nobody")
    with pytest.raises(CommandError, match="Can't read"):
        call_command(
            "import_contacts", str(tmp_path / "missing.vcf"), "--user", "alice@example.com"
        )
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CommandError, match="isn't a contacts file"):
        call_command("import_contacts", str(junk), "--user", "alice@example.com")
