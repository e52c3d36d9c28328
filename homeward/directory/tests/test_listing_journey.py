"""In a real browser on a phone: a support worker lists a service that runs on two evenings and
by appointment, for people in one local authority; a mistake is explained beside its field; a
parent in that area then finds it. Every page is scanned with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from homeward.accounts.factories import DEMO_PASSWORD, DEMO_TOTP_SECRET
from homeward.accounts.models import User
from homeward.core.testing.browser import check_accessibility, next_page, sign_in_through_page
from homeward.directory.models import Service

pytestmark = pytest.mark.browser


@pytest.fixture
def taxonomy(transactional_db: None) -> None:
    from homeward.directory import services as actions

    actions.seed_taxonomy()  # transactional tests empty the tables the migration filled


def test_staff_list_a_service_with_two_evenings_for_one_local_authority(
    phone: Page, live_server: LiveServer, taxonomy: None, worker_a: User
) -> None:
    sign_in_through_page(
        phone, worker_a.username, DEMO_PASSWORD, next_path="/directory/staff/new/",
        totp_secret=DEMO_TOTP_SECRET,
    )  # fmt: skip
    expect(phone.get_by_role("heading", level=1)).to_have_text("List a service")
    phone.get_by_label("Name of the service").fill("Evening family group")
    phone.get_by_label("What it offers").fill("A friendly group for families, with tea.")
    phone.get_by_label("Children and young people").check()
    phone.get_by_label("Address (where people come)").fill("1 High Street")
    phone.get_by_label("Town or city").fill("Lewes")
    phone.get_by_label("Postcode", exact=True).fill("BN7 2AA")
    first = phone.get_by_role("group", name="Times 1")
    first.get_by_label("Tuesday").check()
    first.get_by_label("Opens at").fill("18:00")
    first.get_by_label("Closes at").fill("17:00")  # a slip: before it opens
    second = phone.get_by_role("group", name="Times 2")
    second.get_by_label("Thursday").check()
    second.get_by_label("Opens at").fill("18:00")
    second.get_by_label("Closes at").fill("20:00")
    phone.get_by_role("group", name="Times 3").get_by_label("Anything else").fill("By appointment")
    phone.get_by_label("People who live in particular local authorities").check()
    phone.get_by_label("Which local authorities").fill("Lewes")
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#id_schedule-0-closes_at_error")).to_contain_text(
        "must be after the opening time"
    )
    expect(phone.get_by_role("group", name="Times 2").get_by_label("Closes at")).to_have_value(
        "20:00"
    )
    assert not Service.objects.exists()

    phone.get_by_role("group", name="Times 1").get_by_label("Closes at").fill("20:00")
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Evening family group")
    expect(phone.get_by_text("Tuesday: 18:00 to 20:00")).to_be_visible()
    expect(phone.get_by_text("Thursday: 18:00 to 20:00")).to_be_visible()
    expect(phone.get_by_text("By appointment")).to_be_visible()
    expect(phone.get_by_text("For people who live in: Lewes")).to_be_visible()

    # A parent in Lewes finds it; the district's authority is named on the results.
    phone.goto(f"{live_server.url}/directory/?postcode=BN7+1EA&need=children-young-people")
    check_accessibility(phone)
    local = phone.locator("section", has=phone.get_by_role("heading", name="Near BN7 1EA"))
    expect(local.get_by_role("link", name="Evening family group")).to_be_visible()
    expect(local).to_contain_text("BN7 1EA is in Lewes")
