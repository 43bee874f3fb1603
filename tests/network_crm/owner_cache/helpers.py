from __future__ import annotations

from django.test import Client

from network_crm.owner_cache import HEADER


def fetch(client: Client, url: str, **headers) -> tuple[str, str]:
    """The page's HTML and whether it came from the cache ("hit", "miss" or "")."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), response.headers.get(HEADER, "")


def warm(client: Client, url: str, **headers) -> str:
    """Fetch twice: the second answer comes from the cache."""
    _, first = fetch(client, url, **headers)
    html, second = fetch(client, url, **headers)
    assert (first, second) == ("miss", "hit")
    return html
