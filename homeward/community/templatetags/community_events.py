"""The community's "Events" panel: the next few events this member may see (the events app
decides who sees what), in one query."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.events.models import Event

register = template.Library()

COMMUNITY_EVENTS = 3


@register.simple_tag(takes_context=True)
def upcoming_events(context: dict[str, Any], count: int = COMMUNITY_EVENTS) -> list[Event]:
    """The next `count` published events the signed-in member may see, soonest first (an
    event that has started shows until it ends). None for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    events = (
        Event.objects.visible_to(user)
        .upcoming()
        .filter(status=Event.Status.PUBLISHED)
        .only("pk", "title", "starts_at", "ends_at", "format", "place_name")
        .order_by("starts_at", "pk")
    )
    return list(events[:count])
