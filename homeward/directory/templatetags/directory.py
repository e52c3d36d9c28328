from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString

from homeward.core.markdown import render_markdown
from homeward.directory.models import DAY_NAMES, Schedule, in_week_order

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text, allow_images=False)


@register.filter
def day_names(codes: list[str]) -> str:
    return ", ".join(DAY_NAMES[c] for c in codes if c in DAY_NAMES)


@register.filter
def week_order(schedules: Iterable[Schedule]) -> list[Schedule]:
    return in_week_order(schedules)


@register.filter
def site_name(url: str) -> str:
    """ "https://www.samaritans.org/" → "samaritans.org": short enough to read on a phone."""
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.") or url
