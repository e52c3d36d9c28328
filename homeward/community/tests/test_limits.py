"""Rate limits per action and trust level (Discourse's defaults): new members wait longer
between posts than others, with a plain message and what they wrote kept; moderators have none."""

from __future__ import annotations

import html

from django.test import Client

from conftest import sign_in
from homeward.community import factories, limits
from homeward.community.models import TrustLevel


def test_the_defaults_are_discourses(settings):
    rates = settings.RATE_LIMITS
    assert rates["community_reply_new"] == "1/30s"
    assert rates["community_reply_member"] == "1/5s"
    assert rates["community_topic_new"] == "1/120s"
    assert rates["community_topic_member"] == "1/15s"
    assert rates["community_topics_day_member"] == "20/24h"


def test_every_action_has_a_limit_for_each_tier(settings):
    for action in limits.ACTIONS:
        for tier in (TrustLevel.NEW, TrustLevel.BASIC, TrustLevel.LEADER):
            assert limits._name(action, tier) in settings.RATE_LIMITS


def test_a_new_member_replying_again_at_once_is_asked_to_wait(family, topic):
    client = sign_in(Client(), family)
    assert client.post(f"{topic.get_absolute_url()}reply/", {"body": "First"}).status_code == 302
    response = client.post(f"{topic.get_absolute_url()}reply/", {"body": "Second thought"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "You're posting quickly" in page
    assert "Second thought" in page
    assert topic.posts.count() == 2


def test_limits_follow_the_trust_level(family, topic, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "community_reply_new": "1/1h",
        "community_reply_member": "3/1h",
    }
    factories.set_trust_level(family, TrustLevel.BASIC)
    client = sign_in(Client(), family)
    statuses = [
        client.post(f"{topic.get_absolute_url()}reply/", {"body": f"Reply {i}"}).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 400]


def test_moderators_have_no_limits(peer_moderator, topic):
    client = sign_in(Client(), peer_moderator)
    for i in range(3):
        assert (
            client.post(f"{topic.get_absolute_url()}reply/", {"body": f"R{i}"}).status_code == 302
        )


def test_flagging_is_limited_per_day_with_the_429_page(regular, family, topic, settings):
    from homeward.community import services

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "community_flag": "1/24h"}
    posts = [services.post_reply(family, topic, f"Message {i}") for i in range(2)]
    client = sign_in(Client(), regular)
    assert client.post(f"/community/p/{posts[0].pk}/flag/", {"reason": "spam"}).status_code == 302
    assert client.post(f"/community/p/{posts[1].pk}/flag/", {"reason": "spam"}).status_code == 429
