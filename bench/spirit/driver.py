"""Seed django-spirit with the community benchmark's corpus and time its pages; run by
bench/community.py with the Python of Spirit's own virtualenv (never Homeward's), from this
directory with the repository on PYTHONPATH. Progress goes to stderr; the last line on stdout is
JSON: {"ok": true, "results": [...], ...} or {"ok": false, "error": "..."}.

Environment (set by bench/community.py): BENCH_SPIRIT_SIZES (JSON of corpus.Sizes),
BENCH_SPIRIT_NOW (the corpus's clock, so both forums have the same times), BENCH_SPIRIT_DB.

The data mirrors Homeward's: the same members (with Spirit profiles and their counters), the
same five categories, topics (comment counts, last activity, pins) and posts as comments (HTML
made at write time, as Spirit stores it), likes with their counters, and for every author of a
topic the rows Spirit's comment_posted() keeps (a TopicNotification and a TopicUnread). The
signed-in reader has read 300 recent topics and the long one halfway (CommentBookmark)."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BATCH = 5_000
READER_MARKS = 300


def when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def setup() -> Path:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.spirit.settings"
    import django
    from django.template.base import Template
    from django.test.utils import setup_test_environment

    django.setup()
    render = Template._render
    setup_test_environment()
    # Without the test client's per-template context copies, as bench/community.py does.
    Template._render = render
    return Path(os.environ["BENCH_SPIRIT_DB"])


def fresh_database(db: Path) -> None:
    from django.conf import settings
    from django.core.management import call_command

    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def seed(plan: Any) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils.text import slugify
    from spirit.category.models import Category
    from spirit.comment.bookmark.models import CommentBookmark
    from spirit.comment.like.models import CommentLike
    from spirit.comment.models import Comment
    from spirit.topic.models import Topic
    from spirit.topic.notification.models import TopicNotification
    from spirit.topic.unread.models import TopicUnread
    from spirit.user.models import UserProfile

    from bench.corpus import CATEGORIES, member_name
    from bench.progress import Progress, step

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")  # seeding only
    categories = []
    for position, (_, title, _) in enumerate(CATEGORIES):
        categories.append(
            Category.objects.create(title=title, slug=slugify(title), sort=position + 1)
        )

    def next_id(model: Any) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    sizes = plan.sizes
    password = make_password("bench-not-a-real-password")
    joined = when(plan.now - 800 * 86400.0)
    first_user = next_id(User)
    ids = [first_user + i for i in range(sizes.members)]
    with Progress("members", sizes.members) as bar:
        for start in range(0, sizes.members, BATCH):
            stop = min(sizes.members, start + BATCH)
            User.objects.bulk_create(
                User(id=ids[i], username=member_name(i), password=password, date_joined=joined)
                for i in range(start, stop)
            )
            bar.advance(stop - start)

    topic_counts: dict[int, int] = defaultdict(int)
    comment_counts: dict[int, int] = defaultdict(int)
    topic_base = next_id(Topic) - 1
    comment_id = next_id(Comment)
    topics: list[Any] = []
    comments: list[Any] = []
    likes: list[Any] = []
    notes: list[Any] = []
    unread: list[Any] = []

    def flush(final: bool = False) -> None:
        if topics and (final or len(topics) >= 1000):
            Topic.objects.bulk_create(topics)
            topics.clear()
        if not topics:
            for rows, model in (
                (comments, Comment),
                (likes, CommentLike),
                (notes, TopicNotification),
                (unread, TopicUnread),
            ):
                if rows and (final or len(rows) >= BATCH):
                    model.objects.bulk_create(rows)
                    rows.clear()

    with Progress("topics and comments", sizes.posts) as bar:
        for t in plan.topics():
            topic_id = topic_base + 1 + t.index
            items = plan.posts(t)
            first_comment: dict[int, int] = {}
            for item in items:
                author = ids[item.author]
                comments.append(
                    Comment(
                        id=comment_id,
                        user_id=author,
                        topic_id=topic_id,
                        comment=plan.texts[item.text],
                        comment_html=plan.cooked_texts[item.text],
                        date=when(item.at),
                        likes_count=len(item.likers),
                        ip_address="127.0.0.1",
                    )
                )
                for giver in item.likers:
                    likes.append(
                        CommentLike(user_id=ids[giver], comment_id=comment_id, date=when(item.at))
                    )
                first_comment.setdefault(author, comment_id)
                comment_counts[author] += 1
                comment_id += 1
            topic_counts[ids[t.author]] += 1
            for member, comment in first_comment.items():
                notes.append(
                    TopicNotification(
                        user_id=member,
                        topic_id=topic_id,
                        comment_id=comment,
                        date=when(t.created),
                        action=TopicNotification.COMMENT,
                        is_read=True,
                        is_active=True,
                    )
                )
                unread.append(
                    TopicUnread(user_id=member, topic_id=topic_id, date=when(t.last), is_read=True)
                )
            topics.append(
                Topic(
                    id=topic_id,
                    user_id=ids[t.author],
                    category=categories[t.category],
                    title=t.title,
                    slug=slugify(t.title),
                    date=when(t.created),
                    last_active=when(t.last),
                    reindex_at=when(t.last),
                    is_pinned=t.pinned,
                    view_count=len(items) * 7,
                    comment_count=len(items),
                )
            )
            flush()
            bar.advance(len(items))
        flush(final=True)

    with Progress("profiles", sizes.members) as bar:
        for start in range(0, sizes.members, BATCH):
            stop = min(sizes.members, start + BATCH)
            UserProfile.objects.bulk_create(
                UserProfile(
                    user_id=ids[i],
                    slug=slugify(member_name(i)),
                    nickname=member_name(i),
                    is_verified=True,
                    last_ip="127.0.0.1",
                    topic_count=topic_counts[ids[i]],
                    comment_count=comment_counts[ids[i]],
                )
                for i in range(start, stop)
            )
            bar.advance(stop - start)

    step("Spirit: the reader, reading places, ANALYZE")
    reader = User.objects.create(username="bench-reader", password=password, date_joined=joined)
    UserProfile.objects.update_or_create(
        user=reader,
        defaults={
            "slug": "bench-reader",
            "nickname": "Bench Reader",
            "is_verified": True,
            "last_ip": "127.0.0.1",
        },
    )
    long_topic = Topic.objects.get(pk=topic_base + 1 + plan.long_index)
    recent = Topic.objects.order_by("-last_active").values_list("pk", "comment_count")
    CommentBookmark.objects.bulk_create(
        [
            CommentBookmark(user=reader, topic_id=pk, comment_number=max(1, count - 2))
            for pk, count in recent[:READER_MARKS]
            if pk != long_topic.pk
        ]
        + [CommentBookmark(user=reader, topic=long_topic, comment_number=1000)]
    )
    TopicUnread.objects.bulk_create(
        [
            TopicUnread(user=reader, topic_id=pk, is_read=True)
            for pk, _ in recent[:READER_MARKS]
            if pk != long_topic.pk
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    busiest = User.objects.get(pk=ids[0])
    return {
        "reader": reader,
        "long_topic": long_topic,
        "category": categories[1],
        "profile_user": busiest,
    }


def _same_corpus(saved: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """The same data, whatever the number of timed runs (which may differ between runs)."""
    return {k: v for k, v in saved.items() if k != "runs"} == {
        k: v for k, v in wanted.items() if k != "runs"
    }


def load(saved: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from spirit.category.models import Category
    from spirit.topic.models import Topic

    return {
        "reader": User.objects.get(pk=saved["reader"]),
        "long_topic": Topic.objects.get(pk=saved["long_topic"]),
        "category": Category.objects.get(pk=saved["category"]),
        "profile_user": User.objects.get(pk=saved["profile_user"]),
    }


def measure(built: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from dataclasses import asdict

    from django.urls import reverse
    from djconfig import config

    from bench import harness
    from bench.cputime import CpuClient
    from bench.progress import step

    client = CpuClient()
    client.force_login(built["reader"])
    topic = built["long_topic"]
    category = built["category"]
    who = built["profile_user"]
    client.get(topic.get_absolute_url())  # loads djconfig's settings into `config`
    per_page = int(config.comments_per_page)
    last = -(-topic.comment_count // per_page)
    pages = [
        ("Active topics (index)", reverse("spirit:index")),
        ("Category, page 1", category.get_absolute_url()),
        ("Topic, first page", topic.get_absolute_url()),
        ("Topic, last page", f"{topic.get_absolute_url()}?page={last}"),
        (
            "Profile",
            reverse("spirit:user:detail", kwargs={"pk": who.pk, "slug": who.st.slug}),
        ),
    ]
    results = []
    for name, url in pages:
        step(f"Spirit: {name} ({url})")
        result = asdict(harness.measure_page(name, client, url, runs))
        results.append({**result, "cpu_ms": client.median_of_timed(runs)})
    return results


def main() -> None:
    try:
        db = setup()
        import django
        import spirit

        from bench.corpus import Plan, Sizes
        from bench.progress import step

        sizes = Sizes(**json.loads(os.environ["BENCH_SPIRIT_SIZES"]))
        plan = Plan(sizes, now=float(os.environ["BENCH_SPIRIT_NOW"]))
        marker = db.with_suffix(".built.json")
        saved = json.loads(marker.read_text()) if marker.exists() else None
        if (
            os.environ.get("BENCH_SPIRIT_REUSE")
            and db.exists()
            and saved
            and _same_corpus(saved["sizes"], json.loads(os.environ["BENCH_SPIRIT_SIZES"]))
        ):
            step(f"Spirit: reusing {db}")
            built = load(saved)
            build_seconds = saved["seconds"]
        else:
            started = time.perf_counter()
            step(f"Spirit: fresh database {db}")
            fresh_database(db)
            built = seed(plan)
            build_seconds = time.perf_counter() - started
            marker.write_text(
                json.dumps(
                    {
                        "sizes": json.loads(os.environ["BENCH_SPIRIT_SIZES"]),
                        "seconds": build_seconds,
                        **{key: obj.pk for key, obj in built.items()},
                    }
                )
            )
        load_average = os.getloadavg()[0]
        results = measure(built, sizes.runs)
        answer = {
            "ok": True,
            "spirit": getattr(spirit, "__version__", "?"),
            "django": django.get_version(),
            "venv": sys.prefix,
            "build_seconds": build_seconds,
            "load": load_average,
            "results": results,
            "notes": [
                "Spirit shows 20 comments a page and lists topics 20 a page (its defaults); "
                "Homeward shows 20 posts and 30 topics.",
                "Spirit's search (Haystack with Whoosh) was not measured: indexing the corpus "
                "in Whoosh is outside a benchmark run's time.",
            ],
        }
    except Exception as error:  # the report says why Spirit could not be measured
        traceback.print_exc()
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(answer, default=str))


if __name__ == "__main__":
    main()
