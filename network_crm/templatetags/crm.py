"""Template filters for friendly dates ("3 weeks ago", "in 5 days")."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


def _span(days: int) -> str:
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    if days < 730:
        months = round(days / 30.4)
        return f"{months} months"
    years = round(days / 365.25)
    return f"{years} years"


@register.filter
def days_ago(day: dt.date | None, today: dt.date) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago' — relative to the user's local today."""
    if day is None:
        return ""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return days_until(day, today)
    return f"{_span(days)} ago"


@register.filter
def days_until(day: dt.date | None, today: dt.date) -> str:
    """'today', 'tomorrow', 'in 5 days', or '3 days ago' for a past date."""
    if day is None:
        return ""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days < 0:
        return days_ago(day, today)
    return f"in {_span(days)}"


@register.filter
def age_on(important_date, day: dt.date) -> int | None:
    """How many years a dated event (a birth, a wedding) will be on ``day``."""
    return important_date.age_on(day)


@register.simple_tag(takes_context=True)
def render_section(context, section) -> str:
    """Render a page section (network_crm/sections.py) with the page's context plus its own."""
    template = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return template.render(context)
