"""Starting conversations, replying, editing: counters, notifications, mentions, bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import sign_in
from homeward.community import services
from homeward.community.forms import MAX_BODY
from homeward.community.models import Category, MemberStanding, Post, PostRevision, Topic
from homeward.core.models import Notification


def test_starting_a_conversation_counts_it_in_its_category(regular, visits):
    topic = services.create_topic(regular, visits, title="Hello there", body="Hi **all**")
    visits.refresh_from_db()
    assert (visits.topic_count, visits.post_count, visits.latest_topic_id) == (1, 1, topic.pk)
    first = topic.posts.get()
    assert first.post_number == 1
    assert "<strong>all</strong>" in first.cooked
    assert MemberStanding.objects.get(user=regular).topic_count == 1


def test_reply_is_numbered_counted_and_tells_the_author_discreetly(family, regular, topic):
    post = services.post_reply(family, topic, "Bring your ID.")
    topic.refresh_from_db()
    assert post.post_number == 2
    assert (topic.reply_count, topic.highest_post_number, topic.last_poster_id) == (
        1,
        2,
        family.pk,
    )
    note = Notification.objects.get(recipient=regular)
    assert note.title == "Robin Mum 7 replied to your conversation"
    assert "prison" not in note.title.lower()
    assert note.url == post.get_absolute_url()


def test_replying_to_your_own_conversation_tells_nobody(regular, topic):
    services.post_reply(regular, topic, "Update: it went well.")
    assert not Notification.objects.exists()


def test_mentioning_a_member_by_name_tells_them(family, regular, peer_moderator, topic):
    services.post_reply(family, topic, "Thank you @Heather Sis 12, and @nobody-here too")
    note = Notification.objects.get(recipient=peer_moderator)
    assert note.title == "Robin Mum 7 mentioned you in a conversation"
    # The author hears once, about the reply, not also about a mention.
    services.post_reply(family, topic, "And @Willow Nan 3 of course")
    assert Notification.objects.filter(recipient=regular).count() == 2


@pytest.mark.parametrize("kind", ["mute", "block"])
def test_a_mention_does_not_reach_someone_who_muted_or_blocked_the_writer(
    family, peer_moderator, topic, kind
):
    from homeward.community import conversations

    conversations.set_ignore(peer_moderator, family, kind)
    services.post_reply(family, topic, "Thank you @Heather Sis 12")
    assert not Notification.objects.filter(recipient=peer_moderator).exists()
    conversations.set_ignore(peer_moderator, family, None)
    services.post_reply(family, topic, "Thanks again @Heather Sis 12")
    assert Notification.objects.filter(recipient=peer_moderator).count() == 1


def test_a_mention_does_not_reach_someone_who_cannot_read_the_category(
    worker_a, family, staff_room
):
    services.create_topic(worker_a, staff_room, title="Rota please", body="@Robin Mum 7 hi")
    assert not Notification.objects.filter(recipient=family).exists()


def test_a_reply_sent_twice_is_kept_once(family, topic):
    client = sign_in(Client(), family)
    for _ in range(2):
        response = client.post(f"/community/t/{topic.pk}/reply/", {"body": "See you there"})
        assert response.status_code == 302
    assert topic.posts.count() == 2
    topic.refresh_from_db()
    assert topic.reply_count == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your message."),
        ("   ", "Write your message."),
        ("x" * (MAX_BODY + 1), "too long"),
    ],
)
def test_empty_or_over_long_reply_is_refused_beside_the_field(family, topic, body, message):
    response = sign_in(Client(), family).post(f"/community/t/{topic.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert topic.posts.count() == 1


def test_new_topic_form_keeps_what_was_typed_when_the_title_is_missing(family, visits):
    response = sign_in(Client(), family).post(
        "/community/c/visits/new/", {"title": "", "body": "My words stay here"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give your conversation a title." in page
    assert "My words stay here" in page
    assert not Topic.objects.exists()


def test_closed_conversation_refuses_replies_with_a_clear_message(family, peer_moderator, topic):
    services.set_closed(peer_moderator, topic, closed=True)
    client = sign_in(Client(), family)
    page = client.get(f"/community/t/{topic.pk}/").content.decode()
    assert "This conversation is closed" in page
    assert "Post reply" not in page
    response = client.post(f"/community/t/{topic.pk}/reply/", {"body": "Hello?"})
    assert response.status_code == 400
    assert "This conversation is closed" in response.content.decode()
    assert topic.posts.count() == 1


def test_removed_conversation_is_not_found_and_takes_no_replies(family, peer_moderator, topic):
    services.delete_post(peer_moderator, topic.posts.get(post_number=1))
    client = sign_in(Client(), family)
    assert client.get(f"/community/t/{topic.pk}/").status_code == 404
    assert client.post(f"/community/t/{topic.pk}/reply/", {"body": "Hi"}).status_code == 404
    visits = Category.objects.get(pk=topic.category_id)
    assert (visits.topic_count, visits.latest_topic_id) == (0, None)


def test_editing_after_others_replied_keeps_the_history(family, regular, topic):
    first = topic.posts.get(post_number=1)
    services.post_reply(family, topic, "Bring your ID")
    response = sign_in(Client(), regular).post(
        f"/community/p/{first.pk}/edit/", {"body": "What should I bring? (Saturday visit)"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.version == 2
    assert first.edited_at is not None
    revision = PostRevision.objects.get(post=first)
    assert (revision.version, revision.raw) == (1, "What should I bring?")


def test_only_moderators_read_earlier_versions(family, regular, peer_moderator, topic):
    first = topic.posts.get(post_number=1)
    services.edit_post(regular, first, "Changed my mind")
    url = f"/community/p/{first.pk}/history/"
    assert sign_in(Client(), regular).get(url).status_code == 404
    page = sign_in(Client(), peer_moderator).get(url).content.decode()
    assert "What should I bring?" in page


def test_nobody_edits_someone_elses_message(family, topic):
    first = topic.posts.get(post_number=1)
    client = sign_in(Client(), family)
    assert client.post(f"/community/p/{first.pk}/edit/", {"body": "Mine now"}).status_code == 404
    first.refresh_from_db()
    assert first.raw == "What should I bring?"


def test_removing_a_reply_keeps_its_place_and_is_audited(family, peer_moderator, topic):
    from homeward.core.models import AuditEvent

    reply = services.post_reply(family, topic, "Oops, wrong place")
    services.delete_post(peer_moderator, reply)
    topic.refresh_from_db()
    assert topic.reply_count == 0
    page = sign_in(Client(), family).get(f"/community/t/{topic.pk}/").content.decode()
    assert "A moderator removed this message." in page
    assert "Oops, wrong place" not in page
    assert AuditEvent.objects.filter(action="community.post_deleted", actor=peer_moderator).exists()


def test_pinned_conversations_come_first(regular, peer_moderator, visits, topic):
    services.create_topic(regular, visits, title="Newer conversation", body="Hi")
    services.set_pinned(peer_moderator, topic, pinned=True)
    page = sign_in(Client(), regular).get("/community/c/visits/").content.decode()
    assert page.index("First visit next week") < page.index("Newer conversation")


def test_reactions_count_once_and_can_be_taken_back(family, regular, topic):
    first = topic.posts.get(post_number=1)
    client = sign_in(Client(), family)
    client.post(f"/community/p/{first.pk}/react/", {"kind": "support"})
    first.refresh_from_db()
    assert first.support_count == 1
    assert MemberStanding.objects.get(user=regular).likes_received == 1
    assert MemberStanding.objects.get(user=family).likes_given == 1
    client.post(f"/community/p/{first.pk}/react/", {"kind": "support"})
    first.refresh_from_db()
    assert first.support_count == 0


def test_nobody_reacts_to_their_own_message(regular, topic):
    first = topic.posts.get(post_number=1)
    response = sign_in(Client(), regular).post(f"/community/p/{first.pk}/react/", {"kind": "like"})
    assert response.status_code == 404
    assert Post.objects.get(pk=first.pk).like_count == 0


def test_liking_with_htmx_answers_with_the_new_buttons(family, topic):
    first = topic.posts.get(post_number=1)
    response = sign_in(Client(), family).post(
        f"/community/p/{first.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()


def test_bookmarks_are_listed_for_their_owner(family, topic):
    first = topic.posts.get(post_number=1)
    client = sign_in(Client(), family)
    client.post(f"/community/p/{first.pk}/bookmark/")
    assert "First visit next week" in client.get("/community/bookmarks/").content.decode()
