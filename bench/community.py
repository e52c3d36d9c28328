"""Community benchmarks: server time, response size and SQL queries for the categories page, a
busy category's conversation list and the first and last pages of a 10,000-message
conversation. Run by `make bench` once scripts/bench lists it (never by `make test`).

Like bench/prisons.py it builds its own SQLite database under var/bench/ (posts bulk-inserted,
numbered as the reply service numbers them) and drives the pages in-process with Django's test
client, so the time measured is the server's own. Targets: median ≤ 15 ms and a query count that
does not grow with the data. BENCH_DRY_RUN=1 prints the figures without touching BENCHMARKS.md."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "community.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("HOMEWARD_ENV", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
os.environ["EMAIL_URL"] = "dummy://"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Role, User  # noqa: E402
from homeward.community import factories as community  # noqa: E402
from homeward.community import services  # noqa: E402
from homeward.community.models import Category, Post, Topic, TrustLevel  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
LONG_TOPIC_POSTS = int(os.environ.get("BENCH_POSTS", "10000"))
TARGET_MS = 15.0
SECTION = "## Community"


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    size_kb: float
    queries: int


def measure(name: str, client: Client, url: str) -> Result:
    for _ in range(10):  # warm caches and template loaders
        client.get(url)
    times = []
    size = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return Result(
        name=name,
        median_ms=statistics.median(times),
        p95_ms=times[int(len(times) * 0.95) - 1],
        size_kb=size / 1024,
        queries=len(queries),
    )


def build() -> tuple[User, Topic]:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    org = factories.make_organisation("Bench Families", slug="bench")
    writers = [factories.make_member(f"Bench Writer {i}", org, Role.FAMILY) for i in range(20)]
    for writer in writers:
        community.set_trust_level(writer, TrustLevel.BASIC)
    reader = factories.make_member("Bench Reader", org, Role.FAMILY)
    staff = [factories.make_member("Bench Worker", org, Role.SUPPORT_WORKER)]
    community.seed_community(writers, staff)
    busy = Category.objects.get(slug="visits")
    for i in range(300):
        topic = services.create_topic(
            writers[i % 20], busy, title=f"Conversation number {i}", body="Hello everyone"
        )
        services.post_reply(writers[(i + 1) % 20], topic, "Thinking of you.")
    long = services.create_topic(writers[0], busy, title="The long one", body="Say hello here")
    Post.objects.bulk_create(
        (
            Post(
                topic=long,
                author=writers[n % 20],
                post_number=n,
                raw=f"Message {n}: a few kind words about the week.",
                cooked=f"<p>Message {n}: a few kind words about the week.</p>",
            )
            for n in range(2, LONG_TOPIC_POSTS + 1)
        ),
        batch_size=1000,
    )
    Topic.objects.filter(pk=long.pk).update(
        highest_post_number=LONG_TOPIC_POSTS, reply_count=LONG_TOPIC_POSTS - 1
    )
    long.refresh_from_db()
    return reader, long


def main() -> int:
    setup_test_environment()  # allows the test client's host and keeps e-mail in memory
    reader, long = build()
    member = factories.sign_in(Client(), reader)
    pages: list[tuple[str, Client, str]] = [
        ("Categories (6)", member, "/community/"),
        ("Category with 300+ conversations, page 1", member, "/community/c/visits/"),
        (
            f"Conversation of {LONG_TOPIC_POSTS:,} messages, first page",
            member,
            f"/community/t/{long.pk}/",
        ),
        (
            f"Conversation of {LONG_TOPIC_POSTS:,} messages, last page",
            member,
            f"/community/t/{long.pk}/?page={long.page_count}",
        ),
    ]
    results = [measure(name, client, url) for name, client, url in pages]
    write(results)
    slow = [r.name for r in results if r.median_ms > TARGET_MS]
    if slow:
        print(f"Over the {TARGET_MS:.0f} ms median target: {', '.join(slow)}")
    return 0


def write(results: list[Result]) -> None:
    lines = [
        SECTION,
        "",
        f"In-process server time over {RUNS} requests each (Django test client, SQLite WAL, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores), "
        f"measured {time.strftime('%Y-%m-%d %H:%M %Z')}. Target: median ≤ {TARGET_MS:.0f} ms, "
        "queries constant as the data grows. Each view also records the member's reading.",
        "",
        "| page | median ms | p95 ms | size KB | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.size_kb:.1f} | {r.queries} |"
        )
    section = "\n".join(lines) + "\n"
    print(section)
    if os.environ.get("BENCH_DRY_RUN"):
        return
    out = ROOT / "BENCHMARKS.md"
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
