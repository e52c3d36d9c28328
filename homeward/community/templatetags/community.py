"""Template tags for community pages."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.community import conf

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
