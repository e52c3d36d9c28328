"""The forum both community benchmarks build: the same members, categories, topics and posts
(authors, lengths, times, words) for Homeward and for django-spirit, drawn from a fixed seed.
No Django here: bench/spirit/driver.py imports it from Spirit's own virtualenv.

Sizes come from the environment (see bench/community.py); one topic is the long one (2,000
posts by default), the rest share the remaining posts with a long tail, as real forums do."""

from __future__ import annotations

import html
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

SEED = 20261123
DAY = 86400.0
HISTORY_DAYS = 730

CATEGORIES = (
    # (Homeward slug, title, share of the topics)
    ("welcome", "Welcome and introductions", 0.10),
    ("visits", "Visits and keeping in touch", 0.35),
    ("children", "Talking to children", 0.20),
    ("practical", "Money, housing and practical help", 0.20),
    ("wellbeing", "Looking after yourself", 0.15),
)
LONG_CATEGORY = 1  # the long topic lives in "visits"
PINNED_PER_CATEGORY = 2

_FIRST = (
    "Sunflower", "Robin", "Harbour", "Willow", "Meadow", "Bramble", "Kestrel", "Poppy", "Juniper",
    "Skylark", "Heather", "Pebble", "Rowan", "Maple", "Wren", "Clover", "Hazel", "Tide", "Linnet",
)  # fmt: skip
_SECOND = ("Mum", "Dad", "Nan", "Grandad", "Auntie", "Sis", "Bro", "Partner", "Friend", "Carer")

_TITLES = (
    "First visit next week: what should I expect?",
    "How did you explain it to a six-year-old?",
    "Help with travel costs for visits",
    "Small things that got you through this week",
    "Letters: how often do you write?",
    "Phone calls keep getting cut off",
    "Moving to a new prison: what happens to visits?",
    "Hello from a new member",
    "Booking a video call for the first time",
    "Benefits changed after the sentence",
    "School wants to know: what did you tell them?",
    "Parole hearing coming up, feeling anxious",
    "Bringing a baby on a visit",
    "Sending money in: which way is quickest?",
    "Feeling judged by the neighbours",
    "Release date is close: how did you prepare?",
)
_SENTENCES = (
    "Thinking of you today, you're not on your own with this.",
    "We booked the visit online and it was easier than I expected.",
    "Get there early with your ID; the lockers take a pound coin.",
    "The staff at the visitors' centre were lovely to us the first time.",
    "My daughter draws a picture every week to send with the letter.",
    "The Help with Prison Visits scheme paid our train fare last month.",
    "Some days are harder than others, and that's all right.",
    "We used a picture book the support worker gave us, honest and simple.",
    "Video calls were a bit awkward at first but the kids love them now.",
    "I write every Sunday evening, it's become a little ritual.",
    "Ask the family support worker, they sorted our booking in a day.",
    "A walk by the sea and a long chat with my sister helped this week.",
    "The phone credit goes so fast, we agreed on a time each evening.",
    "Nobody at work knows, and keeping it in is tiring.",
    "It does get easier, even if it doesn't feel like it yet.",
    "Wear something simple without a hood and leave the jewellery at home.",
    "Citizens Advice helped me with the council tax reduction.",
    "I keep a notebook of things to tell him so I don't forget on the visit.",
    "Our son's teacher was kind once we explained, it was worth telling her.",
    "Sending you a big hug, let us know how the hearing goes.",
)
TEXT_POOL = 4096
RARE_WORD = "Pentonville"
RARE_SENTENCE = f"We went up to {RARE_WORD} for the family day in the summer holidays."
COMMON_QUERY = "visitors centre"  # in one sentence of twenty: about a sixth of all posts


@dataclass(frozen=True)
class Sizes:
    topics: int
    posts: int
    members: int
    long_posts: int
    runs: int

    @classmethod
    def from_env(cls) -> Sizes:
        quick = os.environ.get("BENCH_QUICK", "") not in {"", "0"}
        defaults = (
            (2_000, 20_000, 500, 2_000, 30) if quick else (100_000, 1_000_000, 20_000, 2_000, 200)
        )
        names = ("BENCH_TOPICS", "BENCH_POSTS", "BENCH_MEMBERS", "BENCH_LONG_TOPIC", "BENCH_RUNS")
        values = [int(os.environ.get(n, str(d))) for n, d in zip(names, defaults, strict=True)]
        sizes = cls(*values)
        if sizes.posts < sizes.topics - 1 + sizes.long_posts:
            raise SystemExit("BENCH_POSTS must be at least BENCH_TOPICS - 1 + BENCH_LONG_TOPIC")
        return sizes


@dataclass(frozen=True)
class TopicPlan:
    index: int  # 0-based; database ids are offset by the seeder
    category: int  # index into CATEGORIES
    author: int  # member index
    title: str
    created: float  # epoch seconds
    last: float
    posts: int
    pinned: bool


@dataclass(frozen=True)
class PostPlan:
    number: int  # 1 is the opening post
    author: int
    text: int  # index into Plan.texts
    at: float
    likers: tuple[int, ...] = ()  # members who liked it (one post in twelve, by one to three)
    supporters: tuple[int, ...] = ()  # "sending support" (Homeward only; one post in twenty)


def member_name(i: int) -> str:
    return f"{_FIRST[i % len(_FIRST)]} {_SECOND[(i // len(_FIRST)) % len(_SECOND)]} {i}"


def cooked(raw: str) -> str:
    """What the markdown renderers make of these plain paragraphs."""
    return "".join(f"<p>{html.escape(p)}</p>" for p in raw.split("\n\n"))


class Plan:
    """Every row to insert, generated lazily and identically on each call."""

    def __init__(self, sizes: Sizes, now: float | None = None) -> None:
        self.sizes = sizes
        self.now = now if now is not None else time.time()
        r = random.Random(SEED)
        n = sizes.topics
        self.long_index = n // 2
        # Replies beyond each topic's opening post: a long tail (most topics short, some busy).
        spare = sizes.posts - n - (sizes.long_posts - 1)
        weights = [r.expovariate(1.0) ** 2 for _ in range(n)]
        weights[self.long_index] = 0.0
        counts = [1] * n
        for i in r.choices(range(n), weights=weights, k=spare):
            counts[i] += 1
        counts[self.long_index] = sizes.long_posts
        self.counts = counts
        # Members: a few write a lot, most a little.
        self.member_weights = list(accumulate(1.0 / (rank + 20) for rank in range(sizes.members)))
        cat_weights = list(accumulate(share for _, _, share in CATEGORIES))
        self.categories = r.choices(range(len(CATEGORIES)), cum_weights=cat_weights, k=n)
        self.categories[self.long_index] = LONG_CATEGORY
        self.authors = r.choices(range(sizes.members), cum_weights=self.member_weights, k=n)
        start = self.now - HISTORY_DAYS * DAY
        self.created = sorted(start + r.random() * (HISTORY_DAYS * DAY - 3600) for _ in range(n))
        self.created[self.long_index] = self.now - 365 * DAY
        self.titles = [r.choice(_TITLES) for _ in range(n)]
        self.titles[self.long_index] = "Visiting days: the big thread for everyone"
        seen: dict[int, int] = {}
        self.pinned = [False] * n
        for i, c in enumerate(self.categories):
            if seen.get(c, 0) < PINNED_PER_CATEGORY and i != self.long_index:
                seen[c] = seen.get(c, 0) + 1
                self.pinned[i] = True
        self.texts = []
        for _ in range(TEXT_POOL):
            paragraphs = [
                " ".join(r.sample(_SENTENCES, r.randint(1, 3))) for _ in range(r.randint(1, 3))
            ]
            self.texts.append("\n\n".join(paragraphs))
        # One text in the pool names a place no other does, for a search with few matches.
        self.texts[0] += "\n\n" + RARE_SENTENCE
        self.cooked_texts = [cooked(t) for t in self.texts]

    def last_activity(self, i: int) -> float:
        """When a topic's last post was written: busier topics stay active longer."""
        if i == self.long_index:
            return self.now - 600.0
        span = min(60 * DAY, 3600.0 * self.counts[i] ** 1.5)
        return min(self.created[i] + span, self.now - 60.0)

    def topics(self) -> Iterator[TopicPlan]:
        for i in range(self.sizes.topics):
            yield TopicPlan(
                index=i,
                category=self.categories[i],
                author=self.authors[i],
                title=self.titles[i],
                created=self.created[i],
                last=self.last_activity(i),
                posts=self.counts[i],
                pinned=self.pinned[i],
            )

    def posts(self, topic: TopicPlan) -> list[PostPlan]:
        r = random.Random(SEED * 1_000_003 + topic.index)
        n = topic.posts
        authors = r.choices(range(self.sizes.members), cum_weights=self.member_weights, k=n)
        authors[0] = topic.author
        step = (topic.last - topic.created) / max(1, n - 1)
        members = self.sizes.members
        out = []
        for k in range(n):
            likers: tuple[int, ...] = ()
            supporters: tuple[int, ...] = ()
            if r.random() < 1 / 12:
                likers = self._others(r, authors[k], r.randint(1, 3), members)
            if r.random() < 1 / 20:
                supporters = self._others(r, authors[k], 1, members)
            out.append(
                PostPlan(
                    k + 1,
                    authors[k],
                    r.randrange(TEXT_POOL),
                    topic.created + step * k,
                    likers,
                    supporters,
                )
            )
        return out

    @staticmethod
    def _others(r: random.Random, author: int, count: int, members: int) -> tuple[int, ...]:
        chosen: set[int] = set()
        while len(chosen) < min(count, members - 1):
            other = r.randrange(members)
            if other != author:
                chosen.add(other)
        return tuple(sorted(chosen))
