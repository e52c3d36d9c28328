"""The demo community: warm conversations in every category, the same each time."""

from __future__ import annotations

from homeward.community.factories import CATEGORIES, seed_community
from homeward.community.models import Category, Post, Topic


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


def test_visitors_home_page_invites_them_to_the_community(client, db):
    page = client.get("/").content.decode()
    assert "Families helping families" in page
    assert 'href="/community/"' in page
