"""api/services/webhooks.py against a real receiver on loopback: signing (checked with the
README's own example code), retries with backoff, timeouts, redirects, stale claims, SSRF."""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from api.models import Webhook, WebhookDelivery
from api.services import webhooks as services
from tests.conftest import FROZEN_NOW

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_verify():
    """The README's receiver example, run for real."""
    text = README.read_text()
    match = re.search(
        r"<!-- webhook-receiver-example.*?```python\n(.*?)```\n<!-- /webhook-receiver-example -->",
        text,
        re.S,
    )
    assert match, "README.md lost its webhook receiver example"
    namespace: dict = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    return namespace["verify"]


def make_delivery(owner, url, *, event="contact.created", now=FROZEN_NOW) -> WebhookDelivery:
    webhook = services.webhook_create(owner=owner, url=url, events=[event], name="test")
    [delivery_id] = services.webhook_events_record(
        owner_id=owner.pk, event=event, items=[{"contact": {"id": 1, "name": "Ada"}}], now=now
    )
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.webhook == webhook
    return delivery


def test_a_delivery_is_signed_and_the_readme_code_verifies_it(
    alice, receiver, allow_private, frozen_now
):
    delivery = make_delivery(alice, receiver.url)
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "delivered"

    [request] = receiver.received
    assert request.path == "/hook"
    assert request.headers["X-Network-CRM-Event"] == "contact.created"
    assert request.headers["X-Network-CRM-Delivery"] == str(delivery.event_id)
    assert request.headers["X-Network-CRM-Timestamp"] == str(int(FROZEN_NOW.timestamp()))
    body = json.loads(request.body)
    assert body == {
        "id": str(delivery.event_id),
        "event": "contact.created",
        "created_at": "2026-11-28T09:30:00+00:00",
        "data": {"contact": {"id": 1, "name": "Ada"}},
    }
    verify = readme_verify()
    secret = delivery.webhook.secret
    assert verify(secret, request.headers, request.body)
    assert not verify("another secret", request.headers, request.body)
    assert not verify(secret, request.headers, request.body + b" ")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at == FROZEN_NOW
    # Delivered once: sending again finds nothing to claim, and the receiver hears nothing more.
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "not claimable"
    assert len(receiver.received) == 1


def test_the_readme_code_refuses_an_old_timestamp(alice, receiver, allow_private, time_machine):
    time_machine.move_to(FROZEN_NOW, tick=False)
    delivery = make_delivery(alice, receiver.url)
    services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW)
    [request] = receiver.received
    time_machine.move_to(FROZEN_NOW + dt.timedelta(minutes=6), tick=False)
    assert not readme_verify()(delivery.webhook.secret, request.headers, request.body)


def test_a_500_is_retried_with_backoff_until_a_200(alice, receiver, allow_private, frozen_now):
    receiver.answer(500)
    receiver.answer(503)
    delivery = make_delivery(alice, receiver.url)

    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert (delivery.attempts, delivery.last_status_code) == (1, 500)
    assert delivery.last_error == "Answered 500."
    assert delivery.next_attempt_at == FROZEN_NOW + dt.timedelta(minutes=1)
    # Not due yet: beat does not pick it, and a stray task cannot claim it.
    assert services.deliveries_due(now=FROZEN_NOW + dt.timedelta(seconds=59)) == []
    too_early = FROZEN_NOW + dt.timedelta(seconds=59)
    assert services.delivery_send(delivery_id=delivery.pk, now=too_early) == "not claimable"

    second = FROZEN_NOW + dt.timedelta(minutes=1)
    assert services.deliveries_due(now=second) == [delivery.pk]
    assert services.delivery_send(delivery_id=delivery.pk, now=second) == "retry"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == second + dt.timedelta(minutes=5)

    third = second + dt.timedelta(minutes=5)
    assert services.delivery_send(delivery_id=delivery.pk, now=third) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert len(receiver.received) == 3
    # Every retry carries the same delivery id, so the receiver can de-duplicate.
    assert {r.headers["X-Network-CRM-Delivery"] for r in receiver.received} == {
        str(delivery.event_id)
    }


def test_after_the_last_backoff_the_delivery_fails(alice, receiver, allow_private, frozen_now):
    for _ in range(6):
        receiver.answer(500)
    delivery = make_delivery(alice, receiver.url)
    moment = FROZEN_NOW
    outcomes = []
    for wait in (dt.timedelta(0), *services.BACKOFF):
        moment += wait
        outcomes.append(services.delivery_send(delivery_id=delivery.pk, now=moment))
    assert outcomes == ["retry"] * 5 + ["failed"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    assert services.deliveries_due(now=moment + dt.timedelta(days=1)) == []


def test_a_slow_receiver_times_out_and_is_retried(
    alice, receiver, allow_private, frozen_now, monkeypatch
):
    monkeypatch.setattr(services, "SEND_TIMEOUT_SECONDS", 0.3)
    receiver.answer(200, delay=1.0)
    delivery = make_delivery(alice, receiver.url)
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error == "No answer within 0.3 seconds."
    assert delivery.last_status_code is None
    assert delivery.status == "pending"


def test_redirects_are_not_followed(alice, receiver, allow_private, frozen_now):
    receiver.answer(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    delivery = make_delivery(alice, receiver.url)
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302
    assert "redirects are not followed" in delivery.last_error
    assert len(receiver.received) == 1


def test_nothing_listens_is_a_clear_error(alice, allow_private, frozen_now):
    from tests.fixtures.processes import free_port

    delivery = make_delivery(alice, f"http://127.0.0.1:{free_port()}/hook")
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Could not connect: ConnectionRefusedError")


def test_a_stale_claim_is_sent_again(alice, receiver, allow_private, frozen_now):
    delivery = make_delivery(alice, receiver.url)
    assert services.delivery_claim(delivery_id=delivery.pk, now=FROZEN_NOW)  # then the worker died
    assert services.deliveries_due(now=FROZEN_NOW + dt.timedelta(minutes=1)) == []
    later = FROZEN_NOW + services.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert services.deliveries_due(now=later) == [delivery.pk]
    assert services.delivery_send(delivery_id=delivery.pk, now=later) == "delivered"
    assert len(receiver.received) == 1


def test_a_turned_off_webhook_sends_nothing(alice, receiver, allow_private, frozen_now):
    delivery = make_delivery(alice, receiver.url)
    services.webhook_update(webhook=delivery.webhook, is_active=False)
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "failed"
    assert receiver.received == []
    # And no new event is recorded for it.
    assert (
        services.webhook_events_record(
            owner_id=alice.pk, event="contact.created", items=[{}], now=FROZEN_NOW
        )
        == []
    )


def test_old_finished_deliveries_are_purged(alice, receiver, allow_private, frozen_now):
    delivery = make_delivery(alice, receiver.url)
    services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW)
    assert services.deliveries_purge(now=FROZEN_NOW + dt.timedelta(days=29)) == 0
    assert services.deliveries_purge(now=FROZEN_NOW + dt.timedelta(days=31)) == 1
    assert not WebhookDelivery.objects.exists()


# --- SSRF ------------------------------------------------------------------------------------

REFUSED = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://10.1.2.3/hook",
    "http://192.168.1.10/hook",
    "http://172.16.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://0.0.0.0/hook",
    "http://100.64.0.1/hook",
    "http://240.0.0.1/hook",
    "http://224.0.0.1/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_addresses_are_refused(alice, url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(services.WebhookUrlError, match="private or reserved address"):
        services.webhook_create(owner=alice, url=url, events=["contact.created"])
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("https://user:pw@example.com/hook", "no user name or password"),
        ("http://no-such-host.invalid/hook", "could not be found"),
        ("http://example.com:99999/hook", "valid URL"),
    ],
)
def test_other_urls_are_refused_clearly(alice, url, message, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(services.WebhookUrlError, match=message):
        services.webhook_create(owner=alice, url=url, events=["contact.created"])


def test_a_public_address_is_accepted(alice, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    webhook = services.webhook_create(
        owner=alice, url="https://93.184.215.14/hook", events=["contact.created"]
    )
    assert len(webhook.secret) == 64


def test_the_check_is_made_again_at_send_time(alice, receiver, allow_private, frozen_now):
    delivery = make_delivery(alice, receiver.url)  # registered while private was allowed
    allow_private.WEBHOOKS_ALLOW_PRIVATE = False
    assert services.delivery_send(delivery_id=delivery.pk, now=FROZEN_NOW) == "retry"
    delivery.refresh_from_db()
    assert "private or reserved address (127.0.0.1)" in delivery.last_error
    assert receiver.received == []


# --- HTTPS -----------------------------------------------------------------------------------


@pytest.fixture
def tls_receiver(tmp_path) -> Iterator[tuple[int, Path, list[bytes]]]:
    """A TLS receiver on 127.0.0.1 with a self-signed certificate for "localhost": its port,
    the certificate, and the bodies it received."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            bodies.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], cert, bodies
    finally:
        server.shutdown()
        server.server_close()


def test_https_connects_to_the_checked_address_and_verifies_the_name(
    alice, tls_receiver, allow_private, frozen_now, monkeypatch
):
    port, cert, bodies = tls_receiver
    untrusted = make_delivery(alice, f"https://localhost:{port}/hook")
    assert services.delivery_send(delivery_id=untrusted.pk, now=FROZEN_NOW) == "retry"
    untrusted.refresh_from_db()
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.last_error
    assert bodies == []

    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the certificate is trusted
    [delivery_id] = services.webhook_events_record(
        owner_id=alice.pk, event="contact.created", items=[{}], now=FROZEN_NOW
    )
    assert services.delivery_send(delivery_id=delivery_id, now=FROZEN_NOW) == "delivered"
    assert len(bodies) == 1
