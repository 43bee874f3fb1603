"""URLs reversed once per process, then formatted (issue 21, bench/NOTES.md).

Django's ``reverse`` (and ``{% url %}``) costs ~0.15 ms; a list page links a dozen actions per
row. ``url_to`` reverses each pattern once per script prefix and URLconf, with marker ids, and
formats the real ids in afterwards.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def url_to(viewname: str, *ids: int) -> str:
    """``reverse(viewname, args=ids)`` for integer ids, the pattern reversed once per process
    (and script prefix): a person's page links a dozen actions and each row of its lists, and a
    ``{% url %}`` costs ~0.15 ms to render (issue 21)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _url_pattern(viewname, len(ids), get_script_prefix(), urlconf).format(*map(int, ids))


@functools.lru_cache(maxsize=256)
def _url_pattern(viewname: str, arity: int, script_prefix: str, urlconf: str) -> str:
    markers = [str(987654321 + n) for n in range(arity)]
    url = reverse(viewname, args=markers, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for n, marker in enumerate(markers):
        url = url.replace(marker, "{" + str(n) + "}")
    return url
