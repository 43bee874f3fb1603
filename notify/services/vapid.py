"""The instance's VAPID key pair (RFC 8292): browsers subscribe with its public key, and every
push carries a token signed with its private key, so a push service accepts pushes to a
subscription only from the server that made it (docs/architecture.md "Notifications").

The key comes from VAPID_PRIVATE_KEY (a PEM, or the 32-byte raw key in urlsafe base64 that
other Web Push tools print), else from VAPID_KEY_FILE, generated there on first use. Changing
the key orphans every subscription: browsers must subscribe again (README "Push notifications
on this device").
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import threading
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02, VapidException

# RFC 8292 §2: "exp" at most 24 hours ahead; 12 leaves room for a push service's clock.
TOKEN_LIFETIME = dt.timedelta(hours=12)

_lock = threading.Lock()
_cache: dict[tuple, ec.EllipticCurvePrivateKey] = {}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _from_setting(value: str) -> ec.EllipticCurvePrivateKey:
    text = value.strip().replace("\\n", "\n")
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            if len(raw) != 32:
                raise ValueError("not 32 bytes")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"VAPID_PRIVATE_KEY is not a P-256 private key (PEM or raw urlsafe base64): {exc}"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY must be an EC key on the P-256 curve.")
    return key


def _from_file(path: Path) -> ec.EllipticCurvePrivateKey:
    """Read the key file, creating it first if there is none. O_EXCL: when two processes start
    at once, one writes and the other reads what it wrote (never two keys)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        return key
    data = path.read_bytes()
    if not data.strip():
        # The other process is between open and write: a moment later the key is there.
        for _ in range(50):
            threading.Event().wait(0.02)
            data = path.read_bytes()
            if data.strip():
                break
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{path} does not hold a VAPID private key (PEM): {exc}. "
            "Remove it to make a new one (every device then subscribes again)."
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured(f"{path} must hold an EC P-256 key.")
    return key


def vapid_private_key() -> ec.EllipticCurvePrivateKey:
    source = (settings.VAPID_PRIVATE_KEY or "", str(settings.VAPID_KEY_FILE))
    with _lock:
        if source not in _cache:
            _cache[source] = _from_setting(source[0]) if source[0] else _from_file(Path(source[1]))
        return _cache[source]


@checks.register(checks.Tags.security)
def vapid_key_check(**kwargs) -> list[checks.CheckMessage]:
    """A VAPID_PRIVATE_KEY that is not a key stops `manage.py check` and start-up (migrate),
    instead of failing on the settings page. The generated file is not made here."""
    if not settings.VAPID_PRIVATE_KEY:
        return []
    try:
        _from_setting(settings.VAPID_PRIVATE_KEY)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="notify.E001")]
    return []


def vapid_public_key() -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed P-256 point, urlsafe
    base64 without padding."""
    point = (
        vapid_private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64(point)


def vapid_subject() -> str:
    """How a push service reaches the admin: VAPID_SUBJECT, else DEFAULT_FROM_EMAIL's address."""
    if settings.VAPID_SUBJECT:
        return settings.VAPID_SUBJECT
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "network-crm@localhost"
    return f"mailto:{address}"


def vapid_headers(*, endpoint: str, now: dt.datetime) -> dict[str, str]:
    """The Authorization header for one push to ``endpoint`` (RFC 8292 §3: "vapid t=…, k=…");
    the audience is the push service's origin."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
        "sub": vapid_subject(),
    }
    # no-strict: an instance's subject is the admin's business (e.g. mailto:me@localhost).
    try:
        return Vapid02(vapid_private_key(), conf={"no-strict": True}).sign(claims)
    except VapidException as exc:  # an audience py_vapid cannot sign for (an IPv6 literal)
        raise ValueError(f"Cannot sign for {claims['aud']}: {exc}") from None
