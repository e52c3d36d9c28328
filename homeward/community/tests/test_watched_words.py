"""Watched words: block, hold for approval, flag, censor, and crisis (the message publishes, its
author sees support at once, it goes first in the queue and whoever is on duty is alerted),
and the moderation-hours banner."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from conftest import sign_in
from homeward.community import conf, moderation, services
from homeward.community.models import ReviewItem, SupportContact, WatchedWord

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def words(db) -> None:
    for word, action in (
        ("casino", "block"),
        ("meet up", "approval"),
        ("lawyer*", "flag"),
        ("idiot", "censor"),
        ("end it all", "crisis"),
        ("can't go on", "crisis"),
    ):
        WatchedWord.objects.create(word=word, action=action)


def test_a_blocked_word_refuses_the_message_and_keeps_the_text(family, topic, words):
    client = sign_in(Client(), family)
    response = client.post(f"/community/t/{topic.pk}/reply/", {"body": "Try the CASINO bus"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "contains \u201ccasino\u201d" in text
    assert "Try the CASINO bus" in text
    assert topic.posts.count() == 1


def test_a_word_inside_another_word_does_not_match(family, topic, words):
    services.post_reply(family, topic, "The casinos are closed")  # whole words only
    assert topic.posts.count() == 2


def test_an_approval_word_holds_the_message(family, regular, topic, words):
    post = services.post_reply(family, topic, "Shall we meet   up on Friday?")
    assert post.awaiting_approval
    assert ReviewItem.objects.get().kind == ReviewItem.Kind.APPROVAL
    page = sign_in(Client(), regular).get(topic.get_absolute_url()).content.decode()
    assert "Friday" not in page
    assert "waiting for a moderator" in page


def test_a_flag_word_publishes_and_queues(family, topic, words):
    post = services.post_reply(family, topic, "My lawyers said no")
    assert not post.awaiting_approval
    assert ReviewItem.objects.get().kind == ReviewItem.Kind.FLAGGED


def test_a_censored_word_is_hidden_but_kept_for_moderators(family, topic, words):
    post = services.post_reply(family, topic, "What an Idiot I was")
    assert "Idiot" not in post.cooked
    assert moderation.CENSORED in post.cooked
    assert post.raw == "What an Idiot I was"


def test_staff_manage_the_list(worker_a, family):
    client = sign_in(Client(), worker_a)
    client.post("/community/watched-words/", {"word": "  Hopeless ", "action": "crisis"})
    entry = WatchedWord.objects.get()
    assert entry.word == "hopeless"
    response = client.post("/community/watched-words/", {"word": "hopeless", "action": "block"})
    assert response.status_code == 400
    assert "already on the list" in response.content.decode()
    client.post(f"/community/watched-words/{entry.pk}/delete/")
    assert not WatchedWord.objects.exists()
    assert sign_in(Client(), family).get("/community/watched-words/").status_code == 404


def test_crisis_word_publishes_shows_help_at_once_and_goes_first(
    family,
    regular,
    topic,
    words,
    worker_a,
    peer_moderator,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE_TASKS
    worker_a.email = "worker@example.org"
    worker_a.save(update_fields=["email"])
    earlier = services.post_reply(regular, topic, "Older flagged thing")
    moderation.flag_post(worker_a, earlier, "spam")

    client = sign_in(Client(), family)
    monkeypatch.setattr(conf, "moderators_on_duty", lambda moment=None: True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/community/t/{topic.pk}/reply/",
            {"body": "Some days I feel I can't go on"},
            follow=True,
        )
    page = html.unescape(response.content.decode())
    assert "You don't have to face this alone" in page
    assert "116 123" in page and "85258" in page and "111" in page and "999" in page
    post = topic.posts.order_by("-post_number").first()
    assert post is not None and not post.awaiting_approval
    assert "go on" in sign_in(Client(), regular).get(topic.get_absolute_url()).content.decode()
    # First in the queue, ahead of the older flag.
    assert moderation.queue_for(worker_a)[0].post == post
    # On duty (organisation A, in hours): its staff and peer moderator are told, and e-mailed.
    alerted = {n.recipient for n in _notes("community.crisis")}
    assert {worker_a, peer_moderator} <= alerted
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert "prison" not in mail.outbox[0].subject.lower()
    # The box shows once, not on every later visit.
    assert "face this alone" not in client.get(topic.get_absolute_url()).content.decode()


def test_crisis_matches_a_phrase_across_line_breaks(family, topic, words):
    services.post_reply(family, topic, "Some days I could end\nit all")
    assert ReviewItem.objects.get().kind == ReviewItem.Kind.CRISIS


def test_out_of_hours_every_moderator_is_alerted(family, topic, words, worker_b, monkeypatch):
    monkeypatch.setattr(conf, "moderators_on_duty", lambda moment=None: False)
    services.post_reply(family, topic, "I want to end it all")
    assert worker_b in {n.recipient for n in _notes("community.crisis")}


def test_in_hours_only_the_organisations_people_are_alerted(
    family, topic, words, worker_a, worker_b, monkeypatch
):
    monkeypatch.setattr(conf, "moderators_on_duty", lambda moment=None: True)
    services.post_reply(family, topic, "I want to end it all")
    alerted = {n.recipient for n in _notes("community.crisis")}
    assert worker_a in alerted and worker_b not in alerted


def test_an_organisation_sets_its_own_support_lines(family, org_a):
    SupportContact.objects.create(organisation=org_a, name="Our helpline", how="Call 01273 000")
    assert [line.name for line in moderation.support_for(family)] == ["Our helpline"]


def test_support_defaults_when_an_organisation_has_none(family):
    names = [line.name for line in moderation.support_for(family)]
    assert names == ["Samaritans", "Shout", "NHS 111", "Emergency"]


def test_moderation_hours_parse_and_cover(settings):
    settings.COMMUNITY_MODERATION_HOURS = "mon-fri 09:00-17:00"
    hours = conf.moderation_hours()
    london = ZoneInfo("Europe/London")
    assert hours.covers(datetime(2026, 11, 23, 10, 0, tzinfo=london))  # a Monday morning
    assert not hours.covers(datetime(2026, 11, 23, 18, 0, tzinfo=london))
    assert not hours.covers(datetime(2026, 11, 22, 10, 0, tzinfo=london))  # a Sunday
    assert hours.describe() == "Mon to Fri, 09:00 to 17:00"


def test_outside_hours_a_banner_says_replies_may_be_slower(family, topic, monkeypatch):
    client = sign_in(Client(), family)
    monkeypatch.setattr(conf, "moderators_on_duty", lambda moment=None: False)
    page = client.get("/community/").content.decode()
    assert "Replies may be slower now" in page and "116 123" in page
    monkeypatch.setattr(conf, "moderators_on_duty", lambda moment=None: True)
    assert "Replies may be slower" not in client.get("/community/").content.decode()


def _notes(kind: str) -> list:
    from homeward.core.models import Notification

    return list(Notification.objects.filter(kind=kind).select_related("recipient"))


def test_staff_set_their_organisations_support_lines(worker_a, worker_b, family):
    client = sign_in(Client(), worker_a)
    page = html.unescape(client.get("/community/support-lines/").content.decode())
    assert "Samaritans" in page  # the national lines until the organisation adds its own
    client.post("/community/support-lines/", {"name": "Our helpline", "how": "Call 01273 000"})
    assert [line.name for line in moderation.support_for(family)] == ["Our helpline"]
    line = SupportContact.objects.get()
    other = sign_in(Client(), worker_b)
    assert other.post(f"/community/support-lines/{line.pk}/delete/").status_code == 404
    client.post(f"/community/support-lines/{line.pk}/delete/")
    assert not SupportContact.objects.exists()


def test_curly_apostrophes_from_phones_match_too(family, topic, words):
    services.post_reply(family, topic, "I can\u2019t go on")
    assert ReviewItem.objects.get().kind == ReviewItem.Kind.CRISIS
