"""The key that encrypts channel URLs: generated once into the key file (0600), or from the
environment; old keys keep decrypting; notify_rotate_key moves every channel to the current key."""

from __future__ import annotations

import io
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from notify import secrets
from notify.models import Channel
from notify.services.channels import channel_send
from notify.services.errors import DeliveryError

from .conftest import SECRET


@pytest.fixture
def key_file(settings, tmp_path) -> Path:
    settings.NOTIFY_SECRET_KEY = None
    settings.NOTIFY_OLD_SECRET_KEYS = []
    settings.NOTIFY_KEY_FILE = tmp_path / "var" / "notify.key"
    return settings.NOTIFY_KEY_FILE


def test_a_key_is_generated_on_first_use_private_and_kept(key_file):
    assert not key_file.exists()
    token = secrets.encrypt("tgram://123:abc/456")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert Fernet(key.encode()).decrypt(token.encode()) == b"tgram://123:abc/456"
    secrets.encrypt("again")
    assert key_file.read_text().strip() == key
    assert [p.name for p in key_file.parent.iterdir()] == ["notify.key"]  # no temporary left


def test_processes_starting_together_agree_on_one_key(key_file):
    # Each thread makes its own key and races to link it into place: all must read the winner's.
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: secrets._read_or_create_key_file(key_file), range(32)))
    assert keys == {key_file.read_text().strip()}


def test_another_process_reads_what_this_one_wrote(key_file, settings):
    token = secrets.encrypt("ntfys://ntfy.sh/topic")
    code = (
        "from cryptography.fernet import Fernet; import sys;"
        f"print(Fernet(open({str(key_file)!r}).read().strip()).decrypt({token!r}.encode()).decode())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ntfys://ntfy.sh/topic"


def test_the_environment_key_wins_and_the_generated_one_still_decrypts(key_file, settings):
    old_token = secrets.encrypt("json://old")  # made with the generated key
    settings.NOTIFY_SECRET_KEY = Fernet.generate_key().decode()
    new_token = secrets.encrypt("json://new")
    assert Fernet(settings.NOTIFY_SECRET_KEY.encode()).decrypt(new_token.encode()) == b"json://new"
    assert secrets.decrypt(old_token) == "json://old"


def test_old_keys_decrypt_and_a_removed_key_does_not(key_file, settings):
    old = Fernet.generate_key().decode()
    token = Fernet(old.encode()).encrypt(b"json://x").decode()
    settings.NOTIFY_OLD_SECRET_KEYS = [old]
    assert secrets.decrypt(token) == "json://x"
    settings.NOTIFY_OLD_SECRET_KEYS = []
    with pytest.raises(secrets.InvalidToken):
        secrets.decrypt(token)


def test_a_malformed_key_is_a_configuration_error_that_says_what_to_do(key_file, settings):
    settings.NOTIFY_SECRET_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_SECRET_KEY is not a Fernet key"):
        secrets.encrypt("x")


@pytest.mark.django_db
def test_rotate_moves_every_channel_to_the_new_key(key_file, settings, alice_channel, receiver):
    before = alice_channel.url_encrypted
    new_key = Fernet.generate_key().decode()
    old_key = key_file.read_text().strip()
    settings.NOTIFY_SECRET_KEY = new_key
    key_file.unlink()  # the old key now lives only in NOTIFY_OLD_SECRET_KEYS
    settings.NOTIFY_OLD_SECRET_KEYS = [old_key]
    out = io.StringIO()
    call_command("notify_rotate_key", stdout=out)
    assert "Re-encrypted 1 channel." in out.getvalue()
    channel = Channel.objects.get(pk=alice_channel.pk)
    assert channel.url_encrypted != before
    assert Fernet(new_key.encode()).decrypt(channel.url_encrypted.encode()).decode() == (
        receiver.url(secret=SECRET)
    )
    # The old key can go: the channel still sends.
    settings.NOTIFY_OLD_SECRET_KEYS = []
    channel_send(channel, title="T", body="after rotation", url="")
    assert receiver.received[-1]["message"] == "after rotation"


@pytest.mark.django_db
def test_a_channel_no_key_opens_is_reported_and_fails_for_good(key_file, settings, alice_channel):
    settings.NOTIFY_SECRET_KEY = Fernet.generate_key().decode()
    key_file.unlink()  # the only key that opened it is gone
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("notify_rotate_key", stdout=io.StringIO(), stderr=err)
    assert f"Channel {alice_channel.pk} (“Home ntfy”" in err.getvalue()
    with pytest.raises(DeliveryError, match="can no longer be read") as caught:
        channel_send(Channel.objects.get(pk=alice_channel.pk), title="T", body="B", url="")
    assert caught.value.permanent


def test_new_key_prints_a_usable_key_and_changes_nothing(key_file):
    out = io.StringIO()
    call_command("notify_rotate_key", "--new-key", stdout=out)
    Fernet(out.getvalue().strip().encode())
    assert not key_file.exists()
