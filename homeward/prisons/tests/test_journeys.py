"""A family's journey through the Prison guide on a phone, with an accessibility scan on every
page: find the prison by postcode, follow it, add a tip, record a move and read what changed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.factories import DEMO_PASSWORD
from homeward.accounts.models import User
from homeward.core.testing.browser import next_page, sign_in_through_page, visit
from homeward.prisons.importer import import_prisons
from homeward.prisons.models import Follow, Tip

pytestmark = pytest.mark.browser


@pytest.fixture
def sussex(transactional_db: None) -> None:
    """Lewes, Ford and a few prisons further away."""
    import_prisons(codes={"LWI", "FDI", "BAI", "WDI", "CFI", "STC2"})


def test_family_finds_prison_by_postcode_follows_adds_tip_and_records_a_move(
    phone: Page, sussex: None, family: User
) -> None:
    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/prisons/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Visiting guide")

    phone.get_by_label("Your postcode").fill("bn7 1ea")
    with next_page(phone):
        phone.get_by_role("button", name="Find the nearest").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nearest prisons to BN7 1EA")
    results = phone.locator("main ol li")
    expect(results.first).to_contain_text("Lewes")
    expect(results.first).to_contain_text("less than a mile")

    with next_page(phone):
        phone.get_by_role("link", name="Lewes", exact=True).click()
    expect(phone).to_have_title(re.compile(r"^Lewes: visiting guide\b"))
    expect(phone.get_by_text("last published times, from 31 July 2026")).to_be_visible()

    with next_page(phone):
        phone.get_by_role("button", name="Follow Lewes").click()
    expect(phone.get_by_text("You're following Lewes.")).to_be_visible()
    assert Follow.objects.filter(user=family, prison_id="LWI").exists()

    phone.get_by_label("Your tip").fill("The 2pm queue is shorter after 1:40.")
    with next_page(phone):
        phone.get_by_role("button", name="Add my tip").click()
    expect(phone.get_by_text("A moderator will read your tip soon")).to_be_visible()
    assert Tip.objects.get().status == Tip.Status.PENDING

    with next_page(phone):
        phone.get_by_role("link", name="They've been moved").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("They've been moved from Lewes")
    phone.get_by_label("Where are they now?").select_option(label="Ford")
    with next_page(phone) as arrival:
        phone.get_by_role("button", name="Show me what's different").click()
    assert arrival.url.endswith("/prisons/compare/LWI/FDI/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("What's different at Ford")
    expect(phone.get_by_text("Online, through GOV.UK's visit booking service")).to_be_visible()
    assert list(Follow.objects.filter(user=family).values_list("prison_id", flat=True)) == ["FDI"]

    assert visit(phone, "/prisons/mine/") == 200
    expect(phone.get_by_role("link", name="Ford", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Lewes", exact=True)).to_have_count(0)


def test_visitor_reads_a_closed_prison_and_an_unknown_code_on_a_phone(
    phone: Page, sussex: None
) -> None:
    assert visit(phone, "/prisons/STC2/") == 200
    expect(phone.get_by_role("heading", name="Rainsbrook has closed")).to_be_visible()
    assert visit(phone, "/prisons/NOPE/") == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("We can't find that prison")
    assert visit(phone, "/prisons/help-with-costs/") == 200
    phone.get_by_label("Husband, wife, civil partner or partner").check()
    phone.get_by_label("Universal Credit").check()
    phone.get_by_label("Fewer than 26 in the last 12 months").check()
    with next_page(phone):
        phone.get_by_role("button", name="See the answer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "You can probably get help with the cost of your visits"
    )
    assert visit(phone, "/prisons/LWI/booklet/") == 200
