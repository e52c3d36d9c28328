"""The demo community: warm conversations in every category, the same each time."""

from __future__ import annotations

from homeward.community.factories import CATEGORIES, seed_community
from homeward.community.models import Category, Poll, Post, Topic


def test_seed_community_is_idempotent_and_fills_every_category(
    family, trusted_family, peer_moderator, worker_a, manager_a
):
    members = [family, trusted_family, peer_moderator]
    created = seed_community(members, [worker_a, manager_a])
    assert created == len(CATEGORIES)
    assert Category.objects.count() == len(CATEGORIES)
    counts = (Topic.objects.count(), Post.objects.count())
    assert seed_community(members, [worker_a, manager_a]) == 0
    assert (Topic.objects.count(), Post.objects.count()) == counts
    staff_room = Topic.objects.get(category__slug="staff-room")
    assert staff_room.author in (worker_a, manager_a)
    for category in Category.objects.all():
        assert category.topic_count == 1
        assert category.latest_topic is not None
    poll = Poll.objects.get()
    assert poll.voter_count == len(members)
    assert sum(o.vote_count for o in poll.options.all()) >= len(members)


def test_visitors_home_page_invites_them_to_the_community(client, db):
    page = client.get("/").content.decode()
    assert "Families helping families" in page
    assert 'href="/community/"' in page


def test_demo_has_private_conversations_a_review_queue_and_watched_words(
    family, trusted_family, peer_moderator, worker_a, manager_a
):
    from homeward.community import moderation
    from homeward.community.factories import set_trust_level
    from homeward.community.models import Conversation, ReviewItem, TrustLevel, WatchedWord

    set_trust_level(trusted_family, TrustLevel.MEMBER)
    seed_community([family, trusted_family, peer_moderator], [worker_a, manager_a])
    assert Conversation.objects.filter(created_by=trusted_family).count() == 2
    assert WatchedWord.objects.filter(action="crisis").count() >= 5
    queue = moderation.queue_for(worker_a)
    assert queue[0].kind == ReviewItem.Kind.CRISIS
    assert {item.kind for item in queue} == {"crisis", "flagged", "approval", "reported_message"}
    again = ReviewItem.objects.count()
    seed_community([family, trusted_family, peer_moderator], [worker_a, manager_a])
    assert ReviewItem.objects.count() == again
