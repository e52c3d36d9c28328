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
    TrustLevel.REGULAR: "have your flags count for more, and help look after the community",
}


@dataclass(frozen=True)
class Requirement:
    """One thing a member needs for the next level: `have` of `need`, described by `todo`.
    With `at_most`, `need` is a ceiling instead (e.g. no more than 5 flagged messages)."""

    need: int
    have: int
    todo: str  # "{n}" is the number still to go, e.g. "visit on {n} more days"
    what: str  # what is counted, e.g. "days visited"
    at_most: bool = False

    @property
    def met(self) -> bool:
        return self.have <= self.need if self.at_most else self.have >= self.need

    def kept(self, share: float) -> bool:
        """Still within `share` of the requirement (trust level 3 is lost below 90%)."""
        if self.at_most:
            return self.have <= self.need
        return self.have >= self.need * share

    @property
    def left(self) -> int:
        return 0 if self.at_most else max(0, self.need - self.have)

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


# Level 3 ("Trusted member"): judged every day over the last 100 days, with Discourse's default
# proportions. Each can be changed in Django settings as COMMUNITY_TL3_<NAME>, e.g.
# COMMUNITY_TL3_DAYS_VISITED = 40.
TL3_DEFAULTS = {
    "PERIOD_DAYS": 100,
    "DAYS_VISITED": 50,
    "TOPICS_REPLIED": 10,
    "TOPICS_VIEWED_PERCENT": 25,  # of the conversations started in the period
    "TOPICS_VIEWED_CAP": 500,
    "POSTS_READ_PERCENT": 25,  # of the messages written in the period
    "POSTS_READ_CAP": 20000,
    "TOPICS_VIEWED_ALL_TIME": 200,
    "POSTS_READ_ALL_TIME": 500,
    "MAX_FLAGGED_POSTS": 5,  # messages of theirs with upheld flags in the period
    "LIKES_GIVEN": 30,
    "LIKES_RECEIVED": 20,
    "PENALTY_FREE_DAYS": 180,  # not silenced or suspended in the last six months
    "GRACE_DAYS": 14,  # kept at least this long once reached
}
TL3_LOW_WATER_MARK = 0.9  # lost when below 90% of a requirement (after the grace period)


def tl3(name: str) -> int:
    from django.conf import settings

    return int(getattr(settings, f"COMMUNITY_TL3_{name}", TL3_DEFAULTS[name]))


def tl3_requirements(standing: MemberStanding) -> list[Requirement]:
    """What level 3 asks for over the last 100 days, against this member's activity (about a
    dozen queries: for the daily review and the member's own progress page)."""
    from datetime import timedelta

    from django.utils import timezone

    from homeward.community.models import (
        Flag,
        Penalty,
        Post,
        Reaction,
        StandingSnapshot,
        Topic,
        TopicUser,
    )

    user_id = standing.user_id
    since = timezone.now() - timedelta(days=tl3("PERIOD_DAYS"))
    # The counters as the period began (none: everything they have done is in the period).
    before = (
        StandingSnapshot.objects.filter(user_id=user_id, date__lt=timezone.localdate(since))
        .order_by("-date")
        .values_list("days_visited", "posts_read")
        .first()
    ) or (0, 0)
    days_visited = max(0, standing.days_visited - before[0])
    posts_read = max(0, standing.posts_read - before[1])
    topics_in_period = Topic.objects.live().filter(created_at__gte=since).count()
    posts_in_period = Post.objects.live().filter(created_at__gte=since).count()
    flagged = (
        Flag.objects.filter(
            post__author_id=user_id, outcome=Flag.Outcome.AGREED, created_at__gte=since
        )
        .values("post_id")
        .distinct()
        .count()
    )
    penalised = Penalty.objects.filter(
        member_id=user_id,
        kind__in=[Penalty.Kind.SILENCE, Penalty.Kind.SUSPEND],
        starts_at__gte=timezone.now() - timedelta(days=tl3("PENALTY_FREE_DAYS")),
    ).exists()
    return [
        Requirement(tl3("DAYS_VISITED"), days_visited, "visit on {n} more day{s}", "days visited"),
        Requirement(
            tl3("TOPICS_REPLIED"),
            Post.objects.filter(author_id=user_id, created_at__gte=since, post_number__gt=1)
            .values("topic_id")
            .distinct()
            .count(),
            "reply in {n} more conversation{s}",
            "conversations replied in",
        ),
        Requirement(
            min(
                round(topics_in_period * tl3("TOPICS_VIEWED_PERCENT") / 100),
                tl3("TOPICS_VIEWED_CAP"),
            ),
            TopicUser.objects.filter(user_id=user_id, last_visited_at__gte=since).count(),
            "open {n} more conversation{s}",
            "conversations opened",
        ),
        Requirement(
            min(round(posts_in_period * tl3("POSTS_READ_PERCENT") / 100), tl3("POSTS_READ_CAP")),
            posts_read,
            "read {n} more message{s}",
            "messages read",
        ),
        Requirement(
            tl3("TOPICS_VIEWED_ALL_TIME"),
            standing.topics_entered,
            "open {n} more conversation{s} (in all)",
            "conversations opened in all",
        ),
        Requirement(
            tl3("POSTS_READ_ALL_TIME"),
            standing.posts_read,
            "read {n} more message{s} (in all)",
            "messages read in all",
        ),
        Requirement(
            tl3("LIKES_GIVEN"),
            Reaction.objects.filter(user_id=user_id, created_at__gte=since).count(),
            "like or send support to {n} more message{s}",
            "likes and support given",
        ),
        Requirement(
            tl3("LIKES_RECEIVED"),
            Reaction.objects.filter(post__author_id=user_id, created_at__gte=since).count(),
            "receive {n} more like{s} or support",
            "likes and support received",
        ),
        Requirement(
            tl3("MAX_FLAGGED_POSTS"),
            flagged,
            "have no more messages flagged and upheld",
            "messages flagged and upheld",
            at_most=True,
        ),
        Requirement(
            0,
            int(penalised),
            "go six months without being silenced or suspended",
            "silences or suspensions in six months",
            at_most=True,
        ),
    ]
