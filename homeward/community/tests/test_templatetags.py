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


@pytest.mark.parametrize("moment", TIMES)
def test_jinja_fragments_print_the_same_dates_as_django_templates(moment):
    """core/jinja2.py's filters turn the time into the site's zone as Django's do."""
    jinja = engines["jinja2"].from_string("{{ v|iso_time }}|{{ v|day_and_time }}|{{ v|day }}")
    django = "{{ v|iso_time }}|{{ v|day_and_time }}|{{ v|day }}"
    assert jinja.render({"v": moment}) == _render(django, moment)


NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("then", "said"),
    [
        (datetime(2026, 12, 6, 12, 0, tzinfo=UTC), "a moment"),
        (datetime(2026, 12, 6, 12, 5, tzinfo=UTC), "a moment"),  # a clock a little ahead
        (datetime(2026, 12, 6, 11, 59, 0, tzinfo=UTC), "1 minute"),
        (datetime(2026, 12, 6, 11, 1, tzinfo=UTC), "59 minutes"),
        (datetime(2026, 12, 6, 10, 0, tzinfo=UTC), "2 hours"),
        (datetime(2026, 12, 5, 11, 0, tzinfo=UTC), "1 day"),
        (datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "2 weeks"),
        (datetime(2026, 9, 1, 12, 0, tzinfo=UTC), "3 months"),
        (datetime(2024, 12, 1, 12, 0, tzinfo=UTC), "2 years"),
    ],
)
def test_since_says_the_largest_whole_unit(then, said):
    from homeward.core.jinja2 import since

    assert since(then, NOW) == said
    assert since(None, NOW) == ""
