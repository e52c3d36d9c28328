"""Private conversations: the level-2 gate (both sides, whatever way the member joined), blocks
and mutes, reporting (the only way staff may read one, audited), unread markers,
notifications, 404 for everyone outside, double submits, and query counts."""

from __future__ import annotations

import html

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import sign_in
from homeward.accounts.models import User
from homeward.community import conversations, factories, moderation, services
from homeward.community.models import (
    Conversation,
    ConversationMember,
    MemberIgnore,
    Message,
    ReviewItem,
    TrustLevel,
)
from homeward.core.models import AuditEvent, Notification, RateCounter


@pytest.fixture
def level_two(trusted_family: User) -> User:
    factories.set_trust_level(trusted_family, TrustLevel.MEMBER)
    return trusted_family


def _start(sender: User, *to: User, body: str = "How did the visit go?") -> Conversation:
    return conversations.start_conversation(sender, list(to), subject="Saturday", body=body)


def test_tl0_member_cannot_start_private_conversation_and_sees_why(family, level_two):
    client = sign_in(Client(), family)
    page = client.get("/community/messages/new/")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "aren't open to you yet" in text
    assert "Visit on 15 more days" in text  # their own progress, in words
    assert 'href="/community/progress/"' in text
    response = client.post(
        "/community/messages/new/", {"to": "Willow Nan 3", "subject": "Hi", "body": "Hello"}
    )
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_level_one_is_still_not_enough(family, level_two):
    factories.set_trust_level(family, TrustLevel.BASIC)
    with pytest.raises(services.PostRefused):
        _start(family, level_two)


def test_a_member_who_joined_by_card_still_waits_for_level_two(org_a, worker_a):
    from homeward.accounts import factories as accounts_factories
    from homeward.accounts import services as accounts_services

    batch = accounts_factories.make_join_batch(org_a, worker_a, distribution_point="Lewes", size=1)
    code = batch.codes.get()
    joined = accounts_services.join_with_code(
        code.code, display_name="Maple Dad 2", password="kettle on the windowsill", email=""
    )
    assert not conversations.policies.can_start_conversation(joined)


def test_tl2_member_starts_a_conversation_and_the_other_is_told_discreetly(family, level_two):
    client = sign_in(Client(), level_two)
    response = client.post(
        "/community/messages/new/",
        {"to": "robin mum 7", "subject": "Saturday", "body": "How did it go?"},
    )
    convo = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/community/messages/{convo.pk}/"
    note = Notification.objects.get(recipient=family)
    assert note.title == "Willow Nan 3 sent you a private message"
    assert "prison" not in note.title.lower()


def test_a_double_clicked_send_keeps_one_message(family, level_two):
    convo = _start(level_two, family)
    client = sign_in(Client(), family)
    for _ in range(2):
        # The per-message rate limit is not what keeps it once (counters: cache or database).
        cache.clear()
        RateCounter.objects.all().delete()
        response = client.post(f"/community/messages/{convo.pk}/reply/", {"body": "It went well"})
        assert response.status_code == 302
    assert Message.objects.filter(conversation=convo).count() == 2


def test_a_new_member_may_reply_in_a_conversation_someone_started_with_them(family, level_two):
    convo = _start(level_two, family)
    conversations.send_message(family, convo, "Thank you for asking")
    convo.refresh_from_db()
    assert convo.message_count == 2


def test_unknown_names_are_named_back_and_nothing_is_sent(family, level_two):
    client = sign_in(Client(), level_two)
    response = client.post(
        "/community/messages/new/", {"to": "Robin Mum 7, Nobody Here", "subject": "Hi", "body": "x"}
    )
    assert response.status_code == 400
    assert "find Nobody Here" in response.content.decode()
    assert "Robin Mum 7, Nobody Here" in response.content.decode()  # what was typed is kept
    assert not Conversation.objects.exists()


def test_a_blocked_member_cannot_message_you_or_add_you(family, level_two, peer_moderator):
    conversations.set_ignore(family, level_two, "block")
    with pytest.raises(services.PostRefused, match="can't send private messages to Robin"):
        _start(level_two, family)
    with pytest.raises(services.PostRefused):
        _start(level_two, peer_moderator, family)
    assert not Conversation.objects.exists()
    # Someone else can still start one with them.
    _start(peer_moderator, family)


def test_blocking_stops_replies_in_an_existing_conversation(family, level_two):
    convo = _start(level_two, family)
    conversations.set_ignore(family, level_two, "block")
    with pytest.raises(services.PostRefused, match="chosen not to receive"):
        conversations.send_message(level_two, convo, "Are you there?")


def test_a_muted_member_can_write_but_you_are_not_notified(family, level_two):
    conversations.set_ignore(family, level_two, "mute")
    _start(level_two, family)
    assert Conversation.objects.count() == 1
    assert not Notification.objects.filter(recipient=family).exists()


def test_you_cannot_mute_yourself(family):
    with pytest.raises(services.PostRefused):
        conversations.set_ignore(family, family, "mute")
    assert not MemberIgnore.objects.exists()


def test_people_page_blocks_and_unblocks_by_name(family, level_two):
    client = sign_in(Client(), family)
    client.post("/community/messages/people/", {"name": "Willow Nan 3", "kind": "block"})
    assert MemberIgnore.objects.get(user=family).kind == "block"
    client.post("/community/messages/people/", {"name": "Willow Nan 3", "kind": "none"})
    assert not MemberIgnore.objects.exists()


def test_outsiders_and_staff_get_404_until_a_message_is_reported(
    family, level_two, peer_moderator, worker_a
):
    convo = _start(level_two, family)
    url = f"/community/messages/{convo.pk}/"
    for outsider in (peer_moderator, worker_a):
        assert sign_in(Client(), outsider).get(url).status_code == 404
    assert sign_in(Client(), family).get("/community/messages/999999/").status_code == 404


def test_a_reported_message_lets_staff_read_and_every_read_is_audited(
    family, level_two, peer_moderator, worker_a
):
    convo = _start(level_two, family, body="Send me your address")
    message = convo.messages.get()
    client = sign_in(Client(), family)
    report = client.get(f"/community/messages/m/{message.pk}/report/").content.decode()
    assert "a member of staff will be able to read this whole conversation" in report
    client.post(f"/community/messages/m/{message.pk}/report/", {"reason": "unkind"})
    convo.refresh_from_db()
    assert convo.reported_at is not None
    item = ReviewItem.objects.get(message=message)
    assert item.kind == ReviewItem.Kind.REPORTED_MESSAGE

    staff = sign_in(Client(), worker_a)
    page = staff.get(f"/community/messages/{convo.pk}/")
    assert page.status_code == 200
    assert "Your reading is recorded" in page.content.decode()
    staff.get(f"/community/messages/{convo.pk}/")
    reads = AuditEvent.objects.filter(action="community.reported_conversation_read", actor=worker_a)
    assert reads.count() == 2
    # Peer moderators are families too: still 404, and not in their queue.
    assert (
        sign_in(Client(), peer_moderator).get(f"/community/messages/{convo.pk}/").status_code == 404
    )
    assert moderation.queue_for(peer_moderator) == []
    # Staff can't write in it.
    assert staff.post(f"/community/messages/{convo.pk}/reply/", {"body": "Hi"}).status_code == 400


def test_nobody_reports_their_own_message(family, level_two):
    convo = _start(level_two, family)
    message = convo.messages.get()
    assert (
        sign_in(Client(), level_two).get(f"/community/messages/m/{message.pk}/report/").status_code
        == 404
    )


def test_unread_markers_count_new_messages_and_clear_on_reading(family, level_two):
    convo = _start(level_two, family)
    conversations.send_message(level_two, convo, "And another thing")
    assert conversations.unread_count(family) == 1
    client = sign_in(Client(), family)
    listing = client.get("/community/messages/").content.decode()
    assert "2 new" in listing
    page = client.get(f"/community/messages/{convo.pk}/").content.decode()
    assert page.count(">New<") == 2
    assert conversations.unread_count(family) == 0
    assert "2 new" not in client.get("/community/messages/").content.decode()


def test_a_conversation_has_at_most_eight_people(level_two, org_a, settings):
    from homeward.accounts import factories as accounts_factories
    from homeward.accounts.models import Role

    others = [accounts_factories.make_member(f"Member {i}", org_a, Role.FAMILY) for i in range(8)]
    with pytest.raises(services.PostRefused, match="up to 8"):
        _start(level_two, *others)
    settings.COMMUNITY_MAX_CONVERSATION_MEMBERS = 9
    _start(level_two, *others)


def test_starting_conversations_is_rate_limited_with_the_429_page(family, level_two, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "community_conversation": "2/24h"}
    client = sign_in(Client(), level_two)
    data = {"to": "Robin Mum 7", "subject": "Hi", "body": "Hello"}
    statuses = [
        client.post("/community/messages/new/", {**data, "body": f"Hello {i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_list_and_conversation_queries_do_not_grow(
    family, level_two, django_assert_max_num_queries
):
    convo = _start(level_two, family)
    client = sign_in(Client(), family)
    client.get("/community/messages/")
    for i in range(30):
        other = _start(level_two, family, body=f"Message {i}")
        conversations.send_message(level_two, convo, f"More {i}")
    assert other
    with django_assert_max_num_queries(8):
        assert client.get("/community/messages/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/community/messages/{convo.pk}/").status_code == 200


def test_export_and_erase_cover_private_messages_and_blocks(family, level_two):
    from homeward.core import datarights

    convo = _start(level_two, family)
    conversations.send_message(family, convo, "My reply")
    conversations.set_ignore(family, level_two, "mute")
    data = datarights.export_member(family)["community"]
    assert [m["text"] for m in data["private_messages"]] == ["My reply"]
    assert data["muted_and_blocked"] == [{"member": "Willow Nan 3", "kind": "Muted"}]
    datarights.erase_member(family)
    assert not ConversationMember.objects.filter(user=family).exists()
    assert Message.objects.get(author=family).raw == ""
    assert not MemberIgnore.objects.exists()


def test_a_block_does_not_stop_staff_reaching_a_member(family, worker_a):
    conversations.set_ignore(family, worker_a, "block")
    convo = _start(worker_a, family, body="Checking in after Saturday")
    assert convo.messages.count() == 1


def test_staff_pass_the_second_factor_before_reading_a_reported_conversation(
    family, level_two, worker_a
):
    convo = _start(level_two, family, body="Send me your address")
    moderation.report_message(family, convo.messages.get(), "unkind")
    client = Client()
    client.force_login(worker_a)  # signed in without the second step this session
    response = client.get(f"/community/messages/{convo.pk}/")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="community.reported_conversation_read").exists()
    assert client.get("/community/review/").status_code == 302
