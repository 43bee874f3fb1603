"""Dates as the user writes them: the date formats a user can choose, and the one in force.

The pages are in English (there are no translations), so month and day names stay English and
a sentence reads in one language; what a locale changes is the order of day and month, how a
date is written in figures (03/12/2026, 12/3/2026, 03.12.2026, 2026-12-03) and the page's
``lang`` (English as written in that region: ``en-DE``).

The format in force is set per request (``accounts.middleware``: the user's setting, or the
browser's Accept-Language before sign-in) and per email (``override``), the way Django's
``timezone.activate`` works; templates format with the ``user_date`` filter
(``network_crm.templatetags.dates``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from asgiref.local import Local
from django.utils import dateformat, timezone

DEFAULT = "en-GB"
# A date every label shows, so the choices can be compared at a glance.
SAMPLE = dt.date(2026, 12, 3)


@dataclass(frozen=True)
class DateLocale:
    code: str
    name: str
    order: str  # "DMY", "MDY" or "ISO": the order of the written-out forms
    numeric: str  # the short form in figures, a Django date format
    numeric_day_month: str  # the same without a year (a birthday whose year is unknown)
    html_lang: str

    @property
    def label(self) -> str:
        return f"{self.name} · {format_date(SAMPLE, 'short', self)}"


LOCALES: dict[str, DateLocale] = {
    locale.code: locale
    for locale in [
        DateLocale("en-GB", "English (UK)", "DMY", "d/m/Y", "d/m", "en-GB"),
        DateLocale("en-US", "English (US)", "MDY", "n/j/Y", "n/j", "en-US"),
        DateLocale("de-DE", "Germany", "DMY", "d.m.Y", "d.m.", "en-DE"),
        DateLocale("fr-FR", "France", "DMY", "d/m/Y", "d/m", "en-FR"),
        DateLocale("es-ES", "Spain", "DMY", "d/m/Y", "d/m", "en-ES"),
        DateLocale("it-IT", "Italy", "DMY", "d/m/Y", "d/m", "en-IT"),
        DateLocale("nl-NL", "Netherlands", "DMY", "d-m-Y", "d-m", "en-NL"),
        DateLocale("pt-PT", "Portugal", "DMY", "d/m/Y", "d/m", "en-PT"),
        DateLocale("sv-SE", "Sweden", "DMY", "Y-m-d", "j/n", "en-SE"),
        DateLocale("iso", "ISO 8601", "ISO", "Y-m-d", "m-d", "en"),
    ]
}

# Named styles: the written-out ones by order of day and month; "short" is the locale's figures.
STYLES: dict[str, dict[str, str]] = {
    "long": {"DMY": "j F Y", "MDY": "F j, Y", "ISO": "Y-m-d"},
    "full": {"DMY": "l j F Y", "MDY": "l, F j, Y", "ISO": "l Y-m-d"},
    "weekday": {"DMY": "l j F", "MDY": "l, F j", "ISO": "l j F"},
    "day-month": {"DMY": "j F", "MDY": "F j", "ISO": "j F"},
    "medium": {"DMY": "j M Y", "MDY": "M j, Y", "ISO": "Y-m-d"},
    "medium-weekday": {"DMY": "D j M Y", "MDY": "D, M j, Y", "ISO": "D Y-m-d"},
    "short-weekday": {"DMY": "D j M", "MDY": "D, M j", "ISO": "D j M"},
    "day-month-short": {"DMY": "j M", "MDY": "M j", "ISO": "j M"},
}
# A date without a year (a birthday) is written with the year-less twin of the style asked for.
YEARLESS = {
    "long": "day-month",
    "full": "day-month",
    "weekday": "day-month",
    "medium": "day-month-short",
    "medium-weekday": "day-month-short",
    "short-weekday": "day-month-short",
}

# Languages whose regions write the year first, when the browser asks for none of ours.
YEAR_FIRST_LANGUAGES = {"ja", "zh", "ko", "hu", "lt", "mn"}

_active = Local()


def locale_for(code: str | None) -> DateLocale:
    return LOCALES.get(code or "", LOCALES[DEFAULT])


def activate(code: str | Callable[[], str]) -> None:
    """The format in force for this request or task: a code, or a function that gives it (read
    on first use, so a page that formats no date doesn't load the user's settings)."""
    _active.value = code


def deactivate() -> None:
    if hasattr(_active, "value"):
        del _active.value


def current() -> DateLocale:
    value = getattr(_active, "value", None)
    if callable(value):
        value = _active.value = value()
    return locale_for(value)


@contextlib.contextmanager
def override(code: str) -> Iterator[None]:
    previous = getattr(_active, "value", None)
    _active.value = code
    try:
        yield
    finally:
        if previous is None:
            deactivate()
        else:
            _active.value = previous


def format_date(value, style: str = "long", locale: DateLocale | None = None) -> str:
    """``value`` (a date, an aware datetime in the current time zone, or anything with ``day``,
    ``month`` and an optional ``year``, like a birthday) written in ``style``."""
    locale = locale or current()
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        if getattr(value, "year", None):
            value = dt.date(value.year, value.month, value.day)
        else:
            # 2000 is a leap year: a 29 February birthday stays the 29th.
            day = dt.date(2000, value.month, value.day)
            if style in ("short", "iso"):
                return dateformat.format(day, locale.numeric_day_month)
            style = YEARLESS.get(style, style)
            return dateformat.format(day, STYLES.get(style, STYLES["day-month"])[locale.order])
    if style == "iso":
        return value.isoformat()
    if style == "short":
        return dateformat.format(value, locale.numeric)
    return dateformat.format(value, STYLES.get(style, STYLES["long"])[locale.order])


def _language_tags(header: str) -> list[str]:
    """The tags of an Accept-Language header, most wanted first (q=0 means "not this")."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


def locale_from_accept_language(header: str | None) -> str:
    """Our nearest date format for a browser's Accept-Language: the exact region, else the
    language (de-AT → de-DE, pt-BR → pt-PT), else en-GB. English without a region, or any
    English outside the US, is en-GB: the US order only for someone who asks for en-US."""
    by_language = {code.split("-")[0].lower(): code for code in LOCALES if code != "iso"}
    by_language["en"] = DEFAULT
    exact = {code.lower(): code for code in LOCALES}
    for tag in _language_tags(header or ""):
        if tag in exact:
            return exact[tag]
        language = tag.split("-")[0]
        if language in by_language:
            return by_language[language]
        if language in YEAR_FIRST_LANGUAGES:
            return "iso"
    return DEFAULT


# The setting's choices, each with the sample date written its way.
CHOICES = [(code, locale.label) for code, locale in LOCALES.items()]
