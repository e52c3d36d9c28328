"""A member's journey through the newer conversation tools on a phone, with an accessibility
scan on every page: a member starts a conversation with a poll, another votes, writes a reply
that is saved as they type and restored after reloading, watches the conversation, and posts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD
from homeward.accounts.models import User
from homeward.community import factories
from homeward.community.models import Category, Draft, Topic, TopicUser, TrustLevel
from homeward.core.testing.browser import PHONE, OpenPage, next_page, sign_in_through_page, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def welcome(transactional_db: None) -> Category:
    return factories.make_category("Welcome and introductions", slug="welcome")


def test_poll_vote_draft_restore_and_watching_on_a_phone(
    phone: Page, open_page: OpenPage, welcome: Category, family: User, trusted_family: User
) -> None:
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)

    # A member starts a conversation with a poll (no JavaScript needed for any of it).
    sign_in_through_page(
        phone, trusted_family.username, DEMO_PASSWORD, next_path="/community/c/welcome/new/"
    )
    phone.get_by_label("Title").fill("When do you usually visit?")
    phone.get_by_label("Your message").fill("Trying to plan a meet-up for the families.")
    phone.get_by_label("Poll question (optional)").fill("Which visit slot suits you?")
    phone.get_by_label("Poll answers, one on each line").fill("Morning\nAfternoon\nEvening")
    with next_page(phone):
        phone.get_by_role("button", name="Start conversation").click()
    expect(phone.get_by_role("heading", name="Which visit slot suits you?")).to_be_visible()
    expect(phone.get_by_role("heading", name="Notifications: Watching")).to_be_visible()
    topic = Topic.objects.get()

    # Another member votes, and sees the results once they have.
    other = open_page(PHONE, mobile=True)
    sign_in_through_page(other, family.username, DEMO_PASSWORD, next_path=topic.get_absolute_url())
    other.get_by_label("Afternoon").check()
    with next_page(other):
        other.get_by_role("button", name="Vote").click()
    expect(other.get_by_text("Thank you: your vote is counted.")).to_be_visible()
    expect(other.get_by_text("1 vote (100%)")).to_be_visible()

    # They start a reply; it is saved after a few quiet seconds and comes back after a reload.
    other.get_by_label("Your reply").fill("Afternoons work best for me, because of school")
    expect(other.get_by_text("Draft saved at")).to_be_visible(timeout=10_000)
    assert Draft.objects.get(user=family).body == "Afternoons work best for me, because of school"
    assert visit(other, topic.get_absolute_url()) == 200
    expect(other.get_by_text("Restored your draft from")).to_be_visible()
    expect(other.get_by_label("Your reply")).to_have_value(
        "Afternoons work best for me, because of school"
    )

    # They choose to watch the conversation, then post the reply: the draft is gone.
    other.get_by_label("Change to").select_option("Watching")
    with next_page(other):
        other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("heading", name="Notifications: Watching")).to_be_visible()
    expect(other.get_by_text("Saved. You'll be told about every new reply.")).to_be_visible()
    assert TopicUser.objects.get(user=family, topic=topic).notification_level == 3
    other.get_by_label("Your reply").fill("Afternoons work best for me, because of school.")
    with next_page(other):
        other.get_by_role("button", name="Post reply").click()
    expect(other.get_by_text("Your reply is posted.")).to_be_visible()
    expect(other.get_by_text("Restored your draft from")).to_have_count(0)
    assert not Draft.objects.filter(user=family).exists()
