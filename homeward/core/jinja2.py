"""The Jinja2 environment for the few fragments that repeat many times on a busy page (a topic's
messages, a category's conversations): Django's template language costs about a microsecond per
variable looked up, and a page of 20 messages looks up over a thousand. Jinja2 compiles a
template to Python once per process, so the same fragment renders several times faster.

Pages themselves stay in Django's template language; a view renders a fragment with
`render_fragment` and hands the page the finished, escaped HTML. Autoescaping is on, Django's
safe strings (format_html, mark_safe) pass through unescaped as they do in Django templates,
and an undefined name is an error, not a blank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template import engines
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined

# Filters apps add from their AppConfig.ready() (`register_filters`), so core imports no app.
_filters: dict[str, Callable[..., Any]] = {}


def register_filters(*, local_time: bool = False, **filters: Callable[..., Any]) -> None:
    """Make these functions filters of every fragment. `local_time=True`: each takes a moment
    and is given it in the site's time zone, as Django gives filters marked expects_localtime."""
    for name, function in filters.items():
        _filters[name] = _in_local_time(function) if local_time else function


def environment(**options: Any) -> Environment:
    """Settings' TEMPLATES entry for Jinja2 points here (OPTIONS["environment"])."""
    options["undefined"] = StrictUndefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals["url"] = _url
    env.filters["date"] = _in_local_time(date_filter)
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


def render_fragment(
    name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> SafeString:
    """A Jinja2 fragment (under an app's jinja2/ folder) rendered to HTML for a page to include
    as it is: the environment escaped every value, so the result is marked safe. With a
    request, `csrf` is the hidden CSRF field for the fragment's forms."""
    template = engines["jinja2"].get_template(name)
    if request is not None:
        # Django's backend adds csrf_input as a lazy value that masks the token afresh each
        # time it is printed (three forms a message: 60 maskings a page); once is enough.
        context = {**context, "csrf": csrf_input(request)}
    # Jinja2 escaped every value as it rendered (autoescape is always on: environment()).
    return mark_safe(template.render(context, request))  # nosec B308 B703
