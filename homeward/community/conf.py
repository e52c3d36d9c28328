"""The community's site settings. Each has a default here (Discourse's where it has one) and can
be changed in Django settings under the name given, e.g. COMMUNITY_HIDE_SCORE = 8, without a
code change. Read through these functions, never at import time, so tests can override them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"COMMUNITY_{name}", default)


# Flags -----------------------------------------------------------------------------------------


def flag_score(trust_level: int, *, staff: bool) -> int:
    """A flag's weight (after Discourse's ReviewableScore: 1 + the flagger's trust level, and
    staff count as 6, so one flag from staff hides a message at once)."""
    return 6 if staff else 1 + trust_level


def hide_score() -> int:
    """Flags adding up to this hide a message until a moderator looks (COMMUNITY_HIDE_SCORE).
    The default, 6, is three flags from level-1 members or two from level-2 members, close to
    Discourse's old `flags_required_to_hide_post` of 3."""
    return int(_get("HIDE_SCORE", 6))


# Penalties -------------------------------------------------------------------------------------

# Every third upheld flag suspends the member: for 1 day, then 7, then 30, then a year.
STRIKES_PER_SUSPENSION = 3
SUSPENSION_DAYS = (1, 7, 30, 365)
STRIKE_WINDOW_DAYS = 180  # strikes older than this no longer count


# Moderation hours ------------------------------------------------------------------------------

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Hours:
    """When moderators are on duty: weekdays (0 = Monday) and a daily window, local time."""

    days: frozenset[int]
    start: time
    end: time

    def covers(self, moment: datetime) -> bool:
        local = timezone.localtime(moment)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def describe(self) -> str:
        days = sorted(self.days)
        names = [DAYS[d].capitalize() for d in days]
        span = (
            f"{names[0]} to {names[-1]}"
            if len(days) > 2 and days == list(range(days[0], days[-1] + 1))
            else ", ".join(names)
        )
        return f"{span}, {self.start:%H:%M} to {self.end:%H:%M}"


def moderation_hours() -> Hours:
    """COMMUNITY_MODERATION_HOURS, e.g. "mon-fri 09:00-17:00" or "mon,wed,sat 10:00-14:00"."""
    text = str(_get("MODERATION_HOURS", "mon-fri 09:00-17:00")).strip().lower()
    day_part, _, time_part = text.partition(" ")
    days: set[int] = set()
    for chunk in day_part.split(","):
        first, _, last = chunk.partition("-")
        a = DAYS.index(first)
        b = DAYS.index(last) if last else a
        days.update(range(a, b + 1))
    start, _, end = time_part.strip().partition("-")
    return Hours(frozenset(days), time.fromisoformat(start), time.fromisoformat(end))


def moderators_on_duty(moment: datetime | None = None) -> bool:
    return moderation_hours().covers(moment or timezone.now())


# Support for someone who may be at risk --------------------------------------------------------

# (name, how to reach them): shown when an organisation has not set its own list.
DEFAULT_SUPPORT: tuple[tuple[str, str], ...] = (
    ("Samaritans", "Call 116 123, free, any time, day or night"),
    ("Shout", "Text SHOUT to 85258, free, any time"),
    ("NHS 111", "Call 111 when you need help for your mental health and it's not an emergency"),
    ("Emergency", "Call 999 if you or someone else is in danger right now"),
)


# Private conversations -------------------------------------------------------------------------


def max_conversation_members() -> int:
    """Everyone in a private conversation, its starter included (COMMUNITY_MAX_CONVERSATION_MEMBERS)."""
    return int(_get("MAX_CONVERSATION_MEMBERS", 8))


# Pictures in messages (community/pictures.py) ----------------------------------------------------


def picture_max_bytes() -> int:
    """The largest picture file a member may upload (COMMUNITY_PICTURE_MAX_MB, in MB)."""
    return int(float(_get("PICTURE_MAX_MB", 8)) * 1024 * 1024)


def picture_types() -> frozenset[str]:
    """The kinds of picture taken, as Pillow names them (COMMUNITY_PICTURE_TYPES); of an
    animated GIF only the first frame is kept."""
    return frozenset(str(t).upper() for t in _get("PICTURE_TYPES", ("JPEG", "PNG", "WEBP", "GIF")))


def pictures_per_message() -> int:
    """How many pictures one message may carry (COMMUNITY_PICTURES_PER_MESSAGE)."""
    return int(_get("PICTURES_PER_MESSAGE", 4))


def picture_max_side() -> int:
    """Pictures are kept no wider or taller than this, in pixels (COMMUNITY_PICTURE_MAX_SIDE)."""
    return int(_get("PICTURE_MAX_SIDE", 1600))


# Titles of linked pages (community/previews.py, community/linkfetch.py) -------------------------


def link_preview_test_hosts() -> frozenset[str]:
    """Host names whose pages may be fetched for a title although they are not on the public
    internet (COMMUNITY_LINK_PREVIEW_TEST_HOSTS). For tests only, which serve pages from
    127.0.0.1; ignored in production, so a stray setting can't open the private network."""
    if getattr(settings, "PRODUCTION", False):
        return frozenset()
    return frozenset(str(h).lower() for h in _get("LINK_PREVIEW_TEST_HOSTS", ()))
