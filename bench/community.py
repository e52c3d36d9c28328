"""Community benchmarks: server time, response size and SQL queries for the categories page, a
busy category's conversation list and the first and last pages of a 10,000-message
conversation. Run by `make bench` once scripts/bench lists it (never by `make test`).

Like bench/prisons.py it builds its own SQLite database under var/bench/ (posts bulk-inserted,
numbered as the reply service numbers them) and drives the pages in-process with Django's test
client, so the time measured is the server's own. Targets: median ≤ 15 ms and a query count that
does not grow with the data. BENCH_DRY_RUN=1 prints the figures without touching BENCHMARKS.md."""

from __future__ import annotations

import os

from bench import harness

DB = harness.start("community")

from django.test import Client  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Role, User  # noqa: E402
from homeward.community import factories as community  # noqa: E402
from homeward.community import services  # noqa: E402
from homeward.community.models import Category, Post, Topic, TrustLevel  # noqa: E402

LONG_TOPIC_POSTS = int(os.environ.get("BENCH_POSTS", "10000"))
TARGET_MS = 15.0


def build() -> tuple[User, Topic]:
    harness.fresh_database(DB)
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
    results = [harness.measure_page(name, client, url) for name, client, url in pages]
    write(results)
    slow = [r.name for r in results if r.median_ms > TARGET_MS]
    if slow:
        print(f"Over the {TARGET_MS:.0f} ms median target: {', '.join(slow)}")
    return 0


def write(results: list[harness.Result]) -> None:
    harness.write_section(
        "Community",
        [
            harness.conditions()
            + " Target: median ≤ 15 ms, queries constant as the data grows. Each view also records the member's reading.",
            "",
            *harness.page_table(results),
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
