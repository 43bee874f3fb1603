"""The installable app's shell over HTTP: the manifest Chromium reads before it offers "Install",
the service worker's script and headers, its version following the files it hands out, and the
offline page that names nobody."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpRequest
from django.test import override_settings
from PIL import Image, ImageChops

from pwa import shell

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def css_variable(name: str) -> str:
    css = (STATIC_DIR / "css" / "app.css").read_text()
    return re.search(rf"{name}:\s*(#[0-9a-f]{{6}})", css)[1]


@pytest.mark.django_db
def test_the_manifest_describes_an_installable_app_to_anyone(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "network-crm"
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    # The title bar and splash screen in the pages' own colours.
    assert manifest["theme_color"] == css_variable("--accent") == "#b4532a"
    assert manifest["background_color"] == css_variable("--bg") == "#f7f3ee"
    assert manifest["share_target"] == {
        "action": "/share/",
        "method": "GET",
        "enctype": "application/x-www-form-urlencoded",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


@pytest.mark.django_db
def test_the_manifest_icons_are_pngs_of_the_sizes_they_claim(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]

    purposes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["src"].startswith(settings.STATIC_URL) or icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
            # A maskable icon is opaque to the edges (a phone crops it to its own shape).
            if icon["purpose"] == "maskable":
                assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_the_committed_icons_are_what_the_script_draws(tmp_path):
    # The icons are made by scripts/make_pwa_icons.py: an edit to one without the script (or
    # the other way round) shows here. Compared by pixels: PNG bytes vary with zlib.
    script = Path(settings.BASE_DIR) / "scripts" / "make_pwa_icons.py"
    namespace = runpy.run_path(str(script), run_name="make_pwa_icons")
    namespace["main"](tmp_path)

    for name in namespace["ICONS"]:
        with Image.open(tmp_path / name) as drawn, Image.open(STATIC_DIR / "icons" / name) as kept:
            assert drawn.size == kept.size, name
            difference = ImageChops.difference(drawn.convert("RGBA"), kept.convert("RGBA"))
            assert max(high for _low, high in difference.getextrema()) <= 2, name


@pytest.mark.django_db
def test_the_worker_is_served_from_the_root_never_stale(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    # The worker runs under the site's strict policy: scripts from here only, no eval.
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert "'self'" in script_src
    assert "unsafe-eval" not in policy and "unsafe-inline" not in script_src


@pytest.mark.django_db
def test_the_worker_precaches_the_shell_and_the_offline_page(client):
    body = client.get("/sw.js").content.decode()

    config = shell.worker_context()
    assert f'"version": "{config["version"]}"' in body
    for url in [
        "/static/css/app.css",
        "/static/js/pwa.js",
        "/static/js/offline-log.js",
        "/offline/",
    ]:
        assert f'"{url}"' in body
    # Everything it precaches exists (a missing file would fail the install).
    for path in shell.SHELL_STATIC:
        assert finders.find(path), path
    assert client.get("/offline/").status_code == 200


@pytest.mark.django_db
def test_a_deploy_that_changes_a_shell_file_changes_the_worker(client, static_copy):
    before = client.get("/sw.js").content
    assert client.get("/sw.js").content == before  # same files, same bytes: no reinstall

    css = static_copy / "css" / "app.css"
    css.write_text(css.read_text() + "\n.new-rule { color: red; }\n")
    after = client.get("/sw.js").content

    assert after != before
    version = re.compile(rb'"version": "(\w+)"')
    assert version.search(after)[1] != version.search(before)[1]


@pytest.mark.django_db
def test_the_worker_imports_the_push_handlers_once_they_exist(client, static_copy):
    assert b"importScripts(" in client.get("/sw.js").content  # the call, guarded
    assert b'"push_script": ""' in client.get("/sw.js").content

    (static_copy / "js" / "sw-push.js").write_text("self.addEventListener('push', () => {});\n")
    body = client.get("/sw.js").content.decode()

    assert '"push_script": "/static/js/sw-push.js"' in body


def waiting_message(client, text: str) -> None:
    """A message waiting for the next page, as a redirect after an action leaves it."""
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode([Message(messages.SUCCESS, text)])


@pytest.mark.django_db
def test_the_offline_page_names_nobody_and_leaves_messages_waiting(alice_client):
    # The worker fetches /offline/ while someone is signed in, and shows it to whoever comes next.
    waiting_message(alice_client, "Coffee with Ana logged")

    response = alice_client.get("/offline/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "You're offline" in html
    assert "Alice" not in html and "alice@example.com" not in html
    assert "Log out" not in html
    assert "Coffee with Ana logged" not in html
    assert 'href="/"' in html  # today's list, as last loaded
    # The message is still there for the page the person sees next.
    assert "Coffee with Ana logged" in alice_client.get("/").content.decode()


@pytest.mark.django_db
def test_the_offline_page_never_sends_a_csrf_cookie(alice_client, client):
    # The precache can set out before a sign-in and land after it: a cookie in its answer would
    # put back the token the sign-in replaced, and the next form would be refused.
    alice_client.get("/")
    before = alice_client.cookies["csrftoken"].value

    for visitor in (alice_client, client):
        response = visitor.get("/offline/")
        assert response.status_code == 200
        assert "csrftoken" not in response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "X-CSRFToken" not in response.content.decode()
    assert alice_client.cookies["csrftoken"].value == before
    # Every other page still carries the token htmx sends with its requests.
    assert "X-CSRFToken" in alice_client.get("/").content.decode()


@pytest.mark.django_db
def test_after_collectstatic_the_shell_names_the_hashed_files(client, tmp_path):
    # As a deploy serves it (DEBUG off, WhiteNoise's manifest storage): a URL the storage has no
    # entry for would be a 500 here and nowhere in development.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path / "collected", STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = client.get("/sw.js")
        manifest = client.get("/manifest.webmanifest")
        offline = client.get("/offline/")

    assert worker.status_code == manifest.status_code == offline.status_code == 200
    body = worker.content.decode()
    assert re.search(r'"/static/css/app\.[0-9a-f]{12}\.css"', body)
    assert '"static_prefix": "/static/"' in body
    icon = manifest.json()["icons"][0]["src"]
    assert re.fullmatch(r"/static/icons/icon-192\.[0-9a-f]{12}\.png", icon)
