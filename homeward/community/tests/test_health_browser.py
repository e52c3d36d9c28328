"""A member of staff checks on the community from their phone: signs in with their
authenticator, finds the health page from the community's front page (where the next events
are listed too), reads this week's figures, and looks further back. Every page is scanned with
axe; none is wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD, DEMO_TOTP_SECRET
from homeward.accounts.models import Organisation, User
from homeward.community import factories, moderation, services
from homeward.community.models import ReviewItem, TrustLevel
from homeward.core.testing.browser import next_page, sign_in_through_page
from homeward.events.factories import at, make_event

pytestmark = pytest.mark.browser


def _fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_staff_member_reads_the_community_health_on_a_phone(
    phone: Page,
    transactional_db: None,
    org_a: Organisation,
    worker_a: User,
    family: User,
    trusted_family: User,
) -> None:
    visits = factories.make_category("Visits and keeping in touch", slug="visits")
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)
    topic = services.create_topic(family, visits, title="First visit", body="What do I bring?")
    reply = services.post_reply(trusted_family, topic, "Your ID and a pound coin.")
    moderation.flag_post(trusted_family, topic.posts.get(post_number=1), "off_topic")
    moderation.approve(worker_a, ReviewItem.objects.get())
    services.toggle_reaction(family, reply, "support")
    make_event(org_a, worker_a, "Parents' evening group", starts_at=at(5, 18))

    sign_in_through_page(
        phone,
        worker_a.username,
        DEMO_PASSWORD,
        next_path="/community/",
        totp_secret=DEMO_TOTP_SECRET,
    )
    expect(phone.get_by_role("heading", level=1)).to_have_text("Community")
    expect(phone.get_by_role("link", name="Parents' evening group")).to_be_visible()

    with next_page(phone) as arrival:
        phone.get_by_role("link", name="Community health").click()
    assert arrival.status == 200 and arrival.url.endswith("/community/health/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Community health")
    this_week = phone.get_by_role("row").filter(has_text="(so far)")
    # New members, active members, conversations, messages, flags (staff are not members).
    expect(this_week.get_by_role("cell")).to_have_text(
        ["2", "2", "1", "2", "1", "under a minute (1 item)", "0"]
    )
    expect(phone.get_by_role("img", name="Active members per week for 12 weeks")).to_be_visible()
    assert _fits_the_screen(phone)

    with next_page(phone) as arrival:
        phone.get_by_role("link", name="52 weeks").click()
    assert arrival.status == 200 and arrival.url.endswith("?weeks=52")
    expect(phone.get_by_role("link", name="52 weeks")).to_have_attribute("aria-current", "page")
    expect(phone.get_by_role("row")).to_have_count(53)
    assert _fits_the_screen(phone)
