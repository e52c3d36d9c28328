"""Rate limits per action and trust level, after Discourse's defaults, counted by core.ratelimit
(in the shared cache). Views check before calling a service and count after it succeeds, so a
refused or invalid post costs nothing; demo data and tests that call services directly are not
throttled. Moderators and staff have no limits.

The figures are in settings.RATE_LIMITS (with the Discourse setting each comes from), named
community_<action>_new (trust level 0) and community_<action>_member (everyone else)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.policies import is_moderator
from homeward.community import policies
from homeward.community.models import TrustLevel
from homeward.core import ratelimit

if TYPE_CHECKING:
    from homeward.accounts.models import User

ACTIONS = ("topic", "reply", "topics_day")
WHAT = {
    "topic": "start another conversation",
    "reply": "reply again",
    "topics_day": "start another conversation",
}


def _name(action: str, tier: int) -> str:
    return f"community_{action}_{'new' if tier < TrustLevel.BASIC else 'member'}"


def _actions(action: str) -> list[str]:
    return [action, "topics_day"] if action == "topic" else [action]


def wait_message(seconds: int, action: str) -> str:
    if seconds >= 3600:
        when = f"in about {round(seconds / 3600)} hour{'s' if round(seconds / 3600) != 1 else ''}"
    elif seconds >= 90:
        when = f"in about {round(seconds / 60)} minutes"
    else:
        when = f"in {seconds} second{'s' if seconds != 1 else ''}"
    return (
        f"You're posting quickly. To keep the community calm for everyone, you can "
        f"{WHAT[action]} {when}. What you wrote is still here."
    )


def check(user: User, action: str) -> str | None:
    """None when the member may go ahead; otherwise a plain message saying when they can."""
    if is_moderator(user):
        return None
    tier = policies.trust_level(user)
    for name in _actions(action):
        left = ratelimit.used_up(_name(name, tier), f"user:{user.pk}")
        if left:
            return wait_message(left, name)
    return None


def count(user: User, action: str) -> None:
    """Count a successful post against the member's limits."""
    if is_moderator(user):
        return
    tier = policies.trust_level(user)
    for name in _actions(action):
        ratelimit.hit(_name(name, tier), f"user:{user.pk}")
