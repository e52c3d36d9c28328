"""A member fills in their profile on a phone and keeps one part to themselves; another member
sees the rest, and finds the first member's conversation through search. Every page is
scanned with axe; search and profiles work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD
from homeward.accounts.models import User
from homeward.community import factories, services
from homeward.community.models import Category
from homeward.core.testing.browser import PHONE, OpenPage, next_page, sign_in_through_page, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def crafts(transactional_db: None) -> Category:
    return factories.make_category("Keeping busy", slug="keeping-busy")


def test_member_hides_who_they_support_and_is_found_through_search(
    phone: Page, open_page: OpenPage, crafts: Category, family: User, trusted_family: User
) -> None:
    services.create_topic(
        family, crafts, title="Knitting circle on Thursdays", body="Bring wool, we have tea."
    )

    # The member writes about themselves, and keeps who they support to themselves.
    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/settings/")
    with next_page(phone):
        phone.get_by_role("link", name="Change your profile").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your profile")
    phone.get_by_label("About me", exact=True).fill("I knit blankets for the **visitors' centre**.")
    phone.get_by_label("Who you're supporting", exact=True).select_option(label="My partner")
    phone.get_by_role("group", name="Who can see who you're supporting").get_by_label(
        "Only me"
    ).check()
    with next_page(phone):
        phone.get_by_role("button", name="Save your profile").click()
    expect(phone.get_by_text("Your profile is saved.")).to_be_visible()
    with next_page(phone):
        phone.get_by_role("link", name="See your profile").click()
    expect(phone.get_by_text("My partner")).to_be_visible()  # they still see it themselves

    # Another member, on a phone with JavaScript off, searches and sees the profile without it.
    other = open_page(PHONE, mobile=True, javascript=False)
    sign_in_through_page(other, trusted_family.username, DEMO_PASSWORD, next_path="/search/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Search")
    other.get_by_label("Words to look for in conversations").fill("knitting woo")
    with next_page(other):
        other.get_by_role("button", name="Search").click()
    result = other.get_by_role("link", name="Knitting circle on Thursdays")
    expect(result).to_be_visible()
    # The words found are marked, in the title and in the text.
    expect(other.locator("mark").first).to_have_text("Knitting")
    expect(other.locator("mark").last).to_have_text("wool")
    with next_page(other):
        other.get_by_role("link", name=family.public_name).first.click()
    expect(other.get_by_role("heading", level=1)).to_have_text(family.public_name)
    expect(other.get_by_text("I knit blankets for the")).to_be_visible()
    expect(other.get_by_text("My partner")).to_have_count(0)
    with next_page(other):
        other.get_by_role("link", name="Knitting circle on Thursdays").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Knitting circle on Thursdays")
    assert visit(other, family.profile_url) == 200
