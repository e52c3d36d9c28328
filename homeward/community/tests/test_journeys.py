"""Members' journeys through the community on a phone, with an accessibility scan on every
page: a new member starts their first conversation, another member replies, and the first
member finds the reply through their messages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD
from homeward.accounts.models import User
from homeward.community import factories
from homeward.community.models import Category, Topic, TrustLevel
from homeward.core.testing.browser import PHONE, OpenPage, next_page, sign_in_through_page, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def welcome(transactional_db: None) -> Category:
    return factories.make_category("Welcome and introductions", slug="welcome")


def test_new_member_starts_a_conversation_gets_a_reply_and_sees_it(
    phone: Page, open_page: OpenPage, welcome: Category, family: User, trusted_family: User
) -> None:
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)

    # The new member finds the community and starts their first conversation.
    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/community/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Community")
    with next_page(phone):
        phone.get_by_role("link", name="Welcome and introductions").click()
    with next_page(phone):
        phone.get_by_role("link", name="Start a conversation").click()
    with next_page(phone) as arrival:  # nothing typed: told what to do, beside the field
        phone.get_by_role("button", name="Start conversation").click()
    assert arrival.status == 400
    expect(phone.get_by_text("Give your conversation a title.").first).to_be_visible()
    phone.get_by_label("Title").fill("Hello from a new member")
    phone.get_by_label("Your message").fill("Hi everyone, I've just joined. It's good to be here.")
    with next_page(phone):
        phone.get_by_role("button", name="Start conversation").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello from a new member")
    expect(phone.get_by_text("Your conversation has started.")).to_be_visible()
    topic = Topic.objects.get()

    # Another member replies, on their own phone.
    other = open_page(PHONE, mobile=True)
    sign_in_through_page(
        other, trusted_family.username, DEMO_PASSWORD, next_path=topic.get_absolute_url()
    )
    other.get_by_label("Your reply").fill("Welcome! You're among friends here.")
    with next_page(other):
        other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_text("Welcome! You're among friends here.")).to_be_visible()
    # htmx swaps the reactions in place (without JavaScript the form posts and the page reloads).
    support = other.get_by_role("button", name="Sending support to Robin Mum 7")
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(support).to_contain_text("· 1")

    # The new member sees the reply in their messages and follows it to the conversation.
    assert visit(phone, "/") == 200
    expect(phone.get_by_role("link", name="Updates 1 unread")).to_be_visible()
    assert visit(phone, "/notifications/") == 200
    with next_page(phone):
        phone.get_by_role("link", name="Willow Nan 3 replied to your conversation").click()
    expect(phone.get_by_text("Welcome! You're among friends here.")).to_be_visible()
    expect(phone.get_by_role("button", name="Like message 2 by Willow Nan 3")).to_be_visible()
    assert visit(phone, "/community/progress/") == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your progress")


def test_new_member_cannot_start_a_private_conversation_and_sees_why(
    phone: Page, welcome: Category, family: User
) -> None:
    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/community/")
    with next_page(phone):
        phone.get_by_role("link", name="Private messages").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Private messages")
    with next_page(phone):
        phone.get_by_role("link", name="How to start a private conversation").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Private messages aren't open to you yet"
    )
    expect(phone.get_by_text(re.compile(r"Visit on 1\d more days"))).to_be_visible()
    expect(phone.get_by_role("button", name="Send")).to_have_count(0)
    with next_page(phone):
        phone.get_by_role("link", name="See all your progress").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your progress")


def test_regular_member_starts_a_private_conversation_and_the_other_replies(
    phone: Page, open_page: OpenPage, welcome: Category, family: User, trusted_family: User
) -> None:
    factories.set_trust_level(trusted_family, TrustLevel.MEMBER)
    sign_in_through_page(
        phone, trusted_family.username, DEMO_PASSWORD, next_path="/community/messages/"
    )
    with next_page(phone):
        phone.get_by_role("link", name="Start a private conversation").click()
    expect(phone.get_by_text("Staff read a private conversation only if")).to_be_visible()
    phone.get_by_label("To").fill("Robin Mum 7")
    phone.get_by_label("Subject").fill("Your first visit")
    phone.get_by_label("Your message").fill("How are you feeling about Saturday?")
    with next_page(phone):
        phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your first visit")
    expect(phone.get_by_text("How are you feeling about Saturday?")).to_be_visible()

    other = open_page(PHONE, mobile=True)
    sign_in_through_page(other, family.username, DEMO_PASSWORD, next_path="/community/messages/")
    expect(other.get_by_text("1 new")).to_be_visible()
    with next_page(other):
        other.get_by_role("link", name="Your first visit").click()
    other.get_by_label("Your message").fill("A bit nervous, but better for your message.")
    with next_page(other):
        other.get_by_role("button", name="Send").click()
    expect(other.get_by_text("A bit nervous, but better for your message.")).to_be_visible()


def test_peer_moderator_clears_a_flag(
    phone: Page, welcome: Category, family: User, trusted_family: User, peer_moderator: User
) -> None:
    from homeward.community import moderation, services
    from homeward.community.models import Flag, ReviewItem

    factories.set_trust_level(trusted_family, TrustLevel.BASIC)
    topic = services.create_topic(trusted_family, welcome, title="Hello all", body="Hi!")
    reply = services.post_reply(family, topic, "You can reach me on 07700 900123")
    moderation.flag_post(trusted_family, reply, "identifies", "A phone number")

    sign_in_through_page(phone, peer_moderator.username, DEMO_PASSWORD, next_path="/community/")
    with next_page(phone):
        phone.get_by_role("link", name="Review queue").click()
    expect(phone.get_by_role("heading", level=2, name="Flagged message")).to_be_visible()
    expect(phone.get_by_text("A phone number")).to_be_visible()
    with next_page(phone):
        phone.get_by_role("button", name="Hide item 1").click()
    expect(phone.get_by_text("Hidden. Its author can edit it")).to_be_visible()
    expect(phone.get_by_text("Nothing is waiting.")).to_be_visible()
    assert ReviewItem.objects.get().status == ReviewItem.Status.HIDDEN
    assert Flag.objects.get().outcome == Flag.Outcome.AGREED


def test_crisis_words_show_help_at_once_and_go_first_in_the_queue(
    phone: Page,
    open_page: OpenPage,
    welcome: Category,
    family: User,
    trusted_family: User,
    peer_moderator: User,
) -> None:
    from homeward.community import moderation, services
    from homeward.community.models import WatchedWord

    WatchedWord.objects.create(word="can't go on", action="crisis")
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)
    topic = services.create_topic(trusted_family, welcome, title="How's everyone?", body="Hi")
    older = services.post_reply(trusted_family, topic, "Buy cheap phones here")
    moderation.flag_post(peer_moderator, older, "spam")

    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path=topic.get_absolute_url())
    phone.get_by_label("Your reply").fill("Honestly some days I feel I can't go on.")
    with next_page(phone):
        phone.get_by_role("button", name="Post reply").click()
    box = phone.get_by_role("region", name="You don't have to face this alone")
    expect(box).to_be_visible()
    expect(box).to_contain_text("116 123")
    expect(box).to_contain_text("85258")
    expect(phone.get_by_text("Honestly some days I feel I can't go on.")).to_be_visible()

    moderator = open_page(PHONE, mobile=True)
    sign_in_through_page(
        moderator, peer_moderator.username, DEMO_PASSWORD, next_path="/community/review/"
    )
    first = moderator.locator(".review").first
    expect(first).to_contain_text("Someone may be at risk")
    expect(first).to_contain_text("can't go on")
