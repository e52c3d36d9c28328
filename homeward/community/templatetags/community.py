"""Template tags for community pages."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import template
from django.template.loader import render_to_string
from markupsafe import Markup, escape

from homeward.community import conf
from homeward.core import jinja2

if TYPE_CHECKING:
    from homeward.accounts.models import User

register = template.Library()


@register.inclusion_tag("community/_banner.html")
def moderation_banner() -> dict[str, Any]:
    """Outside the published moderation hours: replies may be slower, and where to get urgent
    help. No queries."""
    return {
        "off_duty": not conf.moderators_on_duty(),
        "hours": conf.moderation_hours().describe(),
        "support": [{"name": n, "how": h} for n, h in conf.DEFAULT_SUPPORT],
    }


def moderation_banner_html() -> str:
    """The same banner, rendered, for a page whose body is a Jinja2 fragment (the topic page):
    nothing while moderators are on duty."""
    if conf.moderators_on_duty():
        return ""
    return render_to_string("community/_banner.html", moderation_banner())


# Lists print one or two times for each row. Django's date filter looks through the locale's
# format modules on every call for a format like "c" that is not a setting's name; these give
# the same text as date:'c', date:"j M Y, H:i" and date:"j M Y" without that (core.jinja2 has
# the formats, and gives Jinja2 fragments the same filters).


@register.filter(expects_localtime=True)
def iso_time(value: Any) -> str:
    """As date:'c': the local time in ISO 8601, for <time datetime="...">."""
    return jinja2.iso_time(value) if isinstance(value, datetime) else ""


@register.filter(expects_localtime=True)
def day_and_time(value: Any) -> str:
    """As date:"j M Y, H:i", e.g. "5 Mar 2026, 14:07" (the month's name as translated)."""
    return jinja2.day_and_time(value, jinja2.month_names()) if isinstance(value, datetime) else ""


@register.filter(expects_localtime=True)
def day(value: Any) -> str:
    """As date:"j M Y", e.g. "5 Mar 2026"."""
    return jinja2.day(value, jinja2.month_names()) if isinstance(value, datetime) else ""


@register.filter
def author_link(author: User) -> str:
    """A message's author: the name they show, linked to their profile while they have one
    (a list links every author, so this is a filter, not a template included for each)."""
    url = author.profile_url
    # markupsafe's escaping, which Django's templates honour (__html__) as Jinja2's do: three
    # times faster than format_html, for every row of a list.
    if url:
        return Markup('<a href="%s">%s</a>') % (url, author.public_name)
    return escape(author.public_name)


@register.filter
def waited(value: Any) -> str:
    """How long something has waited, in a few words: "5 minutes", "2 hours", "3 days"."""
    from django.utils import timezone

    seconds = int((timezone.now() - value).total_seconds())
    if seconds < 3600:
        n, unit = max(1, seconds // 60), "minute"
    elif seconds < 86400:
        n, unit = seconds // 3600, "hour"
    else:
        n, unit = seconds // 86400, "day"
    return f"{n} {unit}{'s' if n != 1 else ''}"
