"""The community's template filters: the quick date filters print what Django's date filter
prints, in the site's time zone (summer time included)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import engines

TIMES = [
    datetime(2026, 1, 5, 0, 0, tzinfo=UTC),  # a one-digit day, midnight, no microseconds
    datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),  # the hour before summer time
    datetime(2026, 3, 29, 1, 0, 1, tzinfo=UTC),  # the first second of it (02:00 in London)
    datetime(2026, 7, 14, 23, 30, 5, 123_456, tzinfo=UTC),  # the next day in London
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the hour that happens twice
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]


def _render(source: str, value: object) -> str:
    return engines["django"].from_string("{% load community %}" + source).render({"v": value})


@pytest.mark.parametrize("moment", TIMES)
def test_quick_date_filters_print_what_the_date_filter_prints(moment):
    assert _render("{{ v|iso_time }}", moment) == _render("{{ v|date:'c' }}", moment)
    assert _render("{{ v|day_and_time }}", moment) == _render('{{ v|date:"j M Y, H:i" }}', moment)
    assert _render("{{ v|day }}", moment) == _render('{{ v|date:"j M Y" }}', moment)


def test_summer_time_is_shown_as_london_time():
    assert _render("{{ v|day_and_time }}", TIMES[3]) == "15 Jul 2026, 00:30"
    assert _render("{{ v|iso_time }}", TIMES[3]) == "2026-07-15T00:30:05.123456+01:00"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_time_prints_nothing(empty):
    assert _render("{{ v|iso_time }}|{{ v|day_and_time }}|{{ v|day }}", empty) == "||"
