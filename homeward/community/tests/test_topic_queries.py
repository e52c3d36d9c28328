"""The conversation page costs at most 8 queries for a returning reader, however long the
conversation grows (the issue's target), and nothing is written when nothing is new."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from homeward.community import services
from homeward.community.models import POSTS_PER_PAGE, Post, Reaction, TopicUser


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(topic, author, to: int) -> None:
    for n in range(topic.posts.count(), to):
        services.post_reply(author, topic, f"Reply number {n}")


def test_topic_page_is_at_most_eight_queries_and_constant_as_it_grows(family, regular, topic):
    client = sign_in(Client(), family)
    client.get(topic.get_absolute_url())  # the first visit makes the member's standing
    counts = []
    for size in (2, 2 * POSTS_PER_PAGE + 5):
        _grow(topic, regular, size)
        topic.refresh_from_db()
        first = Post.objects.get(topic=topic, post_number=1)
        if not Reaction.objects.filter(user=family).exists():
            services.toggle_reaction(family, first, "like")
            services.toggle_bookmark(family, first)
        last_page = f"{topic.get_absolute_url()}?page={topic.page_count}"
        counts.append(
            _queries(client, last_page if topic.page_count > 1 else topic.get_absolute_url())
        )
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts


def test_reading_again_with_nothing_new_writes_nothing(family, regular, topic):
    client = sign_in(Client(), family)
    client.get(topic.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(topic.get_absolute_url())
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    services.post_reply(regular, topic, "Something new")
    client.get(topic.get_absolute_url())
    assert TopicUser.objects.get(user=family, topic=topic).last_read_post_number == 2


def test_the_page_still_shows_what_the_member_liked_and_bookmarked(family, regular, topic):
    first = topic.posts.get()
    services.toggle_reaction(family, first, "support")
    services.toggle_bookmark(family, first)
    page = sign_in(Client(), family).get(topic.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    assert "Remove bookmark" in page


def test_a_page_past_the_end_or_not_a_number_is_not_found(family, topic):
    client = sign_in(Client(), family)
    for page in ("2", "0", "x", "-1"):
        assert client.get(f"{topic.get_absolute_url()}?page={page}").status_code == 404


def test_a_category_is_read_in_its_listed_order_by_an_index(family, visits):
    """Pinned first, then by latest message: SQLite's (category, pinned_at, last_posted_at)
    index gives that order as read; PostgreSQL needs one with NULLS LAST (migration 0008),
    without which it sorted a 40,000-conversation category on every page (35 ms, 0.2 ms with
    it)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "community_topic")
    wanted = "community_topic_category_order"
    if connection.vendor == "postgresql":
        assert indexes[wanted]["columns"] == ["category_id", "pinned_at", "last_posted_at", "id"]
        assert indexes[wanted]["orders"] == ["ASC", "DESC", "DESC", "DESC"]
    else:
        assert wanted not in indexes
        assert any(
            i["columns"] == ["category_id", "pinned_at", "last_posted_at"] for i in indexes.values()
        )
