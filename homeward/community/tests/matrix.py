"""Permission-matrix entries for the community (merged by homeward/core/tests/matrix.py).

Every page needs a sign-in. Members read and write in ordinary categories; the staff room is for
staff only (tested in test_permissions.py). Editing is for a message's author; reacting is for
anyone but its author; pinning, closing, removing and reading earlier versions are for staff and
peer moderators. Everyone else gets 404, so nobody learns what they may not see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from homeward.community import factories, services
from homeward.community.models import Bookmark, Post, Reaction, Topic
from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    STAFF,
    STAFF_ONLY,
    TO_LOGIN,
    Entry,
    PostCheck,
    Scene,
    WrongMethod,
    answers,
    ceilings,
    override,
    redirect,
)

TITLE = "First visit next week"
STAFF_TITLE = "Holiday rota"
MODERATORS = (*STAFF, "platform_admin", "peer_moderator")


def _world(scene: Scene) -> Topic:
    """A conversation started by the trusted family member, a reply by the new family member,
    and a conversation in the staff room."""
    topic = Topic.objects.filter(title=TITLE).first()
    if topic is not None:
        return topic
    visits = factories.make_category("Visits and keeping in touch", slug="visits")
    staff_room = factories.make_category("Staff room", slug="staff-room", staff_only=True)
    author, family, worker = (scene.user(r) for r in ("trusted_family", "family", "worker_a"))
    assert author is not None and family is not None and worker is not None
    topic = services.create_topic(author, visits, title=TITLE, body="What should I bring?")
    services.post_reply(family, topic, "Your ID, and a pound coin for the locker.")
    services.create_topic(worker, staff_room, title=STAFF_TITLE, body="Who can cover?")
    return topic


def _topic(scene: Scene) -> dict[str, Any]:
    return {"pk": _world(scene).pk}


def _category(scene: Scene) -> dict[str, Any]:
    _world(scene)
    return {"slug": "visits"}


def _reply(scene: Scene) -> Post:
    return Post.objects.get(topic=_world(scene), post_number=2)


def _reply_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _reply(scene).pk}


def _topic_url(scene: Scene) -> str:
    return reverse("community:topic", args=[_world(scene).pk])


def _newest_topic_url(scene: Scene) -> str:
    newest = Topic.objects.order_by("-pk").first()
    assert newest is not None
    return reverse("community:topic", args=[newest.pk])


def _staff_room(scene: Scene, role: str) -> list[str]:
    return [] if role in (*STAFF, "platform_admin") else ["Staff room", STAFF_TITLE]


def _bookmarked_by_family(scene: Scene) -> None:
    family = scene.user("family")
    assert family is not None
    if not Bookmark.objects.filter(user=family).exists():
        services.toggle_bookmark(family, _reply(scene))


def _family_bookmarks(scene: Scene, role: str) -> list[str]:
    return [] if role == "family" else [TITLE]


POST_ONLY = answers(anonymous=NOT_ALLOWED, members=NOT_ALLOWED, staff=NOT_ALLOWED)
TO_TOPIC = answers(anonymous=TO_LOGIN, members=redirect(_topic_url), staff=redirect(_topic_url))
MODERATORS_TO_TOPIC = override(
    answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect(_topic_url)),
    peer_moderator=redirect(_topic_url),
)
# The first visit to the community makes the member's standing row (three queries more).
# worker_a and the peer moderator posted while the scene was set up, so theirs exists.

ENTRIES = {
    "community:index": Entry(
        get=SIGNED_IN,
        setup=_world,
        absent=_staff_room,
        queries=ceilings(member=7, peer_moderator=10, staff=13, worker_a=10, platform_admin=12),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:category": Entry(
        get=SIGNED_IN,
        kwargs=_category,
        queries=ceilings(member=10, peer_moderator=13, staff=16, worker_a=13, platform_admin=15),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:topic": Entry(
        get=SIGNED_IN,
        kwargs=_topic,
        queries=ceilings(member=14, peer_moderator=18, staff=21, worker_a=18, platform_admin=20),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:bookmarks": Entry(
        get=SIGNED_IN,
        setup=_bookmarked_by_family,
        absent=_family_bookmarks,
        queries=ceilings(member=6, peer_moderator=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:progress": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=8, staff=11, platform_admin=10),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:topic_new": Entry(
        get=SIGNED_IN,
        kwargs=_category,
        queries=ceilings(member=6, peer_moderator=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"title": "Hello from Brighton", "body": "Glad to be here."},
            state=lambda s: Topic.objects.count(),
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect(_newest_topic_url),
                staff=redirect(_newest_topic_url),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:reply": Entry(
        get=POST_ONLY,
        kwargs=_topic,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"body": "Thinking of you this weekend."},
            state=lambda s: Post.objects.count(),
            answers=TO_TOPIC,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    # Only the reply's author (the family member) may edit it.
    "community:post_edit": Entry(
        get=override(answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=NOT_FOUND), family=OK),
        kwargs=_reply_kwargs,
        queries=ceilings(family=6),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"body": "Your ID, and a pound coin for the locker. Good luck!"},
            state=lambda s: Post.objects.get(pk=_reply(s).pk).raw,
            answers=override(
                answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=NOT_FOUND),
                family=redirect(_topic_url),
            ),
            changes=frozenset({"family"}),
        ),
    ),
    "community:react": Entry(
        get=POST_ONLY,
        kwargs=_reply_kwargs,
        wrong_method=WrongMethod("get", "trusted_family"),
        post=PostCheck(
            data=lambda s: {"kind": "support"},
            state=lambda s: (
                Post.objects.get(pk=_reply(s).pk).support_count,
                Reaction.objects.count(),
            ),
            answers=override(TO_TOPIC, family=NOT_FOUND),  # not on your own message
            changes=frozenset(SIGNED_IN_ROLES) - {"family"},
        ),
    ),
    "community:bookmark": Entry(
        get=POST_ONLY,
        kwargs=_reply_kwargs,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: sorted(Bookmark.objects.values_list("user_id", "post_id")),
            answers=TO_TOPIC,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:topic_pin": Entry(
        get=POST_ONLY,
        kwargs=_topic,
        wrong_method=WrongMethod("get", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {"pinned": "1"},
            state=lambda s: Topic.objects.get(pk=_world(s).pk).pinned_at,
            answers=MODERATORS_TO_TOPIC,
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:topic_close": Entry(
        get=POST_ONLY,
        kwargs=_topic,
        wrong_method=WrongMethod("get", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {"closed": "1"},
            state=lambda s: Topic.objects.get(pk=_world(s).pk).closed_at,
            answers=MODERATORS_TO_TOPIC,
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:post_delete": Entry(
        get=POST_ONLY,
        kwargs=_reply_kwargs,
        wrong_method=WrongMethod("get", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Post.objects.get(pk=_reply(s).pk).deleted_at,
            answers=MODERATORS_TO_TOPIC,
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:post_history": Entry(
        get=override(STAFF_ONLY, peer_moderator=OK),
        kwargs=_reply_kwargs,
        queries=ceilings(peer_moderator=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "peer_moderator"),
    ),
}

ADMIN_QUERIES: dict[str, int] = {"admin:community_category_changelist": 10}
