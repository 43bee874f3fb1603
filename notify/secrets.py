"""The key that encrypts channel URLs at rest (they hold bot tokens and passwords).

Fernet (AES-128-CBC + HMAC-SHA256, cryptography). The current key is NOTIFY_SECRET_KEY, or, when
that is unset, a key generated into NOTIFY_KEY_FILE (VAR_DIR/notify.key, mode 0600) the first
time one is needed. Old keys (NOTIFY_OLD_SECRET_KEYS, and the key file once NOTIFY_SECRET_KEY
replaces it) still decrypt, so a rotation is: set the new key, keep the old one listed, run
``manage.py notify_rotate_key``, then drop the old one (README "Rotating the notification key").
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "generate_key", "reencrypt"]


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str, *, source: str) -> Fernet:
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(
            f"{source} is not a Fernet key (urlsafe base64 of 32 bytes); make one with "
            "`python manage.py notify_rotate_key --new-key`."
        ) from None


def _read_or_create_key_file(path: Path) -> str:
    """The key in ``path``, made on first use. Two processes starting together must agree on one
    key: the new key is written to a private temporary file and linked into place, which fails
    if the other process won; then its key is read (never a half-written file)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(generate_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # The other process won the race: its key is the one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


@functools.lru_cache(maxsize=8)
def _keys(current: str | None, old: tuple[str, ...], key_file: str) -> MultiFernet:
    path = Path(key_file)
    if current:
        fernets = [_fernet(current, source="NOTIFY_SECRET_KEY")]
        # The generated key keeps decrypting after NOTIFY_SECRET_KEY takes over from it.
        if path.exists():
            fernets.append(_fernet(path.read_text(encoding="ascii"), source=str(path)))
    else:
        fernets = [_fernet(_read_or_create_key_file(path), source=str(path))]
    fernets += [_fernet(key, source="NOTIFY_OLD_SECRET_KEYS") for key in old]
    return MultiFernet(fernets)


def _multi() -> MultiFernet:
    # Read per call (cached by value), so settings overridden in tests take effect.
    return _keys(
        settings.NOTIFY_SECRET_KEY or None,
        tuple(settings.NOTIFY_OLD_SECRET_KEYS),
        str(settings.NOTIFY_KEY_FILE),
    )


def encrypt(text: str) -> str:
    return _multi().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text, or InvalidToken when no configured key opens it (a lost or removed key)."""
    return _multi().decrypt(token.encode("ascii")).decode("utf-8")


def reencrypt(token: str) -> str:
    """The same text encrypted with the current key (InvalidToken as ``decrypt``)."""
    return _multi().rotate(token.encode("ascii")).decode("ascii")
