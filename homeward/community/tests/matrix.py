"""Permission-matrix entries for the community (merged by homeward/core/tests/matrix.py).

Every page needs a sign-in. Members read and write in ordinary categories; the staff room is for
staff only (tested in test_permissions.py). Editing is for a message's author; reacting is for
anyone but its author; pinning, closing, removing and reading earlier versions are for staff and
peer moderators. Everyone else gets 404, so nobody learns what they may not see."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from PIL import Image

from homeward.community import conversations, factories, moderation, polls, services
from homeward.community.models import (
    Bookmark,
    Conversation,
    Draft,
    Flag,
    MemberIgnore,
    ModeratorNote,
    Poll,
    PollOption,
    Post,
    PostPicture,
    Reaction,
    ReviewItem,
    Topic,
    TopicUser,
    TrustLevel,
    WatchedWord,
)
from homeward.community.models.pictures import picture_storage
from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ORG_STAFF,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    STAFF,
    STAFF_A,
    STAFF_ONLY,
    TO_LOGIN,
    Answer,
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

# Private conversations, flags and the review queue ------------------------------------------

SUBJECT = "Saturday's visit"
FLAG_NOTE = "This names someone's son"
REPORTED_TEXT = "Send me your address"


def _convo(scene: Scene) -> Conversation:
    """The trusted family member (level 2) writes privately to the new family member."""
    convo = Conversation.objects.filter(subject=SUBJECT).first()
    if convo is not None:
        return convo
    trusted, family = scene.user("trusted_family"), scene.user("family")
    assert trusted is not None and family is not None
    factories.set_trust_level(trusted, TrustLevel.MEMBER)
    return conversations.start_conversation(
        trusted, [family], subject=SUBJECT, body="How did it go on Saturday?"
    )


def _convo_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _convo(scene).pk}


def _convo_url(scene: Scene) -> str:
    return reverse("community:conversation", args=[_convo(scene).pk])


def _newest_convo_url(scene: Scene) -> str:
    newest = Conversation.objects.order_by("-pk").first()
    assert newest is not None
    return reverse("community:conversation", args=[newest.pk])


def _first_message_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _convo(scene).messages.get(number=1).pk}


def _not_in_convo(scene: Scene, role: str) -> list[str]:
    return [] if role in ("family", "trusted_family") else [SUBJECT]


def _flagged(scene: Scene) -> ReviewItem:
    """The new member's reply, flagged by the peer moderator; and, in a private conversation,
    a message the new member reported."""
    item = ReviewItem.objects.filter(post__isnull=False).first()
    if item is not None:
        return item
    moderator, family = scene.user("peer_moderator"), scene.user("family")
    assert moderator is not None and family is not None
    flag = moderation.flag_post(moderator, _reply(scene), "identifies", FLAG_NOTE)
    convo = _convo(scene)
    sent = conversations.send_message(convo.created_by, convo, REPORTED_TEXT)  # type: ignore[arg-type]
    moderation.report_message(family, sent, "unkind")
    return ReviewItem.objects.get(post=flag.post)


def _review_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _flagged(scene).pk}


def _private_report_hidden(scene: Scene, role: str) -> list[str]:
    """Peer moderators work the forum's flags, not families' private messages."""
    return [REPORTED_TEXT] if role == "peer_moderator" else []


def _trusted_can_flag(scene: Scene) -> None:
    _world(scene)
    trusted = scene.user("trusted_family")
    assert trusted is not None
    factories.set_trust_level(trusted, TrustLevel.BASIC)


def _family_kwargs(scene: Scene) -> dict[str, Any]:
    family = scene.user("family")
    assert family is not None
    return {"pk": family.pk}


def _a_watched_word(scene: Scene) -> dict[str, Any]:
    word, _ = WatchedWord.objects.get_or_create(word="casino", defaults={"action": "block"})
    return {"pk": word.pk}


MEMBERS_IN_CONVO = answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=NOT_FOUND)
FORBIDDEN = Answer(403)
BAD_INPUT = Answer(400)
MODERATOR_PAGE = override(STAFF_ONLY, peer_moderator=OK)
TO_QUEUE = override(
    answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("community:review_queue")),
    peer_moderator=redirect("community:review_queue"),
)

ENTRIES = {
    "community:index": Entry(
        get=SIGNED_IN,
        setup=_world,
        absent=_staff_room,
        queries=ceilings(member=7, peer_moderator=10, staff=13, worker_a=10, platform_admin=12),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:latest": Entry(
        get=SIGNED_IN,
        setup=_world,
        absent=_staff_room,
        queries=ceilings(member=7, peer_moderator=10, staff=13, worker_a=10, platform_admin=12),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:category": Entry(
        get=SIGNED_IN,
        kwargs=_category,
        # No count of the category's conversations: a row more than a page says there's more.
        queries=ceilings(member=7, peer_moderator=10, staff=13, worker_a=10, platform_admin=12),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:topic": Entry(
        get=SIGNED_IN,
        kwargs=_topic,
        # A returning reader: 8 (test_topic_queries.py); first visits make the standing row.
        queries=ceilings(member=8, peer_moderator=12, staff=15, worker_a=12, platform_admin=14),
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
        # One more than before: the member's unfinished draft, if any.
        queries=ceilings(member=7, peer_moderator=6, staff=9, platform_admin=8),
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
        queries=ceilings(peer_moderator=6, staff=11, platform_admin=10),
        wrong_method=WrongMethod("post", "peer_moderator"),
    ),
    # Quoting the new member's reply: the reply form, starting with the quote (everyone here
    # may reply in this category, the reply's author too). The message with its conversation
    # and writer is one query, the member's unfinished reply another.
    "community:quote": Entry(
        get=SIGNED_IN,
        kwargs=_reply_kwargs,
        queries=ceilings(member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "family"),
    ),
    # A message's lasting address (quotes link to it): on to where the message is now.
    "community:post": Entry(
        get=TO_TOPIC,
        kwargs=_reply_kwargs,
        wrong_method=WrongMethod("post", "family"),
    ),
}


def _second_category(scene: Scene) -> dict[str, Any]:
    _world(scene)
    return {"category": factories.make_category("Talking to children", slug="children").pk}


def _newest_topic_path(scene: Scene) -> str:
    return _newest_topic_url(scene)


ENTRIES |= {
    "community:topic_split": Entry(
        get=MODERATOR_PAGE,
        kwargs=_topic,
        queries=ceilings(peer_moderator=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("put", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {"from_number": "2", "title": "Lockers and coins"},
            state=lambda s: Topic.objects.count(),
            answers=override(
                answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect(_newest_topic_path)),
                peer_moderator=redirect(_newest_topic_path),
            ),
            changes=frozenset(MODERATORS),
        ),
    ),
    # Level 4 (given by staff) and moderators; nobody among the named members is level 4.
    "community:topic_move": Entry(
        get=MODERATOR_PAGE,
        kwargs=_topic,
        queries=ceilings(peer_moderator=7, staff=10, platform_admin=9),
        wrong_method=WrongMethod("put", "peer_moderator"),
        post=PostCheck(
            data=_second_category,
            state=lambda s: Topic.objects.get(pk=_world(s).pk).category_id,
            answers=MODERATORS_TO_TOPIC,
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:conversations": Entry(
        get=SIGNED_IN,
        setup=_convo,
        absent=_not_in_convo,
        queries=ceilings(member=7, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "family"),
    ),
    # Everyone signed in gets the page: a new member (level 0) sees why they can't start one yet.
    "community:conversation_new": Entry(
        get=SIGNED_IN,
        setup=_convo,
        queries=ceilings(member=5, family=8, staff=7, platform_admin=6),
        wrong_method=WrongMethod("put", "trusted_family"),
        post=PostCheck(
            data=lambda s: {"to": "Robin Mum 7", "subject": "Hello", "body": "Thinking of you."},
            state=lambda s: Conversation.objects.count(),
            answers=override(
                answers(
                    anonymous=TO_LOGIN,
                    members=redirect(_newest_convo_url),
                    staff=redirect(_newest_convo_url),
                ),
                family=FORBIDDEN,
            ),
            changes=frozenset(SIGNED_IN_ROLES) - {"family"},
        ),
    ),
    "community:people": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"name": "Willow Nan 3", "kind": "block"},
            state=lambda s: sorted(MemberIgnore.objects.values_list("user_id", "other_id")),
            answers=override(
                answers(
                    anonymous=TO_LOGIN,
                    members=redirect("community:people"),
                    staff=redirect("community:people"),
                ),
                trusted_family=BAD_INPUT,  # not yourself
            ),
            changes=frozenset(SIGNED_IN_ROLES) - {"trusted_family"},
        ),
    ),
    "community:conversation": Entry(
        get=override(MEMBERS_IN_CONVO, family=OK, trusted_family=OK),
        kwargs=_convo_kwargs,
        queries=ceilings(family=10, trusted_family=9),
        wrong_method=WrongMethod("post", "family"),
    ),
    "community:conversation_reply": Entry(
        get=POST_ONLY,
        kwargs=_convo_kwargs,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"body": "It went well, thank you."},
            state=lambda s: Conversation.objects.get(pk=_convo(s).pk).message_count,
            answers=override(
                MEMBERS_IN_CONVO,
                family=redirect(_convo_url),
                trusted_family=redirect(_convo_url),
            ),
            changes=frozenset({"family", "trusted_family"}),
        ),
    ),
    # The trusted member wrote message 1: the new member may report it; nobody may report
    # their own message; nobody outside the conversation learns it exists.
    "community:message_report": Entry(
        get=override(MEMBERS_IN_CONVO, family=OK),
        kwargs=_first_message_kwargs,
        queries=ceilings(family=5),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"reason": "unkind"},
            state=lambda s: (
                Flag.objects.count(),
                Conversation.objects.get(pk=_convo(s).pk).reported_at is not None,
            ),
            answers=override(MEMBERS_IN_CONVO, family=redirect(_convo_url)),
            changes=frozenset({"family"}),
        ),
    ),
    # Flagging opens at level 1 (the trusted member is set to level 1 here); the new member
    # (level 0) can't, and nobody flags their own message (the reply is the new member's).
    "community:flag": Entry(
        get=override(SIGNED_IN, family=NOT_FOUND),
        kwargs=_reply_kwargs,
        setup=_trusted_can_flag,
        queries=ceilings(member=6, staff=8, platform_admin=7),
        wrong_method=WrongMethod("put", "trusted_family"),
        post=PostCheck(
            data=lambda s: {"reason": "other", "note": "Feels like advertising"},
            state=lambda s: Flag.objects.count(),
            answers=override(TO_TOPIC, family=NOT_FOUND),
            changes=frozenset(SIGNED_IN_ROLES) - {"family"},
        ),
    ),
    "community:review_queue": Entry(
        get=MODERATOR_PAGE,
        setup=_flagged,
        absent=_private_report_hidden,
        queries=ceilings(peer_moderator=6, staff=11, platform_admin=10),
        wrong_method=WrongMethod("post", "peer_moderator"),
    ),
    "community:review_act": Entry(
        get=POST_ONLY,
        kwargs=_review_kwargs,
        wrong_method=WrongMethod("get", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {"action": "approve"},
            state=lambda s: ReviewItem.objects.get(pk=_flagged(s).pk).status,
            answers=TO_QUEUE,
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:member_record": Entry(
        get=MODERATOR_PAGE,
        kwargs=_family_kwargs,
        queries=ceilings(peer_moderator=10, staff=15, platform_admin=14),
        wrong_method=WrongMethod("put", "peer_moderator"),
        post=PostCheck(
            data=lambda s: {"action": "note", "text": "Rang her on Tuesday: doing better."},
            state=lambda s: ModeratorNote.objects.count(),
            answers=override(
                answers(
                    anonymous=TO_LOGIN,
                    members=NOT_FOUND,
                    staff=redirect(
                        lambda s: reverse("community:member_record", kwargs=_family_kwargs(s))
                    ),
                ),
                peer_moderator=redirect(
                    lambda s: reverse("community:member_record", kwargs=_family_kwargs(s))
                ),
            ),
            changes=frozenset(MODERATORS),
        ),
    ),
    "community:watched_words": Entry(
        get=STAFF_ONLY,
        queries=ceilings(staff=10, platform_admin=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"word": "hopeless", "action": "crisis"},
            state=lambda s: list(WatchedWord.objects.values_list("word", flat=True)),
            answers=answers(
                anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("community:watched_words")
            ),
            changes=frozenset({*STAFF, "platform_admin"}),
        ),
    ),
    "community:watched_word_delete": Entry(
        get=POST_ONLY,
        kwargs=_a_watched_word,
        wrong_method=WrongMethod("get", "worker_a"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: WatchedWord.objects.count(),
            answers=answers(
                anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("community:watched_words")
            ),
            changes=frozenset({*STAFF, "platform_admin"}),
        ),
    ),
}


def _org_a_line(scene: Scene) -> dict[str, Any]:
    from homeward.community.models import SupportContact

    line, _ = SupportContact.objects.get_or_create(
        organisation=scene.org_a, name="Our helpline", defaults={"how": "Call 01273 000000"}
    )
    return {"pk": line.pk}


def _org_lines(scene: Scene) -> list[tuple[int, str]]:
    from homeward.community.models import SupportContact

    return sorted(SupportContact.objects.values_list("organisation_id", "name"))


# An organisation's own support lines: its staff; a platform admin has no organisation.
ENTRIES |= {
    "community:support_lines": Entry(
        get=ORG_STAFF,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"name": "Our helpline", "how": "Call 01273 000000"},
            state=_org_lines,
            answers=override(
                answers(
                    anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("community:support_lines")
                ),
                platform_admin=NOT_FOUND,
            ),
            changes=frozenset(STAFF),
        ),
    ),
    # Organisation A's line: organisation B's worker gets 404, as for a line that isn't there.
    "community:support_line_delete": Entry(
        get=POST_ONLY,
        kwargs=_org_a_line,
        wrong_method=WrongMethod("get", "worker_a"),
        post=PostCheck(
            data=lambda s: {},
            state=_org_lines,
            answers=override(
                answers(
                    anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("community:support_lines")
                ),
                worker_b=NOT_FOUND,
                platform_admin=NOT_FOUND,
            ),
            changes=frozenset(STAFF_A),
        ),
    ),
}

# The community's health, week by week (aggregate figures): staff of any organisation and
# platform admins; peer moderators and families get 404. Set up with a flagged message so the
# figures have something to count.
ENTRIES |= {
    "community:health": Entry(
        get=STAFF_ONLY,
        setup=_flagged,
        queries=ceilings(staff=15, platform_admin=14),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "community:health_csv": Entry(
        get=STAFF_ONLY,
        setup=_flagged,
        queries=ceilings(staff=14, platform_admin=13),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
}

# Notification levels, drafts and polls -----------------------------------------------------

POLL_TITLE = "Which visit slot suits you?"


def _poll_topic(scene: Scene) -> Topic:
    """A conversation with a poll, started by the trusted family member."""
    _world(scene)
    topic = Topic.objects.filter(title=POLL_TITLE).first()
    if topic is not None:
        return topic
    author = scene.user("trusted_family")
    assert author is not None
    visits = Topic.objects.get(title=TITLE).category
    spec = polls.PollSpec("Morning or afternoon?", ["Morning", "Afternoon"])
    return services.create_topic(author, visits, title=POLL_TITLE, body="Tell us", poll=spec)


def _poll_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _poll_topic(scene).pk}


def _poll_url(scene: Scene) -> str:
    return reverse("community:topic", args=[_poll_topic(scene).pk])


def _topic_new_url(scene: Scene) -> str:
    return reverse("community:topic_new", args=["visits"])


TO_POLL = answers(anonymous=TO_LOGIN, members=redirect(_poll_url), staff=redirect(_poll_url))
AUTHOR_OR_MODERATORS_TO_POLL = override(
    answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect(_poll_url)),
    peer_moderator=redirect(_poll_url),
    trusted_family=redirect(_poll_url),
)

ENTRIES |= {
    "community:topic_level": Entry(
        get=POST_ONLY,
        kwargs=_topic,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"level": "0"},
            state=lambda s: sorted(
                TopicUser.objects.filter(notification_level=0).values_list("user_id", "topic_id")
            ),
            answers=TO_TOPIC,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:reply_draft": Entry(
        get=POST_ONLY,
        kwargs=_topic,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"body": "I wanted to say"},
            state=lambda s: sorted(Draft.objects.values_list("user_id", "topic_id", "body")),
            answers=TO_TOPIC,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:topic_draft": Entry(
        get=POST_ONLY,
        kwargs=_category,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"title": "Half a title", "body": "I wanted to ask"},
            state=lambda s: sorted(Draft.objects.values_list("user_id", "category_id", "title")),
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect(_topic_new_url),
                staff=redirect(_topic_new_url),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:poll_vote": Entry(
        get=POST_ONLY,
        kwargs=_poll_kwargs,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {
                "option": PollOption.objects.get(poll__topic=_poll_topic(s), position=1).pk
            },
            state=lambda s: list(
                PollOption.objects.filter(poll__topic=_poll_topic(s)).values_list(
                    "vote_count", flat=True
                )
            ),
            answers=TO_POLL,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "community:poll_close": Entry(
        get=POST_ONLY,
        kwargs=_poll_kwargs,
        wrong_method=WrongMethod("get", "trusted_family"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Poll.objects.get(topic=_poll_topic(s)).closed_at,
            answers=AUTHOR_OR_MODERATORS_TO_POLL,
            changes=frozenset({*MODERATORS, "trusted_family"}),
        ),
    ),
}

ADMIN_QUERIES: dict[str, int] = {"admin:community_category_changelist": 10}

# Pictures in messages ----------------------------------------------------------------------

MATRIX_PICTURE = "matrix-test.jpg"


def _picture_kwargs(scene: Scene) -> dict[str, Any]:
    """A picture in the trusted member's first message (one small file in the run's folder,
    reused by its tests: the upload itself is tested in test_pictures.py)."""
    picture = PostPicture.objects.filter(file=MATRIX_PICTURE).first()
    if picture is None:
        first = _world(scene).posts.get(post_number=1)
        storage = picture_storage()
        if not storage.exists(MATRIX_PICTURE):
            out = io.BytesIO()
            Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "JPEG")
            storage.save(MATRIX_PICTURE, io.BytesIO(out.getvalue()))
        picture = PostPicture.objects.create(
            owner=first.author, post=first, file=MATRIX_PICTURE, width=8, height=8, description="x"
        )
    return {"pk": picture.pk}


# Every reader of the conversation; anonymous visitors get 404 (a picture has no sign-in page).
ENTRIES |= {
    "community:picture": Entry(
        get=answers(anonymous=NOT_FOUND, members=OK, staff=OK),
        kwargs=_picture_kwargs,
        queries=ceilings(member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "family"),
    ),
}
