"""A local push service on 127.0.0.1: it stands in for FCM / Mozilla autopush / Apple, and also
for the browser behind it, since it holds the subscriber's private key and auth secret.

For each POST it checks the VAPID token (RFC 8292: signature against the instance's public key,
``aud`` = its own origin, ``exp`` within 24 hours, a ``sub``), decrypts the aes128gcm body
(RFC 8291) with http_ece and keeps the JSON message the service worker would read. Each path
answers the next of its queued statuses (then 201). Importable by other tests:
``from tests.notify.push.service import push_service_running``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """One browser's subscription: the keys a real browser keeps to itself."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(point)

    def as_json(self) -> dict:
        """What PushSubscription.toJSON() gives in a browser."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)}}


@dataclass
class Push:
    path: str
    headers: dict[str, str]
    claims: dict
    message: dict | None
    error: str = ""


@dataclass
class PushService:
    host: str
    port: int
    vapid_public_key: str
    now: callable = time.time
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)
    received: list[Push] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def subscribe(self, name: str | None = None) -> Subscriber:
        path = f"/push/{name or secrets.token_urlsafe(12)}"
        subscriber = Subscriber(
            self.origin + path, ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(16)
        )
        self.subscribers[path] = subscriber
        return subscriber

    def answer(self, subscriber: Subscriber, *statuses: int) -> None:
        path = subscriber.endpoint.removeprefix(self.origin)
        self.answers.setdefault(path, []).extend(statuses)

    def messages(self) -> list[dict]:
        return [push.message for push in self.received if push.message is not None]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Push]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} push(es) arrived, not {count}.")
            time.sleep(0.05)
        return self.received

    # --- what a real push service and browser do with a request ---------------------------

    def check_vapid(self, authorization: str) -> dict:
        scheme, _, rest = authorization.partition(" ")
        assert scheme.lower() == "vapid", f"not a VAPID header: {authorization[:20]}"
        parts = dict(item.strip().split("=", 1) for item in rest.split(","))
        assert parts["k"] == self.vapid_public_key, "signed with another key"
        header, payload, signature = parts["t"].split(".")
        assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
        raw = unb64(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise AssertionError("the VAPID signature does not verify") from None
        claims = json.loads(unb64(payload))
        assert claims["aud"] == self.origin, claims
        assert self.now() < claims["exp"] <= self.now() + 24 * 3600, claims
        assert claims["sub"].startswith(("mailto:", "https:")), claims
        return claims

    def decrypt(self, path: str, body: bytes) -> dict:
        subscriber = self.subscribers[path]
        plain = http_ece.decrypt(
            body,
            private_key=subscriber.private_key,
            auth_secret=subscriber.auth,
            version="aes128gcm",
        )
        return json.loads(plain)


@contextlib.contextmanager
def push_service_running(vapid_public_key: str, now=time.time) -> Iterator[PushService]:
    state = PushService("127.0.0.1", 0, vapid_public_key, now)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = dict(self.headers.items())
            queue = state.answers.get(self.path) or []
            status = queue.pop(0) if queue else 201
            push = Push(self.path, headers, {}, None)
            try:
                assert headers.get("Content-Encoding") == "aes128gcm", headers
                assert int(headers["TTL"]) > 0, headers
                push.claims = state.check_vapid(headers.get("Authorization", ""))
                if status < 300:
                    push.message = state.decrypt(self.path, body)
            except Exception as exc:  # noqa: BLE001 (the test reads it from ``error``)
                push.error = f"{type(exc).__name__}: {exc}"
                status = 400
            state.received.append(push)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
