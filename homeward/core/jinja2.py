"""The Jinja2 environment for the few fragments that repeat many times on a busy page (a topic's
messages, a category's conversations): Django's template language costs about a microsecond per
variable looked up, and a page of 20 messages looks up over a thousand. Jinja2 compiles a
template to Python once per process, so the same fragment renders several times faster.

Pages themselves stay in Django's template language; a view renders a fragment with
`render_fragment` and hands the page the finished, escaped HTML. Autoescaping is on, Django's
safe strings (format_html, mark_safe) pass through unescaped as they do in Django templates,
and an undefined name is an error, not a blank."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import engines
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context

# Filters apps add from their AppConfig.ready() (`register_filters`), so core imports no app.
_filters: dict[str, Callable[..., Any]] = {}


def register_filters(**filters: Callable[..., Any]) -> None:
    """Make these functions filters of every fragment."""
    _filters.update(filters)


def environment(**options: Any) -> Environment:
    """Settings' TEMPLATES entry for Jinja2 points here (OPTIONS["environment"])."""
    options["undefined"] = StrictUndefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals["url"] = _url
    env.filters["date"] = _in_local_time(date_filter)
    env.filters.update(iso_time=_iso_time, day_and_time=_day_and_time, day=_day, since=since)
    env.filters.update(_filters)
    return env


def _in_local_time(function: Callable[..., Any]) -> Callable[..., Any]:
    def local(value: Any, *args: Any) -> Any:
        return function(_local(value), *args)

    return local


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _local(value: Any) -> Any:
    return timezone.localtime(value) if value is not None and timezone.is_aware(value) else value


# Moments as pages print them: in the site's time zone, the month's short name as translated.
# Django pages have the same formats as community's template filters (iso_time, day_and_time,
# day), which call these. A list prints two for each row, and asking which time zone and
# language are active costs more than the formatting (about 5 microseconds each time), so a
# fragment asks once (render_fragment) and its filters read the answer from the context.
_ZONE, _MONTHS = "_time_zone", "_month_names"


def iso_time(value: datetime) -> str:
    """As date:'c', e.g. "2026-03-05T14:07:00+00:00", for <time datetime="...">."""
    return value.isoformat()


def day(value: datetime, months: Sequence[str]) -> str:
    """As date:"j M Y", e.g. "5 Mar 2026"."""
    return f"{value.day} {months[value.month]} {value.year:04d}"


def day_and_time(value: datetime, months: Sequence[str]) -> str:
    """As date:"j M Y, H:i", e.g. "5 Mar 2026, 14:07"."""
    return f"{day(value, months)}, {value.hour:02d}:{value.minute:02d}"


# The largest whole unit of a time gone by, after Discourse's short relative times: lists print
# it for every row, and Django's timesince (two units, each translated) was half a category
# page's list.
_SINCE: tuple[tuple[int, str], ...] = ((365 * 86400, "year"), (30 * 86400, "month"))
_SINCE += ((7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute"))


def since(value: Any, now: datetime | None = None) -> str:
    """How long ago, in its largest whole unit: "5 minutes", "3 days", "2 years" ("a moment"
    under a minute, or for a time to come)."""
    if not isinstance(value, datetime):
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    for size, unit in _SINCE:
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "a moment"


@cache
def _months_in(language: str) -> tuple[str, ...]:
    with translation.override(language):
        return ("", *(str(MONTHS_3[n]).title() for n in range(1, 13)))


def month_names() -> tuple[str, ...]:
    """The months' short names in the active language, indexed from 1."""
    return _months_in(translation.get_language() or settings.LANGUAGE_CODE)


def _moment(context: Context, value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    if timezone.is_naive(value):
        return value
    return value.astimezone(context.get(_ZONE) or timezone.get_current_timezone())


def _months(context: Context) -> Sequence[str]:
    return context.get(_MONTHS) or month_names()


@pass_context
def _iso_time(context: Context, value: Any) -> str:
    moment = _moment(context, value)
    return "" if moment is None else iso_time(moment)


@pass_context
def _day(context: Context, value: Any) -> str:
    moment = _moment(context, value)
    return "" if moment is None else day(moment, _months(context))


@pass_context
def _day_and_time(context: Context, value: Any) -> str:
    moment = _moment(context, value)
    return "" if moment is None else day_and_time(moment, _months(context))


def render_fragment(
    name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> SafeString:
    """A Jinja2 fragment (under an app's jinja2/ folder) rendered to HTML for a page to include
    as it is: the environment escaped every value, so the result is marked safe. With a
    request, `csrf` is the hidden CSRF field for the fragment's forms."""
    template = engines["jinja2"].get_template(name)
    context = {**context, _ZONE: timezone.get_current_timezone(), _MONTHS: month_names()}
    if request is not None:
        # Django's backend adds csrf_input as a lazy value that masks the token afresh each
        # time it is printed (three forms a message: 60 maskings a page); once is enough.
        context["csrf"] = csrf_input(request)
    # Jinja2 escaped every value as it rendered (autoescape is always on: environment()).
    return mark_safe(template.render(context, request))  # nosec B308 B703
