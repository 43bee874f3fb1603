"""Who may sync: an app password of the account, and nothing else (not the account password, not
a revoked app password); and whose data: another account's paths answer 404 exactly like paths
that exist nowhere, even with a valid app password, and nothing is read or written there."""

from __future__ import annotations

import pytest

from accounts.services import app_password_create, app_password_revoke
from contacts.models import Contact
from dav.models import Card
from network_crm import clock
from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import Dav, basic
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_no_credentials_asks_for_them(client, alice):
    response = client.generic("PROPFIND", "/dav/", bodies.IOS_WELL_KNOWN, HTTP_DEPTH="0")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="network-crm"')


@pytest.mark.parametrize("which", ["wrong", "account", "revoked", "other_email", "not_basic"])
def test_refused_credentials(client, alice, bob, alice_password, which):
    app_password, secret = alice_password
    email = alice.email
    if which == "wrong":
        secret = secret[:-2] + "xx"
    elif which == "account":
        secret = "correct horse battery staple"  # the account password (tests.factories)
    elif which == "revoked":
        app_password_revoke(app_password=app_password, now=clock.now())
    elif which == "other_email":
        email = bob.email
    header = basic(email, secret) if which != "not_basic" else "Bearer " + secret
    for path in ("/dav/", f"/dav/{alice.email}/contacts/"):
        response = client.generic(
            "PROPFIND", path, bodies.IOS_HOME_SET, HTTP_DEPTH="1", HTTP_AUTHORIZATION=header
        )
        assert response.status_code == 401, (which, path)


def test_login_ignores_the_case_of_the_email(client, alice, alice_password):
    dav = Dav(client=client, email="Alice@Example.COM", password=alice_password[1])
    response = dav("PROPFIND", "/dav/", bodies.IOS_WELL_KNOWN, depth="0")
    assert response.status_code == 207
    assert b"/dav/alice%40example.com/" in response.content


@pytest.fixture
def bob_dav(client, bob):
    return Dav(client=client, email=bob.email, password=app_password_create(owner=bob, name="B")[1])


def alice_paths(alice, contact) -> list[str]:
    home = f"/dav/{alice.email}/"
    return [
        home,
        home + "contacts/",
        home + "calendar/",
        home + f"contacts/{contact.uid}.vcf",
        home + "contacts/new.vcf",
        f"/dav/{alice.email.upper()}/contacts/",
    ]


def test_another_accounts_paths_are_not_found(bob_dav, alice, dav):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    dav("PROPFIND", dav.book, bodies.VDIRSYNCER_LIST, depth="1")  # alice's cards exist
    before = list(Card.objects.values_list("pk", "fingerprint", "seq"))
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hacked\r\nUID:{amara.uid}\r\nEND:VCARD\r\n"
    requests = [
        ("PROPFIND", bodies.IOS_HOME_SET, {"depth": "1"}),
        ("REPORT", bodies.davx5_sync(), {"depth": "1"}),
        ("REPORT", bodies.davx5_multiget(f"/dav/{alice.email}/contacts/{amara.uid}.vcf"), {}),
        ("GET", "", {}),
        ("PUT", card, {}),
        ("PUT", card, {"if_match": "*"}),
        ("DELETE", "", {}),
        ("PROPPATCH", "", {}),
        ("MKCOL", "", {}),
    ]
    for path in alice_paths(alice, amara):
        for method, body, headers in requests:
            response = bob_dav(method, path, body, **headers)
            assert response.status_code == 404, (method, path, response.status_code)
            assert b"Amara" not in response.content
    # A path of nobody at all answers the same.
    nobody = bob_dav("PROPFIND", "/dav/nobody@example.com/", bodies.IOS_HOME_SET, depth="1")
    assert (nobody.status_code, nobody.content) == (
        bob_dav("PROPFIND", f"/dav/{alice.email}/", bodies.IOS_HOME_SET, depth="1").status_code,
        bob_dav("PROPFIND", f"/dav/{alice.email}/", bodies.IOS_HOME_SET, depth="1").content,
    )
    amara.refresh_from_db()
    assert (amara.name, amara.archived) == ("Amara Diallo", False)
    assert list(Card.objects.values_list("pk", "fingerprint", "seq")) == before
    assert not Contact.objects.filter(name="Hacked").exists()


def test_the_root_lists_only_the_callers_own_principal(bob_dav, alice):
    ContactFactory(owner=alice, name="Amara Diallo")
    response = bob_dav("PROPFIND", "/dav/", bodies.IOS_WELL_KNOWN, depth="1")
    assert response.status_code == 207
    assert b"bob%40example.com" in response.content
    assert b"alice" not in response.content


def test_a_path_is_read_as_radicale_reads_it(dav, alice, bob):
    ContactFactory(owner=bob, name="Bob's friend")
    ContactFactory(owner=alice, name="Amara Diallo")
    # The principal in another case is still hers.
    response = dav(
        "PROPFIND", "/dav/Alice@Example.COM/contacts/", bodies.VDIRSYNCER_LIST, depth="1"
    )
    assert response.status_code == 207
    assert b"/dav/alice%40example.com/contacts/" in response.content
    # Dot segments cannot climb into another account.
    for sneaky in (
        f"/dav/{alice.email}/../{bob.email}/contacts/",
        f"/dav/{alice.email}/contacts/../../{bob.email}/",
    ):
        response = dav("PROPFIND", sneaky, bodies.VDIRSYNCER_LIST, depth="1")
        assert response.status_code == 404, sneaky
        assert b"friend" not in response.content
