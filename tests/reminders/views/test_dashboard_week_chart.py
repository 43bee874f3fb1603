"""The dashboard's weekly chart: bars over a labelled count scale, months along the bottom, and a
table with exactly the figures the bars draw."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import dateformat

from network_crm import dates
from reminders import selectors
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # FROZEN_NOW, a Saturday
FIRST_MONDAY = dt.date(2025, 12, 1)  # 51 weeks before the Monday of TODAY's week
DASHBOARD = reverse("dashboard")
HTMX = {"HX-Request": "true"}


def on(owner, day: dt.date, contact, count: int = 1) -> None:
    for _ in range(count):
        InteractionFactory(
            owner=owner,
            contacts=[contact],
            occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        )


def health(client) -> str:
    return client.get(DASHBOARD, {"section": "health-section"}, headers=HTMX).content.decode()


def chart_of(html: str) -> str:
    return html.split('<svg class="week-chart"')[1].split("</svg>")[0]


def bars_of(html: str) -> list[tuple[str, int, int]]:
    """(week as titled, count, height) of each bar, left to right."""
    return [
        (week, int(count), int(height))
        for height, week, count in re.findall(
            r'<rect [^>]*height="(\d+)"><title>Week of ([^:]+): (\d+)</title>', chart_of(html)
        )
    ]


def table_of(html: str) -> list[tuple[str, int]]:
    table = html.split('<table class="week-table">')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        (week, int(count))
        for week, count in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', body)
    ]


@pytest.fixture
def a_year(alice, frozen_now):
    amara = ContactFactory(owner=alice)
    for index in range(52):
        on(alice, FIRST_MONDAY + dt.timedelta(weeks=index), amara, count=index % 4)
    on(alice, dt.date(2026, 6, 17), amara, count=26)  # the week of 15 June (28 % 4 == 0)


def test_the_table_holds_exactly_what_the_bars_draw(alice_client, alice, a_year):
    html = health(alice_client)
    bars = bars_of(html)
    table = table_of(html)
    weeks = selectors.weekly_activity(owner=alice, today=TODAY)
    assert len(bars) == len(table) == len(weeks) == 52
    assert [count for _, count, _ in bars] == [count for _, count in table]
    assert [count for _, count in table] == [week.count for week in weeks]
    assert table[0] == ("1 Dec 2025", 0) and table[-1] == ("23 Nov 2026", 3)
    assert ("15 Jun 2026", 26) in table
    assert [week for week, _ in table] == [f"{w.starts_on:%-d %b %Y}" for w in weeks]
    # Headers say what the columns are; the table is folded until asked for.
    assert '<th scope="col">Week of</th><th scope="col">Interactions</th>' in html
    assert '<details class="chart-table">' in html and "<summary>" in html


def test_the_count_scale_is_labelled_in_round_numbers_up_to_the_busiest_week(
    alice_client, alice, a_year
):
    chart = chart_of(health(alice_client))
    scale = chart.split('<g class="chart-scale">')[1].split("</g>")[0]
    ticks = re.findall(r'<line [^>]*y1="(\d+)"[^>]*></line><text [^>]*>(\d+)</text>', scale)
    assert [value for _, value in ticks] == ["0", "10", "20", "30"]
    bottom, top = int(ticks[0][0]), int(ticks[-1][0])
    assert bottom - top == 60
    # Bars are drawn on that scale: 26 reaches 26/30 of the way up, a week of 1 one twentieth.
    heights = {count: height for _, count, height in bars_of(health(alice_client))}
    assert heights[26] == 52 and heights[3] == 6 and heights[1] == 2 and heights[0] == 0


def test_months_are_named_under_their_first_week(alice_client, alice, a_year):
    chart = chart_of(health(alice_client))
    months = chart.split('<g class="chart-months">')[1].split("</g>")[0]
    labels = re.findall(r'<text x="(\d+)"[^>]*>(\w+)</text>', months)
    assert [name for _, name in labels] == [
        "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    ]  # fmt: skip
    bar_x = [int(x) for x in re.findall(r'<rect x="(\d+)"', chart)]
    # December starts on the first bar (Monday 1 December); June under the week of 1 June.
    assert int(labels[0][0]) == bar_x[0]
    june = FIRST_MONDAY + dt.timedelta(weeks=26)
    assert june == dt.date(2026, 6, 1)
    assert int(labels[6][0]) == bar_x[26]
    assert "style=" not in chart


def test_an_empty_year_still_has_its_axes_and_an_all_zero_table(alice_client, alice, frozen_now):
    ContactFactory(owner=alice)
    html = health(alice_client)
    assert [count for _, count in table_of(html)] == [0] * 52
    assert all(height == 0 for _, _, height in bars_of(html))
    assert re.search(r"<text [^>]*>0</text>", chart_of(html))
    assert "Jan</text>" in chart_of(html)


def test_another_users_interactions_are_not_in_the_chart(alice_client, alice, bob, frozen_now):
    on(bob, dt.date(2026, 6, 15), ContactFactory(owner=bob), count=5)
    on(alice, dt.date(2026, 6, 16), ContactFactory(owner=alice), count=2)
    table = dict(table_of(health(alice_client)))
    assert table["15 Jun 2026"] == 2 and sum(table.values()) == 2


@pytest.mark.parametrize(
    ("peak", "step"),
    [(1, 1), (4, 1), (5, 2), (8, 2), (9, 5), (20, 5), (21, 10), (75, 20), (400, 100), (401, 200)],
)
def test_scale_steps_are_round(peak, step):
    assert selectors.scale_step(peak) == step


@pytest.mark.parametrize("code", list(dates.LOCALES))
@pytest.mark.parametrize(
    "style",
    [*dates.STYLES, "short", "iso", "M", "D, d.m.y"],  # the last: one not written here
)
def test_the_chart_writes_dates_exactly_as_user_date_does(code, style):
    with dates.override(code):
        write = selectors.date_writer(style)
        for offset in range(0, 800, 3):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=offset)
            expected = (
                dates.format_date(day, style)
                if style in (*dates.STYLES, "short", "iso")
                else dateformat.format(day, style)
            )
            assert write(day) == expected, (code, style, day)
