"""A member's community data in their export, and what erasure keeps and removes."""

from __future__ import annotations

from django.test import Client

from conftest import sign_in
from homeward.community import services
from homeward.community.models import Bookmark, MemberStanding, Post, Reaction, TopicUser
from homeward.core import datarights


def test_export_holds_the_members_conversations_messages_reactions_and_bookmarks(family, topic):
    reply = services.post_reply(family, topic, "Bring your ID")
    first = topic.posts.get(post_number=1)
    services.toggle_reaction(family, first, "like")
    services.toggle_bookmark(family, first)
    data = datarights.export_member(family)["community"]
    assert [m["text"] for m in data["messages"]] == [reply.raw]
    assert data["reactions"] == [
        {"kind": "Like", "conversation": "First visit next week", "message": 1}
    ]
    assert data["bookmarks"] == [{"conversation": "First visit next week", "message": 1}]
    assert data["standing"]["trust_level"] == "New member"


def test_erasure_keeps_posts_as_former_member_and_removes_the_rest(family, regular, topic):
    reply = services.post_reply(family, topic, "Bring your ID")
    first = topic.posts.get(post_number=1)
    services.toggle_reaction(family, first, "support")
    services.toggle_bookmark(family, first)
    sign_in(Client(), family).get(f"/community/t/{topic.pk}/")

    datarights.erase_member(family)

    assert Post.objects.filter(pk=reply.pk).exists()
    first.refresh_from_db()
    assert first.support_count == 0
    assert MemberStanding.objects.get(user=regular).likes_received == 0
    for model in (Reaction, Bookmark, TopicUser, MemberStanding):
        assert not model.objects.filter(user=family).exists()
    page = sign_in(Client(), regular).get(f"/community/t/{topic.pk}/").content.decode()
    assert "Former member" in page
    assert "Robin Mum 7" not in page
