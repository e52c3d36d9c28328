"""The community's health, week by week, for staff: new and active members, conversations and
messages, flags, and how long the review queue takes to act. Read-only and aggregate: no member
is named, and every figure comes from a fixed handful of GROUP BY queries (one per measure),
however many weeks are asked for.

Weeks are ISO weeks (Monday to Sunday) in the site's time zone (Europe/London), so a message
written at 11.30pm on a Sunday in August counts in the week it was written in Britain. The
current week is included, marked as "so far".

What the words mean (the page says the same):
- a *member* is anyone who isn't staff of an organisation or a platform admin;
- *new members* are the members whose accounts were made that week;
- *active members* are the members who wrote a forum message, reacted to one, or opened a
  conversation that week. Homeward keeps only the first and the latest time each member opened
  each conversation, so someone who only re-read an old conversation in an earlier week is not
  counted for that week: reading is undercounted, never overcounted. Private messages are not
  counted;
- *conversations* and *messages* are all that were written that week, including any later
  removed or still waiting for approval (a conversation's first message is a message too);
- *flags* are members' reports of forum or private messages;
- *time to first action* is, for the items that entered the review queue that week (a flag, or
  a message held for approval), the median time until a moderator kept, hid or removed it.
  Items still waiting are counted separately and left out of the median.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, DateTimeField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from homeward.accounts.models import STAFF_ROLES, User
from homeward.community.models import Flag, Post, Reaction, ReviewItem, Topic, TopicUser

WEEK_CHOICES = (12, 26, 52)
DEFAULT_WEEKS = WEEK_CHOICES[0]


@dataclass(frozen=True)
class Week:
    """One ISO week's figures."""

    starts: date  # the Monday
    new_members: int
    active_members: int
    topics: int
    posts: int
    flags: int
    acted_on: int  # review items raised this week that a moderator has acted on
    waiting: int  # review items raised this week still waiting
    median_first_action: timedelta | None  # None when nothing raised this week was acted on
    current: bool = False  # the week in progress

    @property
    def ends(self) -> date:
        return self.starts + timedelta(days=6)

    @property
    def iso_week(self) -> int:
        return self.starts.isocalendar().week

    @property
    def iso_year(self) -> int:
        return self.starts.isocalendar().year

    @property
    def median_text(self) -> str:
        if self.median_first_action is not None:
            return duration_text(self.median_first_action)
        return "Nothing acted on yet" if self.waiting else "Nothing came in"

    @property
    def median_hours(self) -> float | None:
        if self.median_first_action is None:
            return None
        return round(self.median_first_action.total_seconds() / 3600, 1)


def weeks_asked(raw: str | None) -> int:
    """The number of weeks from `?weeks=`: one of WEEK_CHOICES, else the default."""
    try:
        value = int(raw or "")
    except ValueError:
        return DEFAULT_WEEKS
    return value if value in WEEK_CHOICES else DEFAULT_WEEKS


def duration_text(value: timedelta) -> str:
    """A median wait in a few words: "under a minute", "40 min", "3 h 5 min", "2 days 4 h"."""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    day_word = "day" if days == 1 else "days"
    return f"{days} {day_word} {hours} h" if hours else f"{days} {day_word}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _week_of(moment: datetime) -> date:
    """The Monday of the (local) week a moment falls in."""
    return _monday(timezone.localdate(moment))


def _per_week(qs: QuerySet[Any], field: str, since: datetime, until: datetime) -> Counter[date]:
    """How many rows of `qs` fall in each week by `field`: one GROUP BY query."""
    rows = (
        qs.filter(**{f"{field}__gte": since, f"{field}__lt": until})
        .annotate(week=TruncWeek(field, output_field=DateTimeField()))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return Counter({_week_of(row["week"]): row["n"] for row in rows})


def _not_staff(user_field: str) -> Q:
    """Rows whose person (at `user_field`) is a member, not staff or a platform admin."""
    prefix = f"{user_field}__" if user_field else ""
    return ~Q(**{f"{prefix}is_platform_admin": True}) & ~Q(
        **{f"{prefix}memberships__role__in": STAFF_ROLES}
    )


def _active_per_week(since: datetime, until: datetime) -> Counter[date]:
    """Distinct members per week who wrote, reacted or opened a conversation: one query (a
    UNION of (week, member) pairs, which removes duplicates), counted here."""

    def pairs(qs: QuerySet[Any], field: str, user_field: str) -> QuerySet[Any]:
        found: QuerySet[Any] = (
            qs.filter(_not_staff(user_field), **{f"{field}__gte": since, f"{field}__lt": until})
            .annotate(week=TruncWeek(field, output_field=DateTimeField()))
            .values_list("week", f"{user_field}_id")
            .order_by()
        )
        return found

    union = pairs(Post.objects.all(), "created_at", "author").union(
        pairs(Reaction.objects.all(), "created_at", "user"),
        pairs(TopicUser.objects.all(), "first_visited_at", "user"),
        pairs(TopicUser.objects.all(), "last_visited_at", "user"),
    )
    members: defaultdict[date, set[int]] = defaultdict(set)
    for week, user_id in union:
        members[_week_of(week)].add(user_id)
    return Counter({week: len(ids) for week, ids in members.items()})


def _first_actions(
    since: datetime, until: datetime
) -> tuple[dict[date, list[timedelta]], Counter[date]]:
    """For each week, how long each review item raised that week waited for a moderator, and
    how many still wait: one query over that window's items."""
    waits: defaultdict[date, list[timedelta]] = defaultdict(list)
    waiting: Counter[date] = Counter()
    items = ReviewItem.objects.filter(created_at__gte=since, created_at__lt=until)
    for raised, resolved in items.values_list("created_at", "resolved_at").order_by():
        week = _week_of(raised)
        if resolved is None:
            waiting[week] += 1
        else:
            waits[week].append(resolved - raised)
    return waits, waiting


def _median(values: Iterable[timedelta]) -> timedelta | None:
    seconds = [v.total_seconds() for v in values]
    if not seconds:
        return None
    return timedelta(seconds=round(statistics.median(seconds)))


def weekly(weeks: int = DEFAULT_WEEKS, *, now: datetime | None = None) -> list[Week]:
    """The last `weeks` ISO weeks, oldest first, the current (unfinished) week last. Six
    queries whatever the number of weeks."""
    today = timezone.localdate(now or timezone.now())
    this_monday = _monday(today)
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since, until = _start_of(mondays[0]), _start_of(this_monday + timedelta(weeks=1))

    joined = _per_week(User.objects.filter(_not_staff("")), "date_joined", since, until)
    active = _active_per_week(since, until)
    topics = _per_week(Topic.objects.all(), "created_at", since, until)
    posts = _per_week(Post.objects.all(), "created_at", since, until)
    flags = _per_week(Flag.objects.all(), "created_at", since, until)
    waits, waiting = _first_actions(since, until)
    return [
        Week(
            starts=monday,
            new_members=joined[monday],
            active_members=active[monday],
            topics=topics[monday],
            posts=posts[monday],
            flags=flags[monday],
            acted_on=len(waits[monday]),
            waiting=waiting[monday],
            median_first_action=_median(waits[monday]),
            current=monday == this_monday,
        )
        for monday in mondays
    ]


# The chart -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a server-drawn SVG chart (coordinates in the chart's own units)."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # e.g. "Week 47: 12"


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    most: int  # the scale's top value
    width: int
    height: int


CHART_HEIGHT = 120
BAR_STEP = 10  # each week's slot, in chart units; the bar fills 70% of it


def chart(weeks: list[Week], measure: str, title: str) -> Chart:
    """A bar per week for one measure (an attribute of Week), scaled to the largest value. The
    SVG's geometry goes in attributes, not styles (the CSP allows no inline style)."""
    values = [int(getattr(week, measure)) for week in weeks]
    most = max(values, default=0)
    bars = []
    for n, (week, value) in enumerate(zip(weeks, values, strict=True)):
        height = round(CHART_HEIGHT * value / most, 1) if most else 0.0
        bars.append(
            Bar(
                x=n * BAR_STEP + 1.5,
                y=round(CHART_HEIGHT - height, 1),
                width=BAR_STEP * 0.7,
                height=height,
                value=value,
                label=f"Week {week.iso_week}: {value}",
            )
        )
    return Chart(title, bars, most, len(weeks) * BAR_STEP, CHART_HEIGHT)


CSV_HEADER = [
    "Week",
    "Monday",
    "Sunday",
    "New members",
    "Active members",
    "Conversations",
    "Messages",
    "Flags",
    "Review items acted on",
    "Review items still waiting",
    "Median hours to first action",
]


def csv_rows(weeks: list[Week]) -> list[list[Any]]:
    """The same table as the page, for a spreadsheet (numbers only: no member's words)."""
    return [
        [
            f"{week.iso_year}-W{week.iso_week:02d}",
            week.starts.isoformat(),
            week.ends.isoformat(),
            week.new_members,
            week.active_members,
            week.topics,
            week.posts,
            week.flags,
            week.acted_on,
            week.waiting,
            "" if week.median_hours is None else week.median_hours,
        ]
        for week in weeks
    ]
