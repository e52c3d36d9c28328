"""Per-conversation notification levels (watching, tracking, normal, muted): the defaults that
posting sets, who hears about a reply at each level, the lists, and the control on the page."""

from __future__ import annotations

from django.core import mail
from django.test import Client, override_settings

from conftest import sign_in
from homeward.community import moderation, services, topic_levels
from homeward.community.models import NotificationLevel, ReviewItem, TopicUser
from homeward.core import datarights
from homeward.core.models import Notification
from homeward.core.notifications import set_email_frequency

Level = NotificationLevel


def _level(user, topic) -> int:
    return TopicUser.objects.get(user=user, topic=topic).notification_level


def _titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True)
    )


def test_starting_a_conversation_watches_it_and_replying_tracks_it(family, regular, topic):
    assert _level(regular, topic) == Level.WATCHING
    services.post_reply(family, topic, "Bring your ID.")
    assert _level(family, topic) == Level.TRACKING
    # Replying in your own conversation doesn't lower watching to tracking.
    services.post_reply(regular, topic, "Thank you!")
    assert _level(regular, topic) == Level.WATCHING


def test_reading_alone_leaves_the_level_normal(family, topic):
    sign_in(Client(), family).get(topic.get_absolute_url())
    assert _level(family, topic) == Level.NORMAL


def test_a_level_the_member_chose_is_kept_when_they_post(family, regular, topic):
    topic_levels.set_level(family, topic, Level.MUTED)
    services.post_reply(family, topic, "Bring your ID.")
    assert _level(family, topic) == Level.MUTED
    topic_levels.set_level(regular, topic, Level.NORMAL)
    services.post_reply(regular, topic, "Thanks")
    assert _level(regular, topic) == Level.NORMAL


def test_watchers_hear_about_every_reply_and_trackers_do_not(
    family, regular, peer_moderator, topic
):
    topic_levels.set_level(peer_moderator, topic, Level.WATCHING)
    services.post_reply(family, topic, "Bring your ID.")  # family now tracks
    services.post_reply(regular, topic, "Thank you, that helps")
    assert _titles(peer_moderator) == [
        "Robin Mum 7 replied in a conversation you're watching",
        "Willow Nan 3 replied in a conversation you're watching",
    ]
    assert _titles(family) == []  # tracking: not told of replies that aren't to them


def test_tracking_and_normal_members_still_hear_when_mentioned(
    family, regular, peer_moderator, topic
):
    services.post_reply(family, topic, "Bring your ID.")  # tracking
    topic_levels.set_level(peer_moderator, topic, Level.NORMAL)
    services.post_reply(regular, topic, "Thanks @Robin Mum 7 and @Heather Sis 12")
    assert _titles(family) == ["Willow Nan 3 mentioned you in a conversation"]
    assert _titles(peer_moderator) == ["Willow Nan 3 mentioned you in a conversation"]


def test_the_starter_hears_replies_to_their_conversation_unless_they_muted_it(
    family, regular, topic
):
    topic_levels.set_level(regular, topic, Level.NORMAL)
    services.post_reply(family, topic, "Bring your ID.")
    assert _titles(regular) == ["Robin Mum 7 replied to your conversation"]
    topic_levels.set_level(regular, topic, Level.MUTED)
    services.post_reply(family, topic, "And a pound coin, @Willow Nan 3")
    assert len(_titles(regular)) == 1  # neither the reply nor the mention


def test_a_watcher_gets_one_notification_when_also_mentioned(family, regular, topic):
    services.post_reply(family, topic, "Thank you @Willow Nan 3")
    assert _titles(regular) == ["Robin Mum 7 replied to your conversation"]


def test_a_watcher_who_can_no_longer_read_the_category_is_not_told(
    family, regular, peer_moderator, topic
):
    topic_levels.set_level(family, topic, Level.WATCHING)
    topic.category.read_min_trust = 1
    topic.category.save(update_fields=["read_min_trust"])
    services.post_reply(peer_moderator, topic, "Moving this along")
    assert _titles(family) == []
    assert _titles(regular) == ["Heather Sis 12 replied to your conversation"]


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_watching_e_mails_follow_the_members_e_mail_preference(
    family, regular, peer_moderator, topic, django_capture_on_commit_callbacks
):
    family.email = "robin@example.org"
    family.save(update_fields=["email"])
    topic_levels.set_level(family, topic, Level.WATCHING)
    set_email_frequency(family, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(peer_moderator, topic, "Good luck on Saturday")
    sent = [m for m in mail.outbox if m.to == ["robin@example.org"]]
    assert len(sent) == 1
    assert "prison" not in sent[0].subject.lower()
    assert "Heather Sis 12 replied in a conversation you're watching" in sent[0].body
    mail.outbox.clear()
    set_email_frequency(family, "never")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(peer_moderator, topic, "Thinking of you")
    assert not [m for m in mail.outbox if m.to == ["robin@example.org"]]


def test_a_muted_conversation_leaves_the_latest_list_and_shows_muted_in_its_category(family, topic):
    assert [t.pk for t in services.latest_topics_for(family)] == [topic.pk]
    topic_levels.set_level(family, topic, Level.MUTED)
    assert services.latest_topics_for(family) == []
    page = sign_in(Client(), family).get("/community/c/visits/").content.decode()
    assert ">Muted<" in page


def test_new_replies_are_counted_only_for_tracked_or_watched_conversations(family, regular, topic):
    client = sign_in(Client(), family)
    client.get(topic.get_absolute_url())
    services.post_reply(regular, topic, "Also, wear something comfortable")
    assert " new<" not in client.get("/community/c/visits/").content.decode()  # normal
    topic_levels.set_level(family, topic, Level.WATCHING)
    assert ">1 new<" in client.get("/community/c/visits/").content.decode()


def test_the_topic_page_shows_the_level_and_the_form_changes_it(family, topic):
    client = sign_in(Client(), family)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Notifications: Normal" in page
    response = client.post(f"/community/t/{topic.pk}/notifications/", {"level": "3"})
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#notifications"
    assert _level(family, topic) == Level.WATCHING
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Notifications: Watching" in page
    assert '<option value="3" selected>' in page


def test_an_unknown_level_changes_nothing(family, topic):
    client = sign_in(Client(), family)
    for bad in ("7", "loud", ""):
        assert (
            client.post(f"/community/t/{topic.pk}/notifications/", {"level": bad}).status_code
            == 404
        )
    assert not TopicUser.objects.filter(user=family, topic=topic).exists()


def test_a_member_who_cannot_read_the_conversation_cannot_set_a_level(family, worker_a, staff_room):
    hidden = services.create_topic(worker_a, staff_room, title="Rota please", body="Who can cover?")
    response = sign_in(Client(), family).post(
        f"/community/t/{hidden.pk}/notifications/", {"level": "0"}
    )
    assert response.status_code == 404
    assert not TopicUser.objects.filter(user=family, topic=hidden).exists()


def test_a_held_reply_reaches_watchers_only_once_a_moderator_approves_it(
    family, regular, peer_moderator, topic
):
    topic.category.approve_new_members = True
    topic.category.save(update_fields=["approve_new_members"])
    held = services.post_reply(family, topic, "Bring your ID.")  # family is level 0
    assert held.awaiting_approval
    assert _titles(regular) == []
    moderation.approve(peer_moderator, ReviewItem.objects.get(post=held))
    assert _titles(regular) == ["Robin Mum 7 replied to your conversation"]


def test_levels_are_in_the_members_export_and_go_with_erasure(family, regular, topic):
    topic_levels.set_level(family, topic, Level.MUTED)
    data = datarights.export_member(family)["community"]["conversation_notifications"]
    assert data == [{"conversation": "First visit next week", "level": "Muted"}]
    datarights.erase_member(family)
    assert not TopicUser.objects.filter(user=family).exists()
