"""Members' journeys through the community on a phone, with an accessibility scan on every
page: a new member starts their first conversation, another member replies, and the first
member finds the reply through their messages."""

from __future__ import annotations

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
    expect(phone.get_by_role("link", name="Messages 1 unread")).to_be_visible()
    assert visit(phone, "/notifications/") == 200
    with next_page(phone):
        phone.get_by_role("link", name="Willow Nan 3 replied to your conversation").click()
    expect(phone.get_by_text("Welcome! You're among friends here.")).to_be_visible()
    expect(phone.get_by_role("button", name="Like message 2 by Willow Nan 3")).to_be_visible()
    assert visit(phone, "/community/progress/") == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your progress")
