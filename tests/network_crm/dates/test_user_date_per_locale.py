"""Dates as the user writes them: every named style in each kind of locale, year-less birthdays,
datetimes in the current zone, the active locale per request/email, and the browser's guess."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from contacts.models import ImportantDate
from network_crm import dates

THU = dt.date(2026, 12, 3)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("locale", "style", "expected"),
    [
        ("en-GB", "long", "3 December 2026"),
        ("en-US", "long", "December 3, 2026"),
        ("iso", "long", "2026-12-03"),
        ("en-GB", "full", "Thursday 3 December 2026"),
        ("en-US", "full", "Thursday, December 3, 2026"),
        ("en-GB", "weekday", "Thursday 3 December"),
        ("en-US", "weekday", "Thursday, December 3"),
        ("en-GB", "day-month", "3 December"),
        ("en-US", "day-month", "December 3"),
        ("en-GB", "medium", "3 Dec 2026"),
        ("en-US", "medium", "Dec 3, 2026"),
        ("en-GB", "medium-weekday", "Thu 3 Dec 2026"),
        ("en-US", "medium-weekday", "Thu, Dec 3, 2026"),
        ("iso", "medium-weekday", "Thu 2026-12-03"),
        ("en-GB", "short-weekday", "Thu 3 Dec"),
        ("en-US", "short-weekday", "Thu, Dec 3"),
        ("en-GB", "day-month-short", "3 Dec"),
        ("en-US", "day-month-short", "Dec 3"),
        ("en-GB", "short", "03/12/2026"),
        ("en-US", "short", "12/3/2026"),
        ("de-DE", "short", "03.12.2026"),
        ("fr-FR", "short", "03/12/2026"),
        ("nl-NL", "short", "03-12-2026"),
        ("sv-SE", "short", "2026-12-03"),
        ("iso", "short", "2026-12-03"),
        ("de-DE", "long", "3 December 2026"),  # English pages: English month names
        ("en-US", "iso", "2026-12-03"),
    ],
)
def test_each_style_is_written_the_locale_s_way(locale, style, expected):
    with dates.override(locale):
        assert render("{{ day|user_date:style }}", day=THU, style=style) == expected


def test_the_filter_defaults_to_the_long_style_and_en_gb_outside_a_request():
    assert render("{{ day|user_date }}", day=THU) == "3 December 2026"
    assert render("{{ day|user_date }}", day=None) == ""


@pytest.mark.parametrize(
    ("locale", "style", "expected"),
    [
        ("en-GB", "long", "29 February"),
        ("en-US", "long", "February 29"),
        ("iso", "long", "29 February"),
        ("en-GB", "medium", "29 Feb"),
        ("en-US", "weekday", "February 29"),  # no year, so no weekday to name
        ("en-GB", "short", "29/02"),
        ("en-US", "short", "2/29"),
        ("de-DE", "short", "29.02."),
    ],
)
def test_a_birthday_without_a_year_is_written_without_one(locale, style, expected):
    birthday = ImportantDate(month=2, day=29, year=None)
    with dates.override(locale):
        assert render("{{ date|user_date:style }}", date=birthday, style=style) == expected


def test_a_birthday_with_a_year_is_a_whole_date():
    birthday = ImportantDate(month=7, day=14, year=1988)
    with dates.override("en-US"):
        assert render('{{ date|user_date:"long" }}', date=birthday) == "July 14, 1988"


def test_an_aware_datetime_is_written_as_its_day_in_the_current_zone():
    late = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert dates.format_date(late, "medium") == "4 Dec 2026"


def test_override_restores_the_locale_before_it():
    dates.activate(lambda: "en-US")
    try:
        with dates.override("iso"):
            assert dates.current().code == "iso"
        assert dates.current().code == "en-US"
    finally:
        dates.deactivate()
    assert dates.current().code == "en-GB"


def test_the_active_locale_is_read_once_and_only_when_a_date_is_written():
    calls = []

    def read():
        calls.append(1)
        return "de-DE"

    dates.activate(read)
    try:
        assert calls == []
        assert dates.current().html_lang == "en-DE"
        assert dates.format_date(THU, "short") == "03.12.2026"
        assert calls == [1]
    finally:
        dates.deactivate()


def test_an_unknown_code_falls_back_to_en_gb():
    assert dates.locale_for("xx-YY").code == "en-GB"
    assert dates.locale_for("").code == "en-GB"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "en-US"),
        ("en-GB,en;q=0.9", "en-GB"),
        ("en", "en-GB"),  # English without a region: never the US order by accident
        ("en-AU,en;q=0.8", "en-GB"),
        ("de-AT,de;q=0.9,en;q=0.5", "de-DE"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr-FR"),
        ("pt-BR", "pt-PT"),
        ("sv", "sv-SE"),
        ("nl-NL", "nl-NL"),
        ("ja-JP,ja;q=0.9", "iso"),
        ("en-US;q=0.4, de-DE;q=0.8", "de-DE"),  # by quality, not position
        ("de;q=0, en-US", "en-US"),  # q=0: "not this"
        ("xx-YY, tlh", "en-GB"),
        ("", "en-GB"),
        (None, "en-GB"),
        ("*", "en-GB"),
        ("en-US;q=abc", "en-GB"),
    ],
)
def test_the_browser_s_accept_language_picks_the_nearest_format(header, expected):
    assert dates.locale_from_accept_language(header) == expected


def test_each_choice_shows_its_own_figures():
    labels = dict(dates.CHOICES)
    assert labels["en-US"] == "English (US) · 12/3/2026"
    assert labels["de-DE"] == "Germany · 03.12.2026"
