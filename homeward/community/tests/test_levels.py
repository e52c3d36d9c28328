"""Trust levels 3 and 4: the daily review promotes on Discourse's last-100-days requirements and
demotes below 90% after 14 days' grace; locked levels stay; level 4 is given by staff only and
may close, pin and move conversations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts.models import User
from homeward.community import factories, levels, services, trust
from homeward.community.models import Category, MemberStanding, StandingSnapshot, TrustLevel
from homeward.core import schedule


@pytest.fixture
def small_thresholds(settings) -> None:
    """Level 3's figures scaled down so a test can meet them (same rules, smaller numbers)."""
    for name, value in {
        "DAYS_VISITED": 2,
        "TOPICS_REPLIED": 1,
        "TOPICS_VIEWED_ALL_TIME": 1,
        "POSTS_READ_ALL_TIME": 1,
        "LIKES_GIVEN": 1,
        "LIKES_RECEIVED": 1,
    }.items():
        setattr(settings, f"COMMUNITY_TL3_{name}", value)


def _active_member(family: User, regular: User, topic) -> MemberStanding:
    """A level-2 member who visited on two days, read and replied, and liked and was liked."""
    factories.set_trust_level(family, TrustLevel.MEMBER)
    client = sign_in(Client(), family)
    client.get(topic.get_absolute_url())
    MemberStanding.objects.filter(user=family).update(days_visited=2)
    reply = services.post_reply(family, topic, "Thinking of you")
    services.toggle_reaction(family, topic.posts.get(post_number=1), "like")
    services.toggle_reaction(regular, reply, "support")
    return MemberStanding.objects.get(user=family)


def test_the_defaults_are_discourses():
    assert trust.tl3("PERIOD_DAYS") == 100
    assert trust.tl3("DAYS_VISITED") == 50
    assert trust.tl3("TOPICS_REPLIED") == 10
    assert trust.tl3("LIKES_GIVEN") == 30
    assert trust.tl3("GRACE_DAYS") == 14
    assert trust.TL3_LOW_WATER_MARK == 0.9


def test_daily_review_promotes_a_member_who_meets_level_three(
    family, regular, topic, small_thresholds
):
    _active_member(family, regular, topic)
    assert levels.review_level_three() == (1, 0)
    assert MemberStanding.objects.get(user=family).trust_level == TrustLevel.REGULAR


def test_one_short_and_there_is_no_promotion(family, regular, topic, small_thresholds, settings):
    _active_member(family, regular, topic)
    settings.COMMUNITY_TL3_DAYS_VISITED = 3
    assert levels.review_level_three() == (0, 0)
    assert MemberStanding.objects.get(user=family).trust_level == TrustLevel.MEMBER


def test_a_recent_suspension_blocks_level_three(family, regular, topic, small_thresholds, worker_a):
    from homeward.community import moderation

    _active_member(family, regular, topic)
    moderation.suspend(worker_a, family, days=1, reason="Cooling off")
    assert levels.review_level_three() == (0, 0)


def test_demoted_below_ninety_percent_only_after_the_grace_period(
    family, regular, topic, small_thresholds, settings
):
    standing = _active_member(family, regular, topic)
    levels.review_level_three()
    settings.COMMUNITY_TL3_DAYS_VISITED = 3  # 2 of 3 is below 90%
    assert levels.review_level_three() == (0, 0)  # promoted today: still in the grace period
    MemberStanding.objects.filter(pk=standing.pk).update(
        promoted_at=timezone.now() - timedelta(days=15)
    )
    assert levels.review_level_three() == (0, 1)
    assert MemberStanding.objects.get(user=family).trust_level == TrustLevel.MEMBER


def test_within_ninety_percent_the_level_is_kept(
    family, regular, topic, small_thresholds, settings
):
    standing = _active_member(family, regular, topic)
    settings.COMMUNITY_TL3_DAYS_VISITED = 2
    levels.review_level_three()
    MemberStanding.objects.filter(pk=standing.pk).update(
        promoted_at=timezone.now() - timedelta(days=30)
    )
    settings.COMMUNITY_TL3_POSTS_READ_ALL_TIME = 1  # met exactly; nothing dropped below 90%
    assert levels.review_level_three() == (0, 0)


def test_a_locked_level_is_left_alone(family, regular, topic, small_thresholds, worker_a):
    _active_member(family, regular, topic)
    levels.set_level(worker_a, family, TrustLevel.MEMBER, lock=True)
    assert levels.review_level_three() == (0, 0)
    assert MemberStanding.objects.get(user=family).locked_level == TrustLevel.MEMBER


def test_visits_before_the_period_do_not_count(family, regular, topic, small_thresholds):
    _active_member(family, regular, topic)
    long_ago = timezone.localdate() - timedelta(days=101)
    StandingSnapshot.objects.create(user=family, date=long_ago, days_visited=1, posts_read=0)
    assert levels.review_level_three() == (0, 0)  # one day in the period, two needed


def test_the_daily_job_snapshots_members_who_visited(family, topic):
    sign_in(Client(), family).get(topic.get_absolute_url())
    assert levels.daily() == (0, 0)
    snapshot = StandingSnapshot.objects.get(user=family)
    assert (snapshot.date, snapshot.days_visited, snapshot.posts_read) == (
        timezone.localdate(),
        1,
        1,
    )
    levels.daily()  # again the same day: updated, not duplicated
    assert StandingSnapshot.objects.count() == 1


def test_the_review_is_a_daily_scheduled_job():
    job = {j.name: j for j in schedule.jobs()}["community.trust_level_three"]
    assert job.every == timedelta(days=1)


def test_only_staff_give_level_four(family, trusted_family, peer_moderator, worker_a):
    with pytest.raises(Http404):
        levels.set_level(peer_moderator, family, TrustLevel.LEADER, lock=True)
    levels.set_level(worker_a, trusted_family, TrustLevel.LEADER, lock=True)
    standing = MemberStanding.objects.get(user=trusted_family)
    assert (standing.trust_level, standing.locked_level) == (4, 4)


def test_staff_set_a_level_from_the_members_page(family, worker_a, peer_moderator):
    data = {"action": "level", "level": "4", "lock": "on"}
    assert (
        sign_in(Client(), peer_moderator).post(f"/community/members/{family.pk}/", data).status_code
        == 404
    )
    sign_in(Client(), worker_a).post(f"/community/members/{family.pk}/", data)
    assert MemberStanding.objects.get(user=family).trust_level == TrustLevel.LEADER


def test_level_four_closes_pins_and_moves_and_level_three_cannot(trusted_family, topic, worker_a):
    other = factories.make_category("Talking to children", slug="children")
    factories.set_trust_level(trusted_family, TrustLevel.REGULAR)
    client = sign_in(Client(), trusted_family)
    assert client.post(f"/community/t/{topic.pk}/close/", {"closed": "1"}).status_code == 404
    assert client.get(f"/community/t/{topic.pk}/move/").status_code == 404
    levels.set_level(worker_a, trusted_family, TrustLevel.LEADER, lock=True)
    client = sign_in(Client(), trusted_family)
    assert client.post(f"/community/t/{topic.pk}/pin/", {"pinned": "1"}).status_code == 302
    assert client.post(f"/community/t/{topic.pk}/close/", {"closed": "1"}).status_code == 302
    assert client.post(f"/community/t/{topic.pk}/move/", {"category": other.pk}).status_code == 302
    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_closed and topic.category == other
    visits = Category.objects.get(slug="visits")
    other.refresh_from_db()
    assert (visits.topic_count, other.topic_count) == (0, 1)


def test_a_level_two_member_sees_what_level_three_needs(family):
    factories.set_trust_level(family, TrustLevel.MEMBER)
    page = sign_in(Client(), family).get("/community/progress/").content.decode()
    assert "To become a trusted member" in page
    assert "last 100 days" in page


def test_splitting_moves_the_later_messages_into_a_new_conversation(
    family, regular, topic, peer_moderator
):
    for text in ("Bring ID", "Lockers take a pound", "Talking of coins, any good banks?", "Yes"):
        services.post_reply(family if "ID" in text or text == "Yes" else regular, topic, text)
    client = sign_in(Client(), peer_moderator)
    response = client.post(
        f"/community/t/{topic.pk}/split/", {"from_number": "4", "title": "Banks near the prison"}
    )
    new = topic.category.topics.exclude(pk=topic.pk).get()
    assert response["Location"] == new.get_absolute_url()
    assert list(new.posts.values_list("post_number", "raw")) == [
        (1, "Talking of coins, any good banks?"),
        (2, "Yes"),
    ]
    topic.refresh_from_db()
    assert (topic.highest_post_number, topic.reply_count) == (3, 2)
    assert (new.highest_post_number, new.reply_count, new.author) == (2, 1, regular)
    assert Category.objects.get(pk=topic.category_id).topic_count == 2
    assert client.get(new.get_absolute_url()).status_code == 200


def test_split_refuses_the_first_message_and_keeps_the_input(topic, peer_moderator):
    client = sign_in(Client(), peer_moderator)
    response = client.post(f"/community/t/{topic.pk}/split/", {"from_number": "1", "title": "X"})
    assert response.status_code == 400
    assert "start from 2" in response.content.decode()
