"""The installable app's shell: the web app manifest, what the service worker precaches, and the
version that makes a deploy replace the worker (docs/architecture.md, "The installable app")."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse

# From static/css/app.css (--accent, --bg): the title bar and the splash screen match the pages.
THEME_COLOR = "#b4532a"
BACKGROUND_COLOR = "#f7f3ee"

ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/maskable-192.png", "192x192", "maskable"),
    ("icons/maskable-512.png", "512x512", "maskable"),
]
# What a page needs to draw itself offline: base.html's styles and scripts, the icons. The
# push handlers (js/sw-push.js) are imported by the worker itself, not precached.
SHELL_STATIC = [
    "css/app.css",
    "js/app.js",
    "js/pwa.js",
    "js/offline-log.js",
    "django_htmx/htmx-2.min.js",
    "favicon.svg",
    *(path for path, _size, _purpose in ICONS),
]
PUSH_SCRIPT = "js/sw-push.js"
SW_TEMPLATE = "pwa/sw.js"
OFFLINE_TEMPLATE = "pwa/offline.html"


def manifest() -> dict:
    """The web app manifest (https://www.w3.org/TR/appmanifest/): what Chromium checks before it
    offers "Install", and what a phone shows on the home screen and the splash screen."""
    return {
        "id": "/",
        "name": "network-crm",
        "short_name": "network-crm",
        "description": "Your notebook about the people you care about: who to reach out to today.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["productivity", "social"],
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
        "shortcuts": [
            {"name": "Today", "url": "/"},
            {"name": "Add a person", "url": reverse("contacts:create")},
        ],
        # Sharing a link to the installed app opens /share/ (pwa/share_urls.py) with these fields.
        "share_target": {
            "action": "/share/",
            "method": "GET",
            # The default for GET; Chromium's manifest parser warns when it is left out.
            "enctype": "application/x-www-form-urlencoded",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }


def _push_script_exists() -> bool:
    return finders.find(PUSH_SCRIPT) is not None


def _file_digest(path: str | Path | None) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest() if path else b"-"


def _compute_version() -> str:
    """A short hash of every file the worker hands out or imports and of its own template, so
    a deploy that changes any of them changes sw.js byte for byte: the browser then installs the
    new worker, which precaches afresh and drops the old caches."""
    digest = hashlib.sha256()
    for path in [*SHELL_STATIC, PUSH_SCRIPT]:
        # The hashed URL (ManifestStaticFilesStorage) and the content: either changes on a deploy.
        digest.update(path.encode() + _file_digest(finders.find(path)))
    for name in (SW_TEMPLATE, OFFLINE_TEMPLATE, "base.html"):
        digest.update(_file_digest(get_template(name).origin.name))
    return digest.hexdigest()[:16]


@functools.cache
def _cached_version() -> str:
    return _compute_version()


def shell_version() -> str:
    """The worker's version; computed once per process, except in development (DEBUG), where a
    file edited under runserver shows on the next load."""
    return _compute_version() if settings.DEBUG else _cached_version()


def worker_context() -> dict:
    """What templates/pwa/sw.js is rendered with."""
    return {
        "version": shell_version(),
        "precache": [
            *(static(path) for path in SHELL_STATIC),
            reverse("pwa:offline"),
            reverse("pwa:manifest"),
        ],
        "manifest_url": reverse("pwa:manifest"),
        "offline_url": reverse("pwa:offline"),
        "dashboard_url": reverse("dashboard"),
        "logout_url": reverse("logout"),
        "login_url": reverse("login"),
        # Not static(""): the manifest storage of a deploy has no entry for "" (500).
        "static_prefix": settings.STATIC_URL,
        "push_script": static(PUSH_SCRIPT) if _push_script_exists() else "",
    }
