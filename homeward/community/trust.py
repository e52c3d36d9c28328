"""Trust levels: what a member must do to reach each one (Discourse's default thresholds), kept
here in one place, and what they are still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeward.community.models import TrustLevel

if TYPE_CHECKING:
    from homeward.community.models import MemberStanding

# Level 1 ("Member"): has looked around.
TL1_TOPICS_ENTERED = 5
TL1_POSTS_READ = 30
TL1_TIME_READ_MINUTES = 10

# Level 2 ("Regular member"): has come back and taken part.
TL2_DAYS_VISITED = 15
TL2_TOPICS_ENTERED = 20
TL2_POSTS_READ = 100
TL2_TIME_READ_MINUTES = 60
TL2_LIKES_GIVEN = 1
TL2_LIKES_RECEIVED = 1
TL2_TOPICS_REPLIED = 3

# New members (level 0) on their first day, and always until they reach level 1.
TL0_TOPICS_FIRST_DAY = 3
TL0_REPLIES_FIRST_DAY = 10
TL0_MAX_LINKS = 2
TL0_MAX_IMAGES = 0

# Reading time: at most this much is counted for one page of a conversation.
MAX_READ_SECONDS_PER_PAGE = 300

# What reaching each level opens up, in a member's words.
UNLOCKS = {
    TrustLevel.BASIC: "share links and pictures, and post as much as you like",
    TrustLevel.MEMBER: "private messages with other members",
}


@dataclass(frozen=True)
class Requirement:
    """One thing a member needs for the next level: `have` of `need`, described by `todo`."""

    need: int
    have: int
    todo: str  # "{n}" is the number still to go, e.g. "visit on {n} more days"
    what: str  # what is counted, e.g. "days visited"

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def left(self) -> int:
        return max(0, self.need - self.have)

    @property
    def sentence(self) -> str:
        return self.todo.format(n=self.left, s="" if self.left == 1 else "s")


def requirements(standing: MemberStanding, level: int) -> list[Requirement]:
    """What reaching `level` (1 or 2) asks for, against this member's counters."""
    minutes = standing.time_read_seconds // 60
    if level == TrustLevel.BASIC:
        return [
            Requirement(
                TL1_TOPICS_ENTERED,
                standing.topics_entered,
                "open {n} more conversation{s}",
                "conversations opened",
            ),
            Requirement(
                TL1_POSTS_READ, standing.posts_read, "read {n} more message{s}", "messages read"
            ),
            Requirement(
                TL1_TIME_READ_MINUTES,
                minutes,
                "spend {n} more minute{s} reading",
                "minutes reading",
            ),
        ]
    if level == TrustLevel.MEMBER:
        return [
            Requirement(
                TL2_DAYS_VISITED, standing.days_visited, "visit on {n} more day{s}", "days visited"
            ),
            Requirement(
                TL2_TOPICS_ENTERED,
                standing.topics_entered,
                "open {n} more conversation{s}",
                "conversations opened",
            ),
            Requirement(
                TL2_POSTS_READ, standing.posts_read, "read {n} more message{s}", "messages read"
            ),
            Requirement(
                TL2_TIME_READ_MINUTES,
                minutes,
                "spend {n} more minute{s} reading",
                "minutes reading",
            ),
            Requirement(
                TL2_LIKES_GIVEN,
                standing.likes_given,
                "like or send support to {n} more message{s}",
                "likes and support given",
            ),
            Requirement(
                TL2_LIKES_RECEIVED,
                standing.likes_received,
                "receive {n} more like{s} or support",
                "likes and support received",
            ),
            Requirement(
                TL2_TOPICS_REPLIED,
                standing.topics_replied,
                "reply in {n} more conversation{s}",
                "conversations replied in",
            ),
        ]
    return []


def earned_level(standing: MemberStanding) -> int:
    """The highest level (0 to 2) the counters have earned."""
    if not all(r.met for r in requirements(standing, TrustLevel.BASIC)):
        return TrustLevel.NEW
    if not all(r.met for r in requirements(standing, TrustLevel.MEMBER)):
        return TrustLevel.BASIC
    return TrustLevel.MEMBER


def level_for(standing: MemberStanding) -> int:
    """The level a member has now: the locked level if a moderator set one; otherwise never
    lower than before (levels 3 and 4 are given by hand for now)."""
    if standing.locked_level is not None:
        return standing.locked_level
    return max(standing.trust_level, earned_level(standing))
