"""Dates in the user's format: ``{{ day|user_date:"long" }}`` and ``<html lang="{% html_lang %}">``.

Styles (network_crm/dates.py): long "3 December 2026", full "Thursday 3 December 2026", weekday
"Thursday 3 December", day-month "3 December", medium "3 Dec 2026", medium-weekday
"Thu 3 Dec 2026", short-weekday "Thu 3 Dec", day-month-short "3 Dec", short "03/12/2026" and
iso "2026-12-03", each in the order and figures of the user's setting. A birthday without a year
is written without one.
"""

from __future__ import annotations

from django import template

from network_crm import dates

register = template.Library()


@register.filter
def user_date(value, style: str = "long") -> str:
    return dates.format_date(value, style)


@register.simple_tag
def html_lang() -> str:
    return dates.current().html_lang
