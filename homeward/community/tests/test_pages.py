"""Who sees what, "new since your last visit", and query counts that stay the same however
many categories, conversations or messages there are."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from homeward.accounts.models import User
from homeward.community import factories, services, topic_levels
from homeward.community.models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Category,
    NotificationLevel,
    Post,
    Topic,
    TrustLevel,
)


def test_staff_room_is_hidden_from_families_and_not_found(family, worker_a, staff_room, visits):
    topic = services.create_topic(worker_a, staff_room, title="Rota please", body="Who's free?")
    client = sign_in(Client(), family)
    index = client.get("/community/").content.decode()
    assert "Staff room" not in index
    assert "Rota please" not in index
    assert client.get("/community/c/staff-room/").status_code == 404
    assert client.get(f"/community/t/{topic.pk}/").status_code == 404
    assert client.get("/community/c/staff-room/new/").status_code == 404
    post = topic.posts.get()
    assert client.post(f"/community/p/{post.pk}/react/", {"kind": "like"}).status_code == 404


def test_staff_read_the_staff_room(worker_b, worker_a, staff_room):
    topic = services.create_topic(worker_a, staff_room, title="Rota please", body="Who's free?")
    client = sign_in(Client(), worker_b)
    assert "Staff room" in client.get("/community/").content.decode()
    assert client.get(f"/community/t/{topic.pk}/").status_code == 200


def test_a_category_for_level_two_is_hidden_until_a_member_reaches_it(family, db):
    factories.make_category("Long-timers", slug="long-timers", read_min_trust=TrustLevel.MEMBER)
    client = sign_in(Client(), family)
    assert client.get("/community/c/long-timers/").status_code == 404
    factories.set_trust_level(family, TrustLevel.MEMBER)
    assert sign_in(Client(), family).get("/community/c/long-timers/").status_code == 200


def test_a_read_only_category_shows_no_way_to_post(family, db):
    factories.make_category("News", slug="news", post_min_trust=TrustLevel.REGULAR)
    client = sign_in(Client(), family)
    assert "Start a conversation" not in client.get("/community/c/news/").content.decode()
    assert client.get("/community/c/news/new/").status_code == 404


def test_visitors_are_asked_to_sign_in(client, topic):
    response = client.get(f"/community/t/{topic.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_marks_whats_new_since_the_members_last_visit(family, regular, topic):
    client = sign_in(Client(), family)
    assert ">New<" in client.get("/community/c/visits/").content.decode()
    client.get(f"/community/t/{topic.pk}/")
    page = client.get("/community/c/visits/").content.decode()
    assert ">New<" not in page
    assert " new<" not in page
    # New replies are counted for conversations the member tracks (test_topic_levels.py).
    topic_levels.set_level(family, topic, NotificationLevel.TRACKING)
    services.post_reply(regular, topic, "Also, wear something comfortable")
    services.post_reply(regular, topic, "And bring a snack for after")
    assert ">2 new<" in client.get("/community/c/visits/").content.decode()


def test_page_titles_are_discreet(family, regular, visits):
    topic = services.create_topic(regular, visits, title="My first prison visit", body="Help")
    page = sign_in(Client(), family).get(f"/community/t/{topic.pk}/").content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "prison" not in title.lower()


def test_out_of_range_pages_are_not_found(family, topic):
    client = sign_in(Client(), family)
    assert client.get(f"/community/t/{topic.pk}/?page=2").status_code == 404
    assert client.get(f"/community/t/{topic.pk}/?page=x").status_code == 404
    for page in ("2", "0", "x", "-1", "1.0", "99999999999999999999999"):
        assert client.get(f"/community/c/visits/?page={page}").status_code == 404, page


def test_a_category_pages_older_conversations_without_counting_them(family, regular, visits):
    for i in range(TOPICS_PER_PAGE + 2):
        services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
    client = sign_in(Client(), family)
    first = client.get("/community/c/visits/").content.decode()
    assert first.count('class="topic-row"') == TOPICS_PER_PAGE
    assert "<span>Page 1</span>" in first
    assert 'href="?page=2">Older conversations' in first
    assert "Newer conversations" not in first
    second = client.get("/community/c/visits/?page=2").content.decode()
    assert second.count('class="topic-row"') == 2
    assert "Conversation 0" in second and "Conversation 1<" in second
    assert 'href="?page=1">Newer conversations' in second
    assert "Older conversations" not in second
    assert client.get("/community/c/visits/?page=3").status_code == 404


def test_an_empty_category_has_a_first_page(family, visits):
    page = sign_in(Client(), family).get("/community/c/visits/")
    assert page.status_code == 200
    assert "No conversations here yet." in page.content.decode()


# Query counts ----------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: the first visit makes the member's standing
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_categories_page_queries_do_not_grow_with_categories(family, regular):
    client = sign_in(Client(), family)
    counts = []
    for n in (1, 12):
        for i in range(Category.objects.count(), n):
            cat = factories.make_category(f"Category {i}", slug=f"category-{i}")
            services.create_topic(regular, cat, title=f"Topic in {i}", body="Hello")
        counts.append(_count(client, "/community/"))
    assert counts[0] == counts[1]
    assert counts[1] <= 8, counts


def test_topic_list_queries_do_not_grow_with_conversations(family, regular, peer_moderator, visits):
    """3 conversations, then 33 (a full page and another after it), some pinned, some read,
    replied to, tracked or muted by the member: the same queries, at most 8."""
    client = sign_in(Client(), family)
    counts = []
    for n in (3, TOPICS_PER_PAGE + 3):
        for i in range(Topic.objects.count(), n):
            topic = services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
            if i % 4 == 0:  # a new member's first day allows 10 replies
                services.post_reply(family, topic, "Me too")
                client.get(f"/community/t/{topic.pk}/")
            if i % 5 == 1:
                topic_levels.set_level(family, topic, NotificationLevel.MUTED)
            if i % 7 == 2:
                services.set_pinned(peer_moderator, topic, pinned=True)
        counts.append(_count(client, "/community/c/visits/"))
        counts.append(_count(client, "/community/c/visits/?page=2") if n > 3 else counts[-1])
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 8, counts


def _grow(topic: Topic, authors: list, n: int) -> None:
    """Add posts straight to the table (fast), as the reply service would number them."""
    have = topic.highest_post_number
    Post.objects.bulk_create(
        Post(
            topic=topic,
            author=authors[i % len(authors)],
            post_number=i + 1,
            raw=f"Message {i + 1}",
            cooked=f"<p>Message {i + 1}</p>",
        )
        for i in range(have, n)
    )
    Topic.objects.filter(pk=topic.pk).update(highest_post_number=n, reply_count=n - 1)


@pytest.mark.parametrize("page", ["first", "last"])
def test_topic_page_queries_do_not_grow_with_messages(family, regular, peer_moderator, topic, page):
    client = sign_in(Client(), family)
    counts = []
    for n in (1, 2000):
        _grow(topic, [regular, family, peer_moderator], n)
        topic.refresh_from_db()
        number = 1 if page == "first" else topic.page_count
        counts.append(_count(client, f"/community/t/{topic.pk}/?page={number}"))
    assert counts[0] == counts[1]
    assert counts[1] <= 8, counts
    if page == "last":
        last = client.get(f"/community/t/{topic.pk}/?page={topic.page_count}").content.decode()
        assert "Message 2000" in last
        assert f"Page {2000 // POSTS_PER_PAGE}" in last


def test_home_panel_lists_latest_readable_conversations_in_one_query(
    family, regular, worker_a, staff_room, visits
):
    services.create_topic(worker_a, staff_room, title="Rota please", body="Who's free?")
    for i in range(6):
        services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
    # As each request loads the member: with their standing (settings.AUTH_USER_SELECT_RELATED).
    member = User.objects.select_related(*settings.AUTH_USER_SELECT_RELATED).get(pk=family.pk)
    with CaptureQueriesContext(connection) as queries:
        topics = services.latest_topics_for(member)
    assert len(queries) == 2  # memberships (cached for the rest of the request) + topics
    assert [t.title for t in topics] == [f"Conversation {i}" for i in (5, 4, 3, 2, 1)]


@pytest.fixture
def members_panel():
    """The members' landing-page panel, registered as it will be once switched on."""
    from homeward.community.apps import members_panel as panel
    from homeward.core import home

    saved = dict(home._panels)
    home.register(panel())
    yield
    home._panels.clear()
    home._panels.update(saved)


def test_members_landing_page_shows_latest_conversations_they_may_read(
    members_panel, family, regular, worker_a, staff_room, visits
):
    services.create_topic(worker_a, staff_room, title="Rota please", body="Who's free?")
    services.create_topic(regular, visits, title="Hello from Brighton", body="Hi")
    page = sign_in(Client(), family).get("/").content.decode()
    assert "Latest conversations" in page
    assert "Hello from Brighton" in page
    assert "Rota please" not in page


def test_members_home_page_queries_do_not_grow_with_conversations(
    members_panel, family, regular, worker_a, staff_room, visits
):
    """The landing page with its latest-conversations panel: the same queries, at most 8,
    with 3 conversations or 30 (some in the staff room, some muted by the member)."""
    client = sign_in(Client(), family)
    counts = []
    for n in (3, 30):
        for i in range(Topic.objects.count(), n):
            if i % 4 == 3:
                services.create_topic(worker_a, staff_room, title=f"Rota {i}", body="Who?")
                continue
            topic = services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
            if i % 5 == 0:
                topic_levels.set_level(family, topic, NotificationLevel.MUTED)
        counts.append(_count(client, "/"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts
    page = client.get("/").content.decode()
    assert "Conversation 29" in page and "Conversation 25" not in page  # muted
    assert "Rota" not in page


def test_a_long_conversation_has_a_short_pager():
    from homeward.community.views.pages import pager

    assert pager(1, 1) == []
    assert pager(1, 3) == [1, 2, 3]
    assert pager(250, 500) == [1, None, 248, 249, 250, 251, 252, None, 500]
    assert pager(500, 500) == [1, None, 498, 499, 500]


# Latest conversations ----------------------------------------------------------------------


def test_latest_lists_the_newest_conversations_a_member_may_read(
    family, regular, worker_a, staff_room, visits
):
    children = factories.make_category("Talking to children", slug="children")
    services.create_topic(regular, visits, title="Older in visits", body="Hi")
    services.create_topic(worker_a, staff_room, title="Rota please", body="Who's free?")
    newest = services.create_topic(regular, children, title="Newest in children", body="Hi")
    muted = services.create_topic(regular, visits, title="Muted by the family", body="Hi")
    topic_levels.set_level(family, muted, NotificationLevel.MUTED)
    page = sign_in(Client(), family).get("/community/latest/").content.decode()
    titles = [t for t in ("Newest in children", "Older in visits") if t in page]
    assert titles == ["Newest in children", "Older in visits"]
    assert page.index("Newest in children") < page.index("Older in visits")
    assert "Rota please" not in page and "Muted by the family" not in page
    assert f'In <a href="{children.get_absolute_url()}">Talking to children</a>' in page
    assert f'href="{newest.get_absolute_url()}"' in page
    staff_page = sign_in(Client(), worker_a).get("/community/latest/").content.decode()
    assert "Rota please" in staff_page and "Muted by the family" in staff_page


def test_latest_pages_older_conversations_and_refuses_pages_that_are_not(family, regular, visits):
    for i in range(TOPICS_PER_PAGE + 2):
        services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
    client = sign_in(Client(), family)
    first = client.get("/community/latest/").content.decode()
    assert first.count('class="topic-row"') == TOPICS_PER_PAGE
    assert 'href="?page=2">Older conversations' in first
    second = client.get("/community/latest/?page=2").content.decode()
    assert second.count('class="topic-row"') == 2
    assert "Conversation 0<" in second and "Conversation 1<" in second
    for page in ("3", "0", "x", "-1", "99999999999999999999999"):
        assert client.get(f"/community/latest/?page={page}").status_code == 404, page


def test_latest_is_linked_from_the_community_page(family, db):
    page = sign_in(Client(), family).get("/community/").content.decode()
    assert 'href="/community/latest/">Latest conversations</a>' in page


def test_latest_queries_do_not_grow_with_conversations(family, regular, peer_moderator, visits):
    client = sign_in(Client(), family)
    counts = []
    for n in (3, TOPICS_PER_PAGE + 3):
        for i in range(Topic.objects.count(), n):
            topic = services.create_topic(regular, visits, title=f"Conversation {i}", body="Hi")
            if i % 5 == 1:
                topic_levels.set_level(family, topic, NotificationLevel.MUTED)
            if i % 4 == 0:
                client.get(topic.get_absolute_url())
        counts.append(_count(client, "/community/latest/"))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 8, counts
