"""The VAPID key: generated once into its file (0600, never twice), or taken from the setting."""

from __future__ import annotations

import base64
import stat
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

from notify.services import vapid


def _public(key: ec.EllipticCurvePrivateKey) -> str:
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def test_first_use_generates_a_private_file_and_keeps_using_it(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "vapid-private.pem"
    public = vapid.vapid_public_key()
    assert stat.S_IMODE(settings.VAPID_KEY_FILE.stat().st_mode) == 0o600
    assert b"BEGIN PRIVATE KEY" in settings.VAPID_KEY_FILE.read_bytes()
    assert len(base64.urlsafe_b64decode(public + "==")) == 65
    # Another process (no cache) reads the same key from the file.
    vapid._cache.clear()
    assert vapid.vapid_public_key() == public


def test_processes_starting_together_make_one_key(settings, tmp_path):
    path = tmp_path / "race.pem"
    keys = []
    threads = [
        threading.Thread(target=lambda: keys.append(_public(vapid._from_file(path))))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_key_from_the_environment_as_pem_or_raw(settings, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    settings.VAPID_KEY_FILE = tmp_path / "unused.pem"
    settings.VAPID_PRIVATE_KEY = pem.replace("\n", "\\n")  # one line, as .env files hold it
    assert vapid.vapid_public_key() == _public(key)
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    settings.VAPID_PRIVATE_KEY = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    assert vapid.vapid_public_key() == _public(key)
    assert not settings.VAPID_KEY_FILE.exists()


@pytest.mark.parametrize("value", ["not a key", "-----BEGIN PRIVATE KEY-----\nxx\n-----END"])
def test_a_broken_key_says_what_to_set(settings, value):
    settings.VAPID_PRIVATE_KEY = value
    with pytest.raises(ImproperlyConfigured, match="VAPID_PRIVATE_KEY"):
        vapid.vapid_public_key()


def test_a_broken_key_fails_the_system_check(settings):
    settings.VAPID_PRIVATE_KEY = "not a key"
    (error,) = vapid.vapid_key_check()
    assert error.id == "notify.E001" and "VAPID_PRIVATE_KEY" in error.msg
    settings.VAPID_PRIVATE_KEY = ""
    assert vapid.vapid_key_check() == []


def test_a_broken_key_file_says_how_to_recover(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "broken.pem"
    settings.VAPID_KEY_FILE.write_text("garbage")
    with pytest.raises(ImproperlyConfigured, match="Remove it"):
        vapid.vapid_public_key()


def test_subject_defaults_to_the_sender_address(settings):
    settings.VAPID_SUBJECT = ""
    settings.DEFAULT_FROM_EMAIL = "Our CRM <crm@example.org>"
    assert vapid.vapid_subject() == "mailto:crm@example.org"
    settings.VAPID_SUBJECT = "https://crm.example.org"
    assert vapid.vapid_subject() == "https://crm.example.org"
