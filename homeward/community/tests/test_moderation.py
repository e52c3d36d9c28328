"""Flags (level 1 and up, weighted by trust level), auto-hiding and editing to unhide, the one
review queue (priority, then age), moderators' actions with their audit trail and the outcome
told to flagger and author, strikes with escalating suspensions, silences and notes."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories as accounts_factories
from homeward.accounts.models import Role, User
from homeward.community import conf, factories, moderation, services
from homeward.community.models import (
    Flag,
    MemberStanding,
    Penalty,
    Post,
    ReviewItem,
    Topic,
    TrustLevel,
)
from homeward.core.models import AuditEvent, Notification


@pytest.fixture
def reply(family: User, topic: Topic) -> Post:
    return services.post_reply(family, topic, "My cousin Dave Smith at HMP Lewes says hi")


def _member(name: str, org, level: int) -> User:
    user = accounts_factories.make_member(name, org, Role.FAMILY)
    factories.set_trust_level(user, level)
    return user


def test_tl0_member_cannot_flag(family, regular, topic):
    first = topic.posts.get()
    client = sign_in(Client(), family)
    assert client.get(f"/community/p/{first.pk}/flag/").status_code == 404
    assert client.post(f"/community/p/{first.pk}/flag/", {"reason": "spam"}).status_code == 404
    assert "Flag" not in client.get(f"/community/t/{topic.pk}/").content.decode().split(
        "Remove bookmark"
    )[0].replace("Flagged", "")
    assert not Flag.objects.exists()


def test_tl1_member_can_flag_and_is_thanked(regular, reply):
    client = sign_in(Client(), regular)
    response = client.post(f"/community/p/{reply.pk}/flag/", {"reason": "identifies"})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert flag.score == 2  # 1 + level 1
    assert AuditEvent.objects.filter(action="community.post_flagged", actor=regular).exists()


def test_something_else_needs_a_note_and_keeps_the_choice(regular, reply):
    client = sign_in(Client(), regular)
    response = client.post(f"/community/p/{reply.pk}/flag/", {"reason": "other"})
    assert response.status_code == 400
    assert "Tell the moderators what's wrong" in html.unescape(response.content.decode())
    assert not Flag.objects.exists()


def test_flag_scores_are_weighted_by_trust_level():
    assert conf.flag_score(TrustLevel.BASIC, staff=False) == 2
    assert conf.flag_score(TrustLevel.MEMBER, staff=False) == 3
    assert conf.flag_score(TrustLevel.LEADER, staff=False) == 5
    assert conf.flag_score(TrustLevel.LEADER, staff=True) == 6


def test_flags_hide_a_message_once_past_the_threshold(org_a, reply, family):
    first = _member("Flagger One", org_a, TrustLevel.MEMBER)
    second = _member("Flagger Two", org_a, TrustLevel.BASIC)
    moderation.flag_post(first, reply, "unkind")
    reply.refresh_from_db()
    assert not reply.is_hidden  # 3 < 6
    moderation.flag_post(second, reply, "unkind")
    reply.refresh_from_db()
    assert not reply.is_hidden  # 5 < 6
    third = _member("Flagger Three", org_a, TrustLevel.BASIC)
    moderation.flag_post(third, reply, "identifies")
    reply.refresh_from_db()
    assert reply.is_hidden
    assert ReviewItem.objects.get().score == 7
    assert Notification.objects.filter(recipient=family, kind="community.moderation").exists()


def test_the_threshold_is_a_site_setting(org_a, reply, settings):
    settings.COMMUNITY_HIDE_SCORE = 2
    moderation.flag_post(_member("Flagger", org_a, TrustLevel.BASIC), reply, "unkind")
    reply.refresh_from_db()
    assert reply.is_hidden


def test_a_hidden_message_is_hidden_from_others_and_its_author_may_edit_to_unhide(
    reply, family, regular, worker_a
):
    moderation.flag_post(worker_a, reply, "identifies")  # staff: 6, hides at once
    reply.refresh_from_db()
    assert reply.is_hidden
    item = ReviewItem.objects.get()
    moderation.approve(worker_a, item)  # staff say: leave it (and show it again)
    reply.refresh_from_db()
    assert not reply.is_hidden
    moderation.flag_post(regular, reply, "identifies")
    Post.objects.filter(pk=reply.pk).update(hidden_at=timezone.now())
    page = sign_in(Client(), regular).get(reply.get_absolute_url()).content.decode()
    assert "Dave Smith" not in page
    assert "hidden while a moderator looks" in page
    own = sign_in(Client(), family)
    assert "Dave Smith" in own.get(reply.get_absolute_url()).content.decode()
    own.post(f"/community/p/{reply.pk}/edit/", {"body": "My cousin says hi"})
    reply.refresh_from_db()
    assert not reply.is_hidden
    assert ReviewItem.objects.pending().get().post == reply  # back in the queue


def test_tl0_posts_in_a_premoderated_category_wait_for_approval(family, regular, peer_moderator):
    young = factories.make_category("Young people", slug="young")
    young.approve_new_members = True
    young.save(update_fields=["approve_new_members"])
    topic = services.create_topic(family, young, title="Anyone else 15?", body="Hi all")
    assert topic.awaiting_approval
    assert sign_in(Client(), regular).get(f"/community/t/{topic.pk}/").status_code == 404
    assert sign_in(Client(), family).get(f"/community/t/{topic.pk}/").status_code == 200
    young.refresh_from_db()
    assert young.topic_count == 0
    item = ReviewItem.objects.get()
    assert item.kind == ReviewItem.Kind.APPROVAL
    moderation.approve(peer_moderator, item)
    assert sign_in(Client(), regular).get(f"/community/t/{topic.pk}/").status_code == 200
    young.refresh_from_db()
    assert young.topic_count == 1
    assert Notification.objects.filter(recipient=family, title__contains="approved").exists()
    # A level-1 member's message goes straight up.
    assert not services.create_topic(
        regular, young, title="Hello there", body="Hi"
    ).awaiting_approval


def test_queue_orders_by_priority_then_age_and_shows_the_wait(
    org_a, topic, family, regular, worker_a
):
    old = services.post_reply(family, topic, "An older message")
    newer = services.post_reply(regular, topic, "A newer message")
    moderation.flag_post(worker_a, old, "spam")
    ReviewItem.objects.update(created_at=timezone.now() - timedelta(hours=3))
    moderation.flag_post(worker_a, newer, "off_topic")
    crisis = services.post_reply(family, topic, "Another reply")
    moderation.flag_post(regular, crisis, "at_risk")
    rows = moderation.queue_for(worker_a)
    assert [r.post for r in rows] == [crisis, old, newer]
    page = sign_in(Client(), worker_a).get("/community/review/").content.decode()
    assert "Waiting <strong>3 hours</strong>" in page


def test_peer_moderator_clears_a_flag_and_both_sides_are_told(
    reply, family, regular, peer_moderator
):
    moderation.flag_post(regular, reply, "identifies", "names a prisoner")
    item = ReviewItem.objects.get()
    client = sign_in(Client(), peer_moderator)
    response = client.post(f"/community/review/{item.pk}/", {"action": "hide"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.HIDDEN
    assert Flag.objects.get().outcome == Flag.Outcome.AGREED
    assert AuditEvent.objects.filter(action="community.review_hidden", actor=peer_moderator)
    assert Notification.objects.filter(recipient=regular, title__startswith="Thank you").exists()
    assert Notification.objects.filter(recipient=family, title__contains="hid one").exists()
    assert Penalty.objects.get(member=family).kind == Penalty.Kind.STRIKE


def test_members_get_404_from_the_queue(family, regular, reply):
    moderation.flag_post(regular, reply, "spam")
    item = ReviewItem.objects.get()
    client = sign_in(Client(), regular)
    assert client.get("/community/review/").status_code == 404
    assert client.post(f"/community/review/{item.pk}/", {"action": "approve"}).status_code == 404


def test_delete_and_edit_actions(reply, regular, worker_a, topic):
    moderation.flag_post(regular, reply, "identifies")
    item = ReviewItem.objects.get()
    moderation.edit_and_approve(worker_a, item, "My cousin says hi")
    reply.refresh_from_db()
    assert reply.raw == "My cousin says hi"
    assert reply.revisions.get().raw.startswith("My cousin Dave")
    other = services.post_reply(regular, topic, "Buy cheap phones")
    moderation.flag_post(worker_a, other, "spam")
    moderation.delete(worker_a, ReviewItem.objects.pending().get())
    other.refresh_from_db()
    assert other.is_deleted


def test_every_third_strike_suspends_for_longer(family, worker_a):
    for _ in range(3):
        moderation.strike(worker_a, family, None, "test")
    standing = MemberStanding.objects.get(user=family)
    assert standing.is_suspended
    first_end = standing.suspended_until
    assert first_end is not None
    assert timedelta(hours=23) < first_end - timezone.now() <= timedelta(days=1)
    for _ in range(3):
        moderation.strike(worker_a, family, None, "test")
    standing.refresh_from_db()
    assert standing.suspended_until is not None
    assert standing.suspended_until - timezone.now() > timedelta(days=6)


def test_a_silenced_member_can_read_but_not_post(family, topic, worker_a):
    moderation.silence(worker_a, family, days=3, reason="Cooling off")
    client = sign_in(Client(), family)
    assert client.get(f"/community/t/{topic.pk}/").status_code == 200
    response = client.post(f"/community/t/{topic.pk}/reply/", {"body": "Hello"})
    assert response.status_code == 400
    assert topic.posts.count() == 1
    moderation.lift_penalties(worker_a, family)
    assert (
        sign_in(Client(), family)
        .post(f"/community/t/{topic.pk}/reply/", {"body": "Hello"})
        .status_code
        == 302
    )


def test_suspend_needs_a_reason_and_moderators_cannot_be_suspended_from_here(
    family, worker_a, peer_moderator
):
    with pytest.raises(services.PostRefused):
        moderation.suspend(worker_a, family, days=2, reason=" ")
    from django.http import Http404

    with pytest.raises(Http404):
        moderation.suspend(worker_a, peer_moderator, days=2, reason="x")


def test_moderator_notes_on_a_member(family, peer_moderator):
    client = sign_in(Client(), peer_moderator)
    client.post(
        f"/community/members/{family.pk}/", {"action": "note", "text": "Rang her: doing better"}
    )
    page = client.get(f"/community/members/{family.pk}/").content.decode()
    assert "Rang her: doing better" in page
    assert AuditEvent.objects.filter(action="community.moderator_note_added").exists()


def test_review_queue_queries_do_not_grow(org_a, topic, worker_a, django_assert_max_num_queries):
    client = sign_in(Client(), worker_a)
    client.get("/community/review/")
    for i in range(20):
        author = _member(f"Writer {i}", org_a, TrustLevel.BASIC)
        post = services.post_reply(author, topic, f"Reply {i}")
        moderation.flag_post(worker_a, post, "spam")
    with django_assert_max_num_queries(12):
        page = client.get("/community/review/")
    assert "Reply 19" in page.content.decode()


def test_export_and_erase_cover_flags_made(regular, reply):
    from homeward.core import datarights

    moderation.flag_post(regular, reply, "unkind")
    data = datarights.export_member(regular)["community"]
    assert data["flags_made"][0]["reason"] == "It's unkind or hurtful"
    datarights.erase_member(regular)
    assert not Flag.objects.exists()
