"""Quoting a message in a reply: the "Quote" control and the form it opens (without JavaScript),
which messages may be quoted, a message's lasting address, and the "quoted you" notification
(once, never past a mute, a block or what the writer may read)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from conftest import sign_in
from homeward.accounts.factories import make_member
from homeward.community import conversations, moderation, quotes, services, topic_levels
from homeward.community.models import NotificationLevel, Post, ReviewItem
from homeward.core.models import Notification
from homeward.core.notifications import set_email_frequency

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def answer(topic, family) -> Post:
    """The new family member's reply in the trusted member's conversation."""
    return services.post_reply(family, topic, "Your ID, and a pound coin for the locker.")


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def _quoting(post: Post, words: str = "Thank you, that helps.") -> str:
    return quotes.quote_markdown(post) + words


# The control and the form -----------------------------------------------------------------


def test_quote_opens_the_reply_form_with_the_message_quoted(answer, regular):
    client = sign_in(Client(), regular)
    page = client.get(answer.get_absolute_url()).content.decode()
    assert f'href="/community/p/{answer.pk}/quote/"' in page
    response = client.get(f"/community/p/{answer.pk}/quote/")
    assert response.status_code == 200
    body = response.context["form"].initial["body"]
    assert body == (
        f"[Robin Mum 7](/community/p/{answer.pk}/) wrote:\n"
        "> Your ID, and a pound coin for the locker.\n\n"
    )
    text = response.content.decode()
    assert f'action="/community/t/{answer.topic_id}/reply/"' in text
    assert "Your reply starts with a quote from" in text


def test_posting_the_quote_form_publishes_a_reply_that_links_to_the_quoted_message(answer, regular):
    client = sign_in(Client(), regular)
    body = client.get(f"/community/p/{answer.pk}/quote/").context["form"].initial["body"]
    response = client.post(f"/community/t/{answer.topic_id}/reply/", {"body": body + "Thanks!"})
    assert response.status_code == 302
    reply = Post.objects.latest("pk")
    assert f'<a href="/community/p/{answer.pk}/"' in reply.cooked
    assert "<blockquote>" in reply.cooked
    assert client.get(f"/community/p/{answer.pk}/").url == answer.get_absolute_url()


def test_an_unfinished_reply_comes_before_the_quote(answer, regular):
    from homeward.community import drafts

    drafts.save_reply_draft(regular, answer.topic, "I was going to say")
    body = (
        sign_in(Client(), regular)
        .get(f"/community/p/{answer.pk}/quote/")
        .context["form"]
        .initial["body"]
    )
    assert body.startswith("I was going to say\n\n[Robin Mum 7]")


def test_a_long_message_is_quoted_shortened_and_without_its_own_quotes(topic, family, regular):
    first = topic.posts.get(post_number=1)
    long = services.post_reply(
        family,
        topic,
        quotes.quote_markdown(first)
        + ("We went on Saturday and it was fine. " * 30)
        + "\n\n```\nsome code that runs on\n"
        + "and on\n" * 100
        + "```",
    )
    quoted = quotes.quote_markdown(long)
    assert "What should I bring?" not in quoted  # the quote it held is left out
    assert len(quoted) < quotes.QUOTE_CHARS + 100
    assert quoted.rstrip().endswith("…")
    assert quoted.startswith(f"[Robin Mum 7](/community/p/{long.pk}/) wrote:\n> We went")


def test_a_code_block_cut_open_is_closed_again():
    text = "Here:\n\n```\n" + "line\n" * 400
    short = quotes.shorten(text, 100)
    assert short.count("```") == 2


def test_a_name_with_markdown_in_it_is_escaped(topic, family):
    family.display_name = "Sam [the] *star*"
    family.save(update_fields=["display_name"])
    post = services.post_reply(family, topic, "Hello")
    quoted = quotes.quote_markdown(post)
    assert quoted.startswith(r"[Sam \[the\] \*star\*](")
    assert quotes.quoted_post_ids(quoted) == [post.pk]


def test_a_picture_is_quoted_as_its_description_so_a_new_member_may_post_the_quote(
    topic, regular, family
):
    post = services.post_reply(regular, topic, "Our garden this morning.")
    post.raw += (
        "\n\n![Sunflowers by the shed](/community/pictures/7/)\n\n![](/community/pictures/8/)"
    )
    quoted = quotes.quote_markdown(post)
    assert "(picture: Sunflowers by the shed)" in quoted and "(picture: no description)" in quoted
    assert "![" not in quoted and "/community/pictures/" not in quoted
    reply = services.post_reply(family, topic, quoted + "Lovely.")  # a new member: no pictures
    assert "<img" not in reply.cooked


@pytest.mark.parametrize("state", ["hidden", "held", "removed"])
def test_hidden_held_or_removed_messages_cannot_be_quoted(answer, regular, peer_moderator, state):
    if state == "hidden":
        Post.objects.filter(pk=answer.pk).update(hidden_at=timezone.now())
    elif state == "held":
        Post.objects.filter(pk=answer.pk).update(awaiting_approval=True)
    else:
        services.delete_post(peer_moderator, answer)
    for who in (regular, peer_moderator):  # moderators see them, but nobody quotes them
        assert sign_in(Client(), who).get(f"/community/p/{answer.pk}/quote/").status_code == 404
    page = sign_in(Client(), peer_moderator).get(answer.get_absolute_url()).content.decode()
    assert f"/community/p/{answer.pk}/quote/" not in page


def test_a_message_the_member_may_not_read_cannot_be_quoted_or_found(staff_room, worker_a, family):
    staff_topic = services.create_topic(worker_a, staff_room, title="Rota", body="Who can cover?")
    post = staff_topic.posts.get()
    client = sign_in(Client(), family)
    assert client.get(f"/community/p/{post.pk}/quote/").status_code == 404
    assert client.get(f"/community/p/{post.pk}/").status_code == 404
    assert sign_in(Client(), worker_a).get(f"/community/p/{post.pk}/quote/").status_code == 200


def test_a_closed_conversation_takes_no_quotes_from_members(answer, regular, peer_moderator):
    services.set_closed(peer_moderator, answer.topic, closed=True)
    client = sign_in(Client(), regular)
    assert client.get(f"/community/p/{answer.pk}/quote/").status_code == 404
    assert (
        f"/community/p/{answer.pk}/quote/"
        not in client.get(answer.get_absolute_url()).content.decode()
    )
    # It still has its lasting address, and moderators may still reply there.
    assert client.get(f"/community/p/{answer.pk}/").status_code == 302
    moderator = sign_in(Client(), peer_moderator)
    assert moderator.get(f"/community/p/{answer.pk}/quote/").status_code == 200


def test_a_held_message_s_address_is_only_for_its_author_and_moderators(
    answer, regular, family, peer_moderator
):
    Post.objects.filter(pk=answer.pk).update(awaiting_approval=True)
    assert sign_in(Client(), regular).get(f"/community/p/{answer.pk}/").status_code == 404
    assert sign_in(Client(), family).get(f"/community/p/{answer.pk}/").status_code == 302
    assert sign_in(Client(), peer_moderator).get(f"/community/p/{answer.pk}/").status_code == 302


def test_the_address_follows_a_message_split_into_a_new_conversation(
    answer, regular, peer_moderator
):
    new = services.split_topic(peer_moderator, answer.topic, from_number=2, title="Lockers")
    response = sign_in(Client(), regular).get(f"/community/p/{answer.pk}/")
    assert response.url == f"/community/t/{new.pk}/#post-1"


# Finding quotes ---------------------------------------------------------------------------


def test_quotes_are_found_by_the_link_in_the_attribution_line(answer):
    quoted = quotes.quote_markdown(answer)
    assert quotes.quoted_post_ids(quoted + "Me too") == [answer.pk]
    # Changing the name or the words doesn't change whose message it is.
    edited = quoted.replace("Robin Mum 7", "Someone").replace("pound coin", "fiver")
    assert quotes.quoted_post_ids(edited) == [answer.pk]
    # The full address of this site counts too.
    full = quoted.replace("(/community/", f"({settings.SITE_URL}/community/")
    assert quotes.quoted_post_ids(full) == [answer.pk]


@pytest.mark.parametrize(
    "text",
    [
        "Robin Mum 7 wrote:\n> Your ID",  # no link: free text proves nothing
        "[Robin Mum 7](/community/p/{pk}/) wrote:\n\nYour ID",  # no blockquote after it
        "[Robin Mum 7](/community/p/{pk}/) said:\n> Your ID",
        "[Robin Mum 7](/community/t/{pk}/) wrote:\n> Your ID",  # not a message's address
        "[Robin Mum 7](https://elsewhere.example/community/p/{pk}/) wrote:\n> Your ID",
        "```\n[Robin Mum 7](/community/p/{pk}/) wrote:\n> Your ID\n```",  # in a code block
        "> [Robin Mum 7](/community/p/{pk}/) wrote:\n> > Your ID",  # a quote inside a quote
        "- [Robin Mum 7](/community/p/{pk}/) wrote:\n  > Your ID",  # in a list
    ],
)
def test_other_text_is_not_taken_for_a_quote(answer, text):
    assert quotes.quoted_post_ids(text.format(pk=answer.pk)) == []


# Notifications ----------------------------------------------------------------------------


def test_the_quoted_writer_is_told_once_and_discreetly(answer, peer_moderator, family):
    reply = services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    note = Notification.objects.get(recipient=family, kind="community.quote")
    assert note.title == "Heather Sis 12 quoted you in a conversation"
    assert note.url == reply.get_absolute_url()
    assert "prison" not in note.title.lower() and "pound" not in note.title


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_the_quote_e_mail_says_nothing_in_its_subject(
    answer, peer_moderator, family, django_capture_on_commit_callbacks
):
    family.email = "robin@example.org"
    family.save(update_fields=["email"])
    set_email_frequency(family, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    sent = [m for m in mail.outbox if m.to == ["robin@example.org"]]
    assert len(sent) == 1
    assert sent[0].subject == f"You have a new message on {settings.SITE_NAME}"
    assert "Heather Sis 12 quoted you in a conversation" in sent[0].body
    mail.outbox.clear()
    set_email_frequency(family, "never")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(peer_moderator, answer.topic, _quoting(answer, "Again"))
    assert not [m for m in mail.outbox if m.to == ["robin@example.org"]]
    assert _kinds(family).count("community.quote") == 2  # still on the site


def test_a_writer_mentioned_as_well_hears_about_the_mention_only(answer, peer_moderator, family):
    services.post_reply(peer_moderator, answer.topic, _quoting(answer, "@Robin Mum 7 exactly"))
    assert _kinds(family) == ["community.mention"]


def test_the_conversation_s_starter_hears_about_the_reply_only(topic, regular, family):
    first = topic.posts.get(post_number=1)
    services.post_reply(family, topic, _quoting(first))
    assert _kinds(regular) == ["community.reply"]


def test_a_writer_who_watches_the_conversation_hears_about_the_reply_only(
    answer, peer_moderator, family
):
    topic_levels.set_level(family, answer.topic, NotificationLevel.WATCHING)
    services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    assert _kinds(family) == ["community.watching"]


def test_a_writer_who_muted_the_conversation_is_not_told(answer, peer_moderator, family):
    topic_levels.set_level(family, answer.topic, NotificationLevel.MUTED)
    services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    assert _kinds(family) == []


@pytest.mark.parametrize("kind", ["mute", "block"])
def test_a_writer_who_muted_or_blocked_the_author_is_not_told(answer, peer_moderator, family, kind):
    conversations.set_ignore(family, peer_moderator, kind)
    services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    assert _kinds(family) == []


def test_quoting_yourself_tells_nobody(answer, family):
    services.post_reply(family, answer.topic, _quoting(answer))
    assert "community.quote" not in _kinds(family)


def test_a_quote_of_a_message_the_author_may_not_read_tells_nobody(
    topic, staff_room, worker_a, family
):
    staff_post = services.create_topic(
        worker_a, staff_room, title="Rota", body="Cover?"
    ).posts.get()
    crafted = f"[Someone](/community/p/{staff_post.pk}/) wrote:\n> Cover?\n\nHello"
    services.post_reply(family, topic, crafted)
    assert _kinds(worker_a) == []


def test_a_writer_who_may_not_read_the_reply_is_not_told(answer, staff_room, worker_a, family):
    services.create_topic(worker_a, staff_room, title="About lockers", body=_quoting(answer))
    assert _kinds(family) == []


def test_a_held_reply_tells_the_quoted_writer_once_a_moderator_approves_it(
    answer, family, org_a, peer_moderator
):
    topic = answer.topic
    topic.category.approve_new_members = True
    topic.category.save(update_fields=["approve_new_members"])
    newcomer = make_member("Ash Dad 9", org_a)
    held = services.post_reply(newcomer, topic, _quoting(answer))
    assert held.awaiting_approval
    assert _kinds(family) == []
    moderation.approve(peer_moderator, ReviewItem.objects.get(post=held))
    assert _kinds(family) == ["community.quote"]


def test_a_hidden_quoted_message_tells_nobody(answer, peer_moderator, family):
    Post.objects.filter(pk=answer.pk).update(hidden_at=timezone.now())
    services.post_reply(peer_moderator, answer.topic, _quoting(answer))
    assert _kinds(family) == []


def test_a_new_member_s_quotes_do_not_count_against_their_links(
    topic, regular, family, peer_moderator
):
    quoted = [
        topic.posts.get(post_number=1),
        services.post_reply(regular, topic, "Bring your ID."),
        services.post_reply(peer_moderator, topic, "And a pound coin."),
    ]
    body = "".join(quotes.quote_markdown(p) for p in quoted) + "Thank you, all of you"
    reply = services.post_reply(family, topic, body)  # a new member: two links at most
    assert quotes.quoted_post_ids(reply.raw) == [p.pk for p in quoted]
    assert _kinds(peer_moderator) == ["community.quote"]
    with pytest.raises(services.PostRefused, match="up to 2 links"):
        services.post_reply(
            family, topic, "https://a.example/\nhttps://b.example/\nhttps://c.example/"
        )
