"""What Settings → "Sync with your phone" shows and saves: the addresses a device needs, the
sync settings (DavSettings), the QR code and the Apple configuration profile.

The profile and the QR code carry the new app password only on the page shown right after it is
made (dav/settings_views.py): the password is never kept in clear, so a later download is the
same profile without it, and iOS asks for the password when it is installed."""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

from accounts.models import AppPassword, User
from dav.models import DavSettings
from dav.sync import addressbook_invalidate

# The DAV server's mount point and its collections (docs/architecture.md, "Sync with phones").
DAV_PATH = "/dav/"
PROFILE_CONTENT_TYPE = "application/x-apple-aspen-config"
QR_LABEL = "QR code for DAVx5 on Android: the server address, your user name and the password"


@dataclass(frozen=True)
class Server:
    """Where a device syncs: the base URL, and the parts Apple's profile asks for one by one."""

    url: str
    host: str
    port: int
    use_ssl: bool

    @property
    def well_known(self) -> str:
        """The root to type into clients that discover the rest (RFC 6764)."""
        return f"{'https' if self.use_ssl else 'http'}://{self._netloc}/"

    @property
    def _netloc(self) -> str:
        default = 443 if self.use_ssl else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def dav_server() -> Server:
    """The DAV server's address from SITE_URL (what people already reach the app by)."""
    parts = urlsplit(settings.SITE_URL)
    use_ssl = parts.scheme == "https"
    port = parts.port or (443 if use_ssl else 80)
    host = parts.hostname or "localhost"
    base = parts.path.rstrip("/")
    netloc = host if port == (443 if use_ssl else 80) else f"{host}:{port}"
    return Server(
        url=f"{parts.scheme}://{netloc}{base}{DAV_PATH}", host=host, port=port, use_ssl=use_ssl
    )


def principal_path(*, owner: User) -> str:
    return f"{urlsplit(dav_server().url).path}{quote(owner.email, safe='@')}/"


def dav_settings_for(*, owner: User) -> DavSettings:
    """The owner's sync settings (made with the defaults the first time)."""
    dav_settings, _ = DavSettings.objects.get_or_create(owner=owner)
    return dav_settings


@transaction.atomic
def dav_settings_update(*, dav_settings: DavSettings, circles) -> DavSettings:
    """Save the settings edited by the form. When which people sync changes, the address book
    is rebuilt on the next sync (dav.sync.addressbook_invalidate): leavers become deletions on
    the phone, newcomers arrive."""
    before = DavSettings.objects.get(pk=dav_settings.pk) if dav_settings.pk else None
    old_circles = set(before.circles.values_list("pk", flat=True)) if before else set()
    dav_settings.save()
    dav_settings.circles.set(circles)
    new_circles = {circle.pk for circle in circles}
    who_changed = (
        before is None
        or before.sync_everyone != dav_settings.sync_everyone
        or (not dav_settings.sync_everyone and old_circles != new_circles)
    )
    if who_changed:
        addressbook_invalidate(owner=dav_settings.owner)
    return dav_settings


def davx5_url(*, owner: User, password: str = "") -> str:
    """The carddav(s):// address DAVx5 opens with the server, user name (and password) filled
    in (DAVx5 manual, "Integration"); other CardDAV apps on Android answer it too."""
    server = dav_server()
    parts = urlsplit(server.url)
    user = quote(owner.email, safe="")
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    scheme = "carddavs" if server.use_ssl else "carddav"
    return f"{scheme}://{credentials}@{parts.netloc}{parts.path}"


def qr_code_svg(text: str) -> SafeString:
    """``text`` as an inline SVG QR code, made here (no image request, fits the CSP), sized
    like the two-factor page's (accounts/views.py)."""
    qr = segno.make(text, error="m")
    svg = qr.svg_inline(
        omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff"
    )
    width, height = qr.symbol_size(scale=4)
    attributes = f'width="{width}" height="{height}" role="img" aria-label="{QR_LABEL}"'
    return mark_safe(svg.replace("<svg ", f"<svg {attributes} ", 1))  # noqa: S308 — segno's SVG


def mobileconfig(*, app_password: AppPassword, password: str = "") -> bytes:
    """An Apple configuration profile with a Contacts (CardDAV) and a Calendar (CalDAV) account
    for this device. The UUIDs come from the app password, so installing it again replaces the
    same accounts instead of adding a second pair."""
    owner = app_password.owner
    server = dav_server()
    principal = principal_path(owner=owner)
    identifier = "crm.network." + (
        "-".join(reversed(server.host.split("."))) if server.host else "local"
    )
    seed = f"{server.url}|{owner.pk}|{app_password.prefix}"

    def payload(kind: str, prefix: str, description: str) -> dict:
        content = {
            f"{prefix}AccountDescription": description,
            f"{prefix}HostName": server.host,
            f"{prefix}Port": server.port,
            f"{prefix}PrincipalURL": principal,
            f"{prefix}UseSSL": server.use_ssl,
            f"{prefix}Username": owner.email,
            "PayloadType": f"com.apple.{kind}.account",
            "PayloadIdentifier": f"{identifier}.{app_password.prefix}.{kind}",
            "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}|{kind}")).upper(),
            "PayloadVersion": 1,
            "PayloadDisplayName": description,
            "PayloadDescription": f"{description} ({owner.email})",
            "PayloadOrganization": "network-crm",
        }
        if password:
            content[f"{prefix}Password"] = password
        return content

    profile = {
        "PayloadContent": [
            payload("carddav", "CardDAV", "network-crm contacts"),
            payload("caldav", "CalDAV", "network-crm calendar"),
        ],
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.{app_password.prefix}",
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, seed)).upper(),
        "PayloadDisplayName": f"network-crm sync ({app_password.name})",
        "PayloadDescription": (
            "Syncs your people (Contacts) and your birthdays, dates and reminders (Calendar) "
            f"with network-crm at {server.host}."
        ),
        "PayloadOrganization": "network-crm",
        "PayloadRemovalDisallowed": False,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML)
