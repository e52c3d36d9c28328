"""Journeys on a phone, with an accessibility scan on every page: a member finds an event from
the landing page, says they're going and sees the joining link; a member of staff publishes
an event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD, DEMO_TOTP_SECRET
from homeward.accounts.models import Organisation, User
from homeward.core.testing.browser import next_page, sign_in_through_page
from homeward.events.factories import make_announcement, make_event
from homeward.events.models import RSVP, Event

pytestmark = pytest.mark.browser


def test_member_finds_an_event_on_the_home_page_says_going_and_sees_the_link(
    phone: Page, transactional_db: None, org_a: Organisation, worker_a: User, family: User
) -> None:
    make_event(org_a, worker_a, "Evening peer support group", online=True)
    make_announcement(org_a, worker_a, "New: an evening group every Tuesday")

    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/")
    expect(phone.get_by_role("heading", name="Events coming up")).to_be_visible()
    expect(phone.get_by_text("New: an evening group every Tuesday")).to_be_visible()

    with next_page(phone):
        phone.get_by_role("link", name="Evening peer support group").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Evening peer support group")
    expect(phone.get_by_role("link", name="join the session")).to_have_count(0)

    with next_page(phone):
        phone.get_by_role("button", name="I'm going").click()
    expect(phone.get_by_text("You're going. We'll send you a reminder")).to_be_visible()
    link = phone.get_by_role("link", name="join the session")
    expect(link).to_have_attribute("href", "https://meet.example.org/homeward-group")
    assert RSVP.objects.get(user=family).status == RSVP.Status.GOING


def test_staff_member_publishes_an_event(
    phone: Page, transactional_db: None, worker_a: User
) -> None:
    sign_in_through_page(
        phone,
        worker_a.username,
        DEMO_PASSWORD,
        next_path="/events/staff/new/",
        totp_secret=DEMO_TOTP_SECRET,
    )
    expect(phone.get_by_role("heading", level=1)).to_have_text("New event")

    day = timezone.localdate() + timedelta(days=12)
    phone.get_by_label("Title").fill("Children's activity day")
    phone.get_by_label("Date").fill(day.isoformat())
    phone.get_by_label("Starts at").fill("10:00")
    phone.get_by_label("Ends at", exact=True).fill("09:00")
    phone.get_by_label("Name of the place").fill("Hove Park Pavilion")
    phone.get_by_label("Postcode").fill("BN3 7BF")
    phone.get_by_label("Places (optional)").fill("12")
    with next_page(phone):
        phone.get_by_role("button", name="Publish the event").click()
    expect(phone.locator("#id_end_time_error")).to_contain_text("The end must be after the start.")
    expect(phone.get_by_label("Name of the place")).to_have_value("Hove Park Pavilion")
    assert not Event.objects.exists()

    phone.get_by_label("Ends at", exact=True).fill("15:00")
    with next_page(phone):
        phone.get_by_role("button", name="Publish the event").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Children's activity day")
    expect(phone.get_by_text("12 of 12 left")).to_be_visible()
    event = Event.objects.get()
    assert (event.capacity, event.postcode) == (12, "BN3 7BF")
