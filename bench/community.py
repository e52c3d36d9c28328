"""Community benchmark (issue 3, "Performance"): a forum the size of a busy one, Homeward's pages
against django-spirit's on the same data and against the floor of this stack.

1. A generator seeds Homeward's community (var/bench/community.sqlite3) with the corpus from
   bench/corpus.py: members, topics and posts bulk-inserted in batches (model instances, so
   fields added later with defaults still work), with every counter the services keep set as
   they would set it: topic reply counts, highest post numbers, last posters and times,
   category counts and newest topic, reading places for authors (TopicUser), reactions with
   their post, topic and member counters, and each member's standing and trust level.
2. Homeward's pages are timed in-process (measure_rounds: median, p95, size, queries, as
   harness.measure_page gives them) as a signed-in member: latest topics, a busy category, the
   first and last page of the long topic, and search and a profile when the URLconf has them.
3. django-spirit is installed in its own virtualenv outside the repository, seeded with the same
   corpus and timed, one page after another, by bench/spirit/driver.py (a subprocess
   printing JSON).
4. The floor (bench/floor.py): one row through a template, same process and middleware, timed
   in the same rounds as Homeward's pages, each round requesting every page and the floor
   once: the machine's load at any moment weighs on both alike. (Timed one page after
   another, the floor was 5.0 ms before the pages and 3.6 ms after them in one run.)
5. One table goes into BENCHMARKS.md's Community section, with the ratios to the targets:
   each page's median ≥3x faster than Spirit's, ≤3x the floor, ≤8 queries.

Environment (all optional):
  BENCH_QUICK=1            small sizes (2,000 topics, 20,000 posts, 500 members, 30 runs):
                           the whole run, Spirit included, in under two minutes on an idle
                           machine; it prints its table and leaves BENCHMARKS.md alone.
  BENCH_TOPICS=100000      topics
  BENCH_POSTS=1000000      posts, opening posts included
  BENCH_MEMBERS=20000      members
  BENCH_LONG_TOPIC=2000    posts in the long topic (its first and last pages are measured)
  BENCH_RUNS=200           timed requests per page (after 10 to warm up)
  BENCH_SPIRIT=0           skip django-spirit (the table says it was skipped)
  BENCH_SPIRIT_VENV=/tmp/homeward-bench-spirit   where Spirit's virtualenv lives (outside the repo)
  BENCH_SPIRIT_PYTHON=python3.11                 the interpreter that makes it
  BENCH_PAGE_BUDGET=180    seconds one page's timing may take; a slower page gets fewer runs
                           (15 in a quick run)
  BENCH_REQUEST_LIMIT=60   a request whose SQL runs longer is interrupted and reported, not timed
  BENCH_REUSE=1            measure again on the databases the last build left, if of the same
                           corpus (BENCH_RUNS may differ for Homeward's; Homeward's is migrated
                           first; BENCH_REINDEX=1 also rebuilds its search index)
  BENCH_REPORT_ONLY=1      rewrite the section from the last run's record (var/bench/*.json)
  BENCH_DRY_RUN=1          print the section without touching BENCHMARKS.md
  BENCH_NAME=community-medium   the databases' and record's file names under var/bench/, for a
                           run of other sizes beside the full one (say, for profiling); such a
                           run, like a quick one, never writes BENCHMARKS.md
  BENCH_PAGES=home,category     time only the pages whose names contain one of these words
                           (any case); the floor is always timed"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.template.base import Template

from bench import harness
from bench.corpus import CATEGORIES, COMMON_QUERY, RARE_WORD, Plan, Sizes, member_name
from bench.progress import Progress, step

# A quick run keeps its own files, so it can run while a full-size one is going.
NAME = os.environ.get("BENCH_NAME") or (
    "community-quick" if os.environ.get("BENCH_QUICK", "") not in {"", "0"} else "community"
)
if NAME != "community":
    os.environ["BENCH_DRY_RUN"] = "1"  # other sizes never replace the full-size table
_RENDER = Template._render
DB = harness.start(NAME)
# setup_test_environment() makes every template render send a signal on which the test client
# copies the context: test-only work that grows with {% include %}s (about 15% of a topic
# page). Server time is measured without it, here and in Spirit's driver alike.
Template._render = _RENDER  # type: ignore[method-assign]

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.cputime import CpuClient  # noqa: E402
from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Membership, Organisation, Role, User  # noqa: E402
from homeward.community import factories as community  # noqa: E402
from homeward.community import trust  # noqa: E402
from homeward.community.models import (  # noqa: E402
    Category,
    MemberStanding,
    Post,
    Reaction,
    Topic,
    TopicUser,
    TrustLevel,
)

BATCH = 5_000
RECORD = DB.with_suffix(".json")  # the last run's figures (BENCH_REPORT_ONLY=1 rewrites from it)
BUILT = DB.with_suffix(".built.json")  # what the generator made (BENCH_REUSE=1 measures it again)
TARGET_SPIRIT = 3.0  # Homeward's median at least 3x faster than Spirit's
TARGET_FLOOR = 3.0  # and at most 3x the floor's
TARGET_QUERIES = 8
SPIRIT_DIR = Path(__file__).resolve().parent / "spirit"
SPIRIT_REQUIREMENTS = ("django-spirit==0.14.3",)
READER_MARKS = 300  # topics the signed-in member has read before


def when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


@dataclass
class Built:
    reader: User
    long_topic: Topic
    category_slug: str
    profile_user: User
    seconds: float


# Generator ---------------------------------------------------------------------------------


def _next_id(model: Any) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _members(plan: Plan, org: Organisation) -> list[int]:
    """Members as user ids (index → id), with their memberships; one password hash for all."""
    password = make_password("bench-not-a-real-password")
    first = _next_id(User)
    joined = when(plan.now - 800 * 86400.0)
    n = plan.sizes.members
    with Progress("members", n) as bar:
        for start in range(0, n, BATCH):
            stop = min(n, start + BATCH)
            User.objects.bulk_create(
                User(
                    id=first + i,
                    username=member_name(i),
                    display_name=member_name(i),
                    password=password,
                    date_joined=joined,
                )
                for i in range(start, stop)
            )
            Membership.objects.bulk_create(
                Membership(user_id=first + i, organisation=org, role=Role.FAMILY, created_at=joined)
                for i in range(start, stop)
            )
            bar.advance(stop - start)
    return [first + i for i in range(n)]


@dataclass
class Tally:
    topics: int = 0
    posts: int = 0
    replied_in: int = 0
    likes_given: int = 0
    likes_received: int = 0


def _seed_forum(plan: Plan, ids: list[int], categories: list[Category]) -> dict[int, Tally]:
    """Topics, posts, authors' reading places and reactions, with every counter."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    topic_base = _next_id(Topic) - 1
    post_id = _next_id(Post)
    per_category: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    latest: dict[int, tuple[float, int]] = {}
    topics: list[Topic] = []
    posts: list[Post] = []
    marks: list[TopicUser] = []
    reactions: list[Reaction] = []

    def flush(final: bool = False) -> None:
        if topics and (final or len(topics) >= 1000):
            Topic.objects.bulk_create(topics)
            topics.clear()
        if not topics:  # posts only after their topics exist (foreign keys are checked)
            batches = ((posts, Post), (marks, TopicUser), (reactions, Reaction))
            # All together, posts first: a reaction's post must be in before the reaction.
            if final or any(len(rows) >= BATCH for rows, _ in batches):
                for rows, model in batches:
                    if rows:
                        model.objects.bulk_create(rows)
                        rows.clear()

    with Progress("topics and posts", plan.sizes.posts) as bar:
        for t in plan.topics():
            topic_id = topic_base + 1 + t.index
            items = plan.posts(t)
            topic_likes = 0
            author_last: dict[int, int] = {}
            for item in items:
                author = ids[item.author]
                likes = len(item.likers)
                posts.append(
                    Post(
                        id=post_id,
                        topic_id=topic_id,
                        author_id=author,
                        post_number=item.number,
                        raw=plan.texts[item.text],
                        cooked=plan.cooked_texts[item.text],
                        created_at=when(item.at),
                        like_count=likes,
                        support_count=len(item.supporters),
                    )
                )
                for kind, givers in (
                    (Reaction.Kind.LIKE, item.likers),
                    (Reaction.Kind.SUPPORT, item.supporters),
                ):
                    for giver in givers:
                        reactions.append(
                            Reaction(
                                post_id=post_id,
                                user_id=ids[giver],
                                kind=kind,
                                created_at=when(item.at),
                            )
                        )
                        tallies[ids[giver]].likes_given += 1
                    tallies[author].likes_received += len(givers)
                topic_likes += likes
                post_id += 1
                tallies[author].posts += 1
                author_last[author] = item.number
            opener = ids[t.author]
            tallies[opener].topics += 1
            repliers = {ids[p.author] for p in items[1:]}
            for member in repliers:
                tallies[member].replied_in += 1
            for member, number in author_last.items():
                marks.append(
                    TopicUser(
                        topic_id=topic_id,
                        user_id=member,
                        last_read_post_number=number,
                        first_visited_at=when(t.created),
                        last_visited_at=when(t.last),
                        posted=True,
                        replied=member in repliers,
                    )
                )
            category = categories[t.category]
            topics.append(
                Topic(
                    id=topic_id,
                    category=category,
                    title=t.title,
                    author_id=opener,
                    created_at=when(t.created),
                    last_posted_at=when(t.last),
                    last_poster_id=ids[items[-1].author],
                    highest_post_number=len(items),
                    reply_count=len(items) - 1,
                    view_count=len(items) * 7,
                    like_count=topic_likes,
                    pinned_at=when(t.created) if t.pinned else None,
                )
            )
            per_category[category.pk][0] += 1
            per_category[category.pk][1] += len(items)
            if t.last > latest.get(category.pk, (0.0, 0))[0]:
                latest[category.pk] = (t.last, topic_id)
            flush()
            bar.advance(len(items))
        flush(final=True)
    for category in categories:
        topic_count, post_count = per_category[category.pk]
        Category.objects.filter(pk=category.pk).update(
            topic_count=topic_count,
            post_count=post_count,
            latest_topic_id=latest.get(category.pk, (0.0, None))[1],
        )
    return tallies


def _standings(plan: Plan, ids: list[int], tallies: dict[int, Tally]) -> None:
    """Each member's standing: what they wrote and liked (from the corpus), how much they read
    and visited (drawn), and the trust level those counters earn (trust.level_for)."""
    r = random.Random(11)
    rows = []
    for user_id in ids:
        tally = tallies.get(user_id, Tally())
        active = tally.posts > 0
        standing = MemberStanding(
            user_id=user_id,
            topics_entered=r.randint(0, 60) + tally.posts,
            posts_read=r.randint(0, 400) + 5 * tally.posts,
            days_visited=r.randint(1, 40 if active else 8),
            time_read_seconds=r.randint(0, 7200) + 60 * tally.posts,
            likes_given=tally.likes_given,
            likes_received=tally.likes_received,
            topics_replied=tally.replied_in,
            topic_count=tally.topics,
            post_count=tally.posts,
            last_visit_date=when(plan.now - r.randint(0, 90) * 86400.0).date(),
            last_seen_at=when(plan.now - r.randint(0, 90) * 86400.0),
        )
        standing.trust_level = trust.level_for(standing)
        rows.append(standing)
    with Progress("member standings", len(rows)) as bar:
        for start in range(0, len(rows), BATCH):
            MemberStanding.objects.bulk_create(rows[start : start + BATCH])
            bar.advance(len(rows[start : start + BATCH]))


def build(plan: Plan) -> Built:
    started = time.perf_counter()
    step(f"Homeward: fresh database {DB.relative_to(harness.ROOT)}")
    harness.fresh_database(DB)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")  # seeding only; measurement reconnects
    org = factories.make_organisation("Bench Families", slug="bench")
    staff = factories.make_member("Bench Worker", org, Role.SUPPORT_WORKER)
    community.seed_community([], [staff])  # the categories, as the demo data makes them
    categories = [Category.objects.get(slug=slug) for slug, _, _ in CATEGORIES]
    ids = _members(plan, org)
    tallies = _seed_forum(plan, ids, categories)
    _standings(plan, ids, tallies)
    reader = factories.make_member("Bench Reader", org, Role.FAMILY)
    standing = community.set_trust_level(reader, TrustLevel.MEMBER)
    MemberStanding.objects.filter(pk=standing.pk).update(days_visited=30, topics_entered=300)
    long_topic = Topic.objects.get(pk=_next_id(Topic) - plan.sizes.topics + plan.long_index)
    # The reader has read some topics before (so lists show unread counts), the long one halfway.
    step("Homeward: the reader's reading places, search index, ANALYZE")
    read = Topic.objects.order_by("-last_posted_at").values_list("pk", "highest_post_number")
    TopicUser.objects.bulk_create(
        [
            TopicUser(topic_id=pk, user=reader, last_read_post_number=max(1, highest - 2))
            for pk, highest in read[:READER_MARKS]
            if pk != long_topic.pk
        ]
        + [TopicUser(topic=long_topic, user=reader, last_read_post_number=1000)]
    )
    _build_search_index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    profile_user = User.objects.get(pk=ids[0])  # member 0 writes the most (corpus weights)
    built = Built(reader, long_topic, "visits", profile_user, time.perf_counter() - started)
    BUILT.write_text(
        json.dumps(
            {
                "sizes": asdict(plan.sizes),
                "now": plan.now,
                "reader": reader.pk,
                "long_topic": long_topic.pk,
                "category_slug": built.category_slug,
                "profile_user": profile_user.pk,
                "seconds": built.seconds,
            }
        )
    )
    return built


def reuse(sizes: Sizes) -> tuple[Built, float] | None:
    """The database the last full build left (BENCH_REUSE=1), migrated to today's models, or
    None when there is none of these sizes."""
    from django.core.management import call_command

    if not (DB.exists() and BUILT.exists()):
        return None
    saved = json.loads(BUILT.read_text())
    corpus = {name: value for name, value in asdict(sizes).items() if name != "runs"}
    if {name: saved["sizes"].get(name) for name in corpus} != corpus:  # runs may differ
        return None
    step(f"Homeward: reusing {DB.relative_to(harness.ROOT)} (migrating it to today's models)")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if os.environ.get("BENCH_REINDEX"):
        _build_search_index()
    built = Built(
        User.objects.get(pk=saved["reader"]),
        Topic.objects.get(pk=saved["long_topic"]),
        saved["category_slug"],
        User.objects.get(pk=saved["profile_user"]),
        saved["seconds"],
    )
    return built, saved["now"]


def _build_search_index() -> None:
    """Posts were bulk-inserted, so core.search's documents are rebuilt from them here (when
    the search increment exists), with a progress bar per searchable model."""
    try:
        from homeward.core import search
    except ImportError:
        return
    reindex = getattr(search, "reindex", None)
    if not callable(reindex):
        return
    for registration in search.registered():
        with Progress(f"search: {registration.label}", registration.rows().count()) as bar:

            def progress(label: str, count: int, bar: Progress = bar) -> None:
                bar.advance(count - bar.done)

            reindex([registration.model], batch_size=2_000, progress=progress)


# Measuring ---------------------------------------------------------------------------------


def _url(candidates: list[tuple[str, list[Any]]], query: str = "") -> str | None:
    for name, args in candidates:
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            continue
    return None


@dataclass
class Row:
    result: harness.Result
    spirit: str | None = None  # the Spirit page it is compared with
    note: str = ""
    cpu_ms: float = float("nan")  # median CPU time of the timed requests (bench/cputime.py)


def _runs_of(note: str, runs: int) -> int:
    """How many timed requests a page had (fewer when measure_within_budget said so)."""
    if "timed over " in note:
        return int(note.split("timed over ")[1].split()[0])
    return runs


def measure_homeward(built: Built, runs: int) -> tuple[list[Row], list[str], harness.Result, float]:
    """Homeward's pages and the floor, timed in rounds (measure_rounds): the rows, notes, and
    the floor's figures and median CPU ms."""
    member = factories.sign_in(CpuClient(), built.reader)
    long_topic = built.long_topic
    n = long_topic.highest_post_number
    notes: list[str] = []
    latest = _url([("community:latest", [])])
    pages: list[tuple[str, str, str | None]] = []
    if latest:
        pages.append(("Latest topics", latest, "Active topics (index)"))
    else:
        pages += [
            ("Community index (categories, each with its newest topic)", "/community/", None),
            ("Home page (member: latest topics panel)", "/", None),
        ]
        notes.append(
            "No latest-topics list (`community:latest`) when this ran: the community index "
            "and the home page's latest-topics panel were measured instead, with no Spirit "
            "counterpart."
        )
    pages += [
        (
            f"Category, page 1 ({Category.objects.get(slug=built.category_slug).topic_count:,} topics)",
            f"/community/c/{built.category_slug}/",
            "Category, page 1",
        ),
        (f"Topic of {n:,} posts, first page", long_topic.get_absolute_url(), "Topic, first page"),
        (
            f"Topic of {n:,} posts, last page",
            f"{long_topic.get_absolute_url()}?page={long_topic.page_count}",
            "Topic, last page",
        ),
    ]
    search = _url([("community:search", []), ("core:search", []), ("search", [])])
    if search:
        rare = Post.objects.filter(raw__contains=RARE_WORD).count()
        common = Post.objects.filter(raw__contains=COMMON_QUERY.replace(" ", "' ")).count()
        pages += [
            (f"Search: a rare word ({rare:,} posts match)", f"{search}?q={RARE_WORD}", None),
            (
                f"Search: common words ({common:,} posts match)",
                f"{search}?q={COMMON_QUERY.replace(' ', '+')}",
                None,
            ),
        ]
    else:
        notes.append("Search: no search URL in the URLconf when this ran; not measured.")
    who = built.profile_user
    profile = _url(
        [
            (name, [arg])
            for name in ("community:profile", "community:member", "accounts:profile", "profile")
            for arg in (who.username, who.pk)
        ]
    )
    if profile:
        pages.append((f"Profile of a member with {_posts_of(who):,} posts", profile, "Profile"))
    else:
        notes.append("Profile: no profile URL in the URLconf when this ran; not measured.")
    wanted = [w.strip().lower() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    if wanted:
        pages = [p for p in pages if any(w in p[0].lower() for w in wanted)]
    rows: list[Row] = []
    # Hundreds of requests from one member would trip the rate limits (search has one): every
    # limit is raised out of reach, so the limiter still does its work but never answers 429.
    limits = dict.fromkeys([*getattr(settings, "RATE_LIMITS", {}), "search"], "1000000/1h")
    # The floor's URLconf serves every page too (bench/floor.py).
    with override_settings(RATE_LIMITS=limits, ROOT_URLCONF="bench.floor"):
        in_rounds = []
        budget = float(
            os.environ.get("BENCH_PAGE_BUDGET", "15" if NAME.endswith("quick") else "180")
        )
        for name, url, spirit in pages:
            once = _probe(member, url, float(os.environ.get("BENCH_REQUEST_LIMIT", "60")))
            if once is not None and once * (runs + 10) <= budget:
                in_rounds.append((name, url, spirit))
            else:  # too slow to share the rounds: on its own, within its budget, with a note
                _measure_into(rows, notes, member, name, url, spirit, runs)
        step(f"Homeward: {len(in_rounds)} pages and the floor, in {runs} rounds")
        floor_url = f"/bench/floor/{built.long_topic.pk}/"
        timed = measure_rounds(
            member, [(FLOOR_NAME, floor_url), *((n, u) for n, u, _ in in_rounds)], runs
        )
    (floor, floor_cpu), *measured = timed
    for (result, cpu), (_, _, spirit) in zip(measured, in_rounds, strict=True):
        rows.append(Row(result, spirit, "", cpu))
    notes.append(
        "The floor and Homeward's pages were timed in rounds, each round requesting every one "
        "of them once, so whatever else the machine was doing weighed on the floor and the "
        "pages alike (timed one after another, a busy minute could fall on one page only)."
    )
    return rows, notes, floor, floor_cpu


FLOOR_NAME = "Floor: bare view, one row, one template"


def measure_rounds(
    client: Client, pages: list[tuple[str, str]], runs: int
) -> list[tuple[harness.Result, float]]:
    """harness.measure_page's figures for each (name, url), and its median CPU ms, with every
    page requested once a round: ten rounds to warm up, then `runs` timed ones."""
    from django.test.utils import CaptureQueriesContext

    for _ in range(10):
        for _, url in pages:
            client.get(url)
    wall: dict[str, list[float]] = {url: [] for _, url in pages}
    cpu: dict[str, list[float]] = {url: [] for _, url in pages}
    size: dict[str, int] = {}
    for _ in range(runs):
        for _, url in pages:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall[url].append((time.perf_counter() - started) * 1000)
            cpu[url].append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size[url] = len(response.content)
    results = []
    for name, url in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timed = wall[url]
        result = harness.Result(
            name, statistics.median(timed), harness.p95(timed), size[url] / 1024, len(queries)
        )
        results.append((result, statistics.median(cpu[url])))
    return results


def _measure_into(
    rows: list[Row],
    notes: list[str],
    member: CpuClient,
    name: str,
    url: str,
    spirit: str | None,
    runs: int,
) -> None:
    """Time one page into `rows`, or say in `notes` why it could not be timed."""
    step(f"Homeward: {name} ({url})")
    try:
        result, note = measure_within_budget(name, member, url, runs)
    except Exception as error:  # a half-built page must not lose the rest of the run
        notes.append(f"{name} ({url}) failed, not timed: {type(error).__name__}: {error}")
        step(notes[-1])
        return
    if note:
        notes.append(note)
    if result is not None:
        rows.append(Row(result, spirit, note, member.median_of_timed(_runs_of(note, runs))))


def _probe(client: Client, url: str, limit: float) -> float | None:
    """One request's time, or None when its SQL was still running after `limit` seconds (the
    query is interrupted, so one pathological page cannot stall the run)."""
    connection.ensure_connection()
    raw = connection.connection
    timer = threading.Timer(limit, raw.interrupt)
    timer.start()
    started = time.perf_counter()
    try:
        response = client.get(url)
    except OperationalError as error:
        if "interrupt" not in str(error):
            raise
        return None
    finally:
        timer.cancel()
    took = time.perf_counter() - started
    if response.status_code == 503 and took >= limit:
        return None  # the site's error page for a database error: the interrupt
    assert response.status_code == 200, (url, response.status_code)
    return took


def measure_within_budget(
    name: str, client: Client, url: str, runs: int
) -> tuple[harness.Result | None, str]:
    """harness.measure_page, unless one request is so slow that `runs` of them would not fit
    in BENCH_PAGE_BUDGET seconds (then fewer runs, said in a note) or one request does not
    finish in BENCH_REQUEST_LIMIT seconds (then no figures, and a note saying so)."""
    budget = float(os.environ.get("BENCH_PAGE_BUDGET", "15" if NAME.endswith("quick") else "180"))
    limit = float(os.environ.get("BENCH_REQUEST_LIMIT", "60"))
    once = _probe(client, url, limit)
    if once is None:
        return None, f"{name} ({url}): one request did not finish in {limit:.0f} s; not timed."
    affordable = int(budget / once) - 10  # measure_page warms up with 10 requests first
    if affordable >= runs:
        return harness.measure_page(name, client, url, runs), ""
    fewer = max(3, min(runs, int(budget / once)))
    how = f"over {fewer} runs, not {runs}," if fewer < runs else f"over {runs} runs"
    return (
        _measure_few(name, client, url, fewer),
        f"{name}: one request took {once:.1f} s, so it was timed {how} without the ten "
        "warm-up requests.",
    )


def _measure_few(name: str, client: Client, url: str, runs: int) -> harness.Result:
    """harness.measure_page's figures for a page too slow for its ten warm-up requests."""
    from django.test.utils import CaptureQueriesContext

    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return harness.Result(
        name, statistics.median(times), harness.p95(times), size / 1024, len(queries)
    )


def _posts_of(user: User) -> int:
    standing = MemberStanding.objects.filter(user=user).first()
    return standing.post_count if standing else 0


# Spirit ------------------------------------------------------------------------------------


def spirit_venv() -> Path:
    """Spirit's own virtualenv, outside the repository; made (and django-spirit installed with
    Homeward's Django version) when missing or out of date."""
    import django

    venv = Path(os.environ.get("BENCH_SPIRIT_VENV", "/tmp/homeward-bench-spirit"))
    python = venv / "bin" / "python"
    wanted = [*SPIRIT_REQUIREMENTS, f"Django=={django.get_version()}"]
    stamp = venv / "homeward-bench.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return python
    step(f"Spirit: making a virtualenv in {venv} with {' '.join(wanted)}")
    interpreter = os.environ.get("BENCH_SPIRIT_PYTHON", "python3.11")
    subprocess.run([interpreter, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if "is ignored: it is neither" not in ln]
        raise RuntimeError("pip install failed: " + " ".join(lines[-5:]))
    stamp.write_text("\n".join(wanted))
    return python


def measure_spirit(sizes: Sizes, plan_now: float) -> dict[str, Any]:
    """Install, seed and time Spirit in its own virtualenv; the driver answers in JSON."""
    if os.environ.get("BENCH_SPIRIT", "1") == "0":
        return {"ok": False, "error": "skipped (BENCH_SPIRIT=0)"}
    try:
        python = spirit_venv()
    except (OSError, subprocess.CalledProcessError, RuntimeError) as error:
        return {"ok": False, "error": f"could not install django-spirit: {error}"}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "PYTHONPATH": str(harness.ROOT),
        "BENCH_SPIRIT_SIZES": json.dumps(asdict(sizes)),
        "BENCH_SPIRIT_NOW": repr(plan_now),
        "BENCH_SPIRIT_DB": str(DB.with_name(DB.name.replace("community", "spirit"))),
        "BENCH_SPIRIT_REUSE": os.environ.get("BENCH_REUSE", ""),
    }
    step("Spirit: seeding and measuring in its own virtualenv")
    done = subprocess.run(
        [str(python), str(SPIRIT_DIR / "driver.py")],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(SPIRIT_DIR),
    )
    try:
        answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"ok": False, "error": f"the Spirit driver failed (exit {done.returncode})"}
    return answer


# Report ------------------------------------------------------------------------------------


def _ratio(value: float, target: float, *, higher_is_better: bool) -> str:
    met = value >= target if higher_is_better else value <= target
    return f"{value:.1f}x {'✓' if met else '✗ missed'}"


def _result(fields: dict[str, Any]) -> harness.Result:
    return harness.Result(**{k: v for k, v in fields.items() if k != "cpu_ms"})


def table(record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The table and the targets missed, from a run's record (see main). Ratios use the
    wall-clock medians (the issue's figure); CPU medians follow in brackets."""
    spirit = record["spirit"]
    floor = _result(record["floor"])
    floor_cpu = record.get("floor_cpu_ms", float("nan"))
    spirit_rows = {r["name"]: r for r in spirit.get("results", [])}
    lines = [
        "| page | median ms | p95 ms | CPU median ms | size KB | SQL queries | "
        "Spirit / Homeward (≥3x) | / floor (≤3x) | queries ≤8 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    missed: list[str] = []
    for row in record["rows"]:
        r = _result(row["result"])
        cpu = row.get("cpu_ms", float("nan"))
        other = spirit_rows.get(row["spirit"] or "")
        versus = "—"
        if other is not None:
            speedup = other["median_ms"] / r.median_ms
            versus = (
                f"{_ratio(speedup, TARGET_SPIRIT, higher_is_better=True)} "
                f"({other.get('cpu_ms', float('nan')) / cpu:.1f}x)"
            )
            if speedup < TARGET_SPIRIT:
                missed.append(f"{r.name}: {speedup:.1f}x faster than Spirit")
        elif row["spirit"] and not spirit.get("ok"):
            versus = "Spirit not measured"
        over_floor = r.median_ms / floor.median_ms
        if over_floor > TARGET_FLOOR:
            missed.append(f"{r.name}: {over_floor:.1f}x the floor")
        if r.queries > TARGET_QUERIES:
            missed.append(f"{r.name}: {r.queries} queries")
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {cpu:.2f} | {r.size_kb:.1f} | "
            f"{r.queries} | {versus} | "
            f"{_ratio(over_floor, TARGET_FLOOR, higher_is_better=False)} ({cpu / floor_cpu:.1f}x) | "
            f"{'✓' if r.queries <= TARGET_QUERIES else '✗ missed'} |"
        )
    for fields in spirit_rows.values():
        r = _result(fields)
        cpu = fields.get("cpu_ms", float("nan"))
        lines.append(
            f"| Spirit: {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {cpu:.2f} | "
            f"{r.size_kb:.1f} | {r.queries} | | {r.median_ms / floor.median_ms:.1f}x "
            f"({cpu / floor_cpu:.1f}x) | |"
        )
    lines.append(
        f"| {floor.name} | {floor.median_ms:.2f} | {floor.p95_ms:.2f} | {floor_cpu:.2f} | "
        f"{floor.size_kb:.1f} | {floor.queries} | | 1.0x | |"
    )
    return lines, missed


def write(record: dict[str, Any]) -> list[str]:
    lines, missed = table(record)
    sizes = Sizes(**record["sizes"])
    spirit = record["spirit"]
    notes = list(record["notes"])
    if spirit.get("ok"):
        spirit_line = (
            f"django-spirit {spirit['spirit']} on Django {spirit['django']} in its own "
            f"virtualenv outside the repository ({spirit['venv']}), seeded with the same corpus "
            f"in {spirit['build_seconds'] / 60:.0f} min and timed with the same number of runs in "
            f"its own process, one page after another (harness.measure_page): Spirit's stock "
            f"apps, middleware and settings, "
            f"DEBUG off, SQLite WAL with Homeward's pragmas. Load average "
            f"{spirit.get('load', float('nan')):.1f} when its timing began."
        )
        notes += spirit.get("notes", [])
    else:
        spirit_line = f"django-spirit was not measured: {spirit.get('error', 'unknown error')}."
    harness.write_section(
        "Community",
        [
            f"{sizes.topics:,} topics, {sizes.posts:,} posts (one topic of "
            f"{record['long_posts']:,}), {sizes.members:,} members, with reactions, reading "
            f"places and every counter the services keep (bench/corpus.py, fixed seed); "
            + (
                f"Homeward's database took {record['build_seconds'] / 60:.0f} min to seed, on a "
                "machine busy with other work, in an earlier run whose databases this one "
                f"measured (BENCH_REUSE=1) in {record['total_seconds'] / 60:.1f} min. "
                if record.get("reused")
                else f"Homeward seeded in {record['build_seconds'] / 60:.1f} min; the whole run "
                f"took {record['total_seconds'] / 60:.1f} min. "
            )
            + f"{record['conditions']} Load average "
            f"{record['load']:.1f} when timing began (other work on the machine inflates every "
            "figure alike). Pages are requested by a signed-in member at trust level 2; "
            "community pages also record the member's visit and reading, as in real use.",
            "",
            spirit_line,
            "",
            "Targets (issue 3): each Homeward page's median at least 3x faster than the matching "
            "Spirit page, at most 3x the floor (a bare view rendering one row through a template, "
            "same process and middleware: bench/floor.py), and at most 8 SQL queries whatever "
            "the size of the data. Ratios and ✓/✗ use the wall-clock medians, as the issue asks; "
            "the ratio of CPU-time medians follows in brackets (CPU time leaves out waiting for "
            "a core, so it is the steadier comparison when the machine is busy).",
            "",
            *lines,
            "",
            *(f"- {note}" for note in notes),
            *(
                [f"- Targets missed: {'; '.join(missed)}."]
                if missed
                else ["- Every measured target met."]
            ),
        ],
    )
    return missed


def main() -> int:
    """Build, measure, keep the record in var/bench/community.json, write the section.
    BENCH_REPORT_ONLY=1 rewrites the section from the last record without measuring."""
    if os.environ.get("BENCH_REPORT_ONLY"):
        write(json.loads(RECORD.read_text()))
        return 0
    started = time.perf_counter()
    sizes = Sizes.from_env()
    step(
        f"Corpus: {sizes.topics:,} topics, {sizes.posts:,} posts, {sizes.members:,} members, "
        f"long topic {sizes.long_posts:,}, {sizes.runs} runs per page"
    )
    reused = reuse(sizes) if os.environ.get("BENCH_REUSE") else None
    if reused is None:
        plan = Plan(sizes)
        built, now = build(plan), plan.now
    else:
        built, now = reused
    load = os.getloadavg()[0]
    conditions = harness.conditions(sizes.runs)
    # The floor is timed in the same rounds as the pages (measure_homeward).
    rows, notes, floor, floor_cpu = measure_homeward(built, sizes.runs)
    spirit = measure_spirit(sizes, now)
    if not spirit.get("ok"):
        print(f"Spirit: {spirit.get('error')}", file=sys.stderr)
    record = {
        "sizes": asdict(sizes),
        "long_posts": built.long_topic.highest_post_number,
        "build_seconds": built.seconds,
        "reused": reused is not None,
        "total_seconds": time.perf_counter() - started,
        "conditions": conditions,
        "load": load,
        "rows": [
            {
                "result": asdict(row.result),
                "spirit": row.spirit,
                "note": row.note,
                "cpu_ms": row.cpu_ms,
            }
            for row in rows
        ],
        "floor": asdict(floor),
        "floor_cpu_ms": floor_cpu,
        "spirit": spirit,
        "notes": notes,
    }
    RECORD.write_text(json.dumps(record, indent=1))
    missed = write(record)
    if missed:
        print("Targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
