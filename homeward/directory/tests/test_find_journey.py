"""In a real browser on a phone: a parent finds a service near their postcode that is open now
and helps with children, opens it, and can come back to the same results from the link. Every
page is scanned with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from homeward.core.testing.browser import next_page, visit
from homeward.directory import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def services(transactional_db: None) -> None:
    from homeward.directory import services as actions

    actions.seed_taxonomy()  # transactional tests empty the tables the migration filled
    factories.seed_national_services()
    factories.make_service(
        "Little Stars children's group (demo)", outcode="BN7", n=1, minimum_age=4,
        maximum_age=16, assured_date="2026-11-01",
    )  # fmt: skip
    factories.make_service(
        "Lewes adults' drop-in (demo)", outcode="BN7", n=2,
        terms=("counselling-emotional-support",), minimum_age=18,
    )  # fmt: skip
    factories.make_service("Leeds children's group (demo)", outcode="LS1", n=3)


def test_parent_finds_a_service_near_them_open_now_that_helps_children(
    phone: Page, live_server: LiveServer, services: None
) -> None:
    visit(phone, "/directory/")
    expect(phone.get_by_role("heading", name="Find support")).to_be_visible()

    # A typo in the postcode gets a plain message beside the field, and what they typed stays.
    phone.get_by_label("What do you need help with?").select_option(
        label="Children and young people"
    )
    phone.get_by_label("Your postcode").fill("BN7 1E")
    with next_page(phone):
        phone.get_by_role("button", name="Search").click()
    expect(phone.locator("#id_postcode_error")).to_contain_text("for example BN7 1EA")
    expect(phone.get_by_label("Your postcode")).to_have_value("BN7 1E")

    phone.get_by_label("Your postcode").fill("BN7 1EA")
    phone.get_by_text("More choices").click()
    phone.get_by_label("Open now").check()
    with next_page(phone) as results:
        phone.get_by_role("button", name="Search").click()
    local = phone.locator("section", has=phone.get_by_role("heading", name="Near BN7 1EA"))
    expect(local.get_by_role("link", name="Little Stars children's group (demo)")).to_be_visible()
    expect(local).not_to_contain_text("Lewes adults")
    expect(local).not_to_contain_text("Leeds")
    expect(local).to_contain_text("Open now")
    expect(local).to_contain_text("mile")
    expect(local).to_contain_text("Details checked 1 Nov 2026")
    # Helplines have their own lane beside local services.
    expect(
        phone.get_by_role("heading", name="By phone or online, wherever you live")
    ).to_be_visible()

    with next_page(phone):
        local.get_by_role("link", name="Little Stars children's group (demo)").click()
    expect(
        phone.get_by_role("heading", name="Little Stars children's group (demo)")
    ).to_be_visible()
    expect(phone.get_by_text("Open now")).to_be_visible()

    # The results are a plain address: opening it again (or sharing it) shows the same list.
    visit(phone, results.url)
    expect(phone.get_by_role("link", name="Little Stars children's group (demo)")).to_be_visible()
