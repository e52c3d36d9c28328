"""Quick exit, in a real browser: "Leave this site quickly" (or Esc twice) takes a person to a
neutral site at once, leaves no history entry to come back to, and tells that site nothing about
where they were. Without JavaScript it is still a plain link that works."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from homeward.core.testing.browser import PHONE, OpenPage, visit

pytestmark = pytest.mark.browser

EXIT_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


@dataclass
class ExitSite:
    """Stands in for the neutral site (the suite has no network) and notes how it was reached."""

    url: str
    referrers: list[str | None] = field(default_factory=list)

    def answer(self, route: Route) -> None:
        if route.request.url != self.url:  # e.g. its favicon
            route.fulfill(status=404)
            return
        self.referrers.append(route.request.all_headers().get("referer"))
        route.fulfill(status=200, content_type="text/html", body=EXIT_PAGE)


def stub_exit_site(page: Page) -> ExitSite:
    site = ExitSite(settings.QUICK_EXIT_URL)
    host = urlsplit(site.url).netloc
    page.route(lambda url: urlsplit(url).netloc == host, site.answer)
    return site


def history_length(page: Page) -> int:
    length: int = page.evaluate("history.length")
    return length


def assert_left_for(page: Page, site: ExitSite) -> None:
    page.wait_for_url(site.url)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    assert site.referrers == [None], "the neutral site must not learn where they came from"


@pytest.mark.parametrize("path", ["/", "/join/", "/accounts/login/"])
def test_leave_this_site_quickly_replaces_the_page_in_history(
    phone: Page, live_server: LiveServer, transactional_db: None, path: str
) -> None:
    site = stub_exit_site(phone)
    visit(phone, path)
    before = history_length(phone)

    phone.get_by_role("link", name="Leave this site quickly").click()

    assert_left_for(phone, site)
    assert history_length(phone) == before, "the exit must replace our page, not add to history"
    phone.go_back()
    assert not phone.url.startswith(live_server.url), "Back must not return to our page"


def test_pressing_escape_twice_leaves_even_while_typing(
    phone: Page, live_server: LiveServer, transactional_db: None
) -> None:
    site = stub_exit_site(phone)
    visit(phone, "/join/")
    before = history_length(phone)
    phone.get_by_label("Code on your card").fill("HMWD")

    phone.keyboard.press("Escape")
    phone.wait_for_timeout(300)
    assert phone.url == f"{live_server.url}/join/", "one press of Esc alone must not leave"
    phone.keyboard.press("Escape")

    assert_left_for(phone, site)
    assert history_length(phone) == before
    phone.go_back()
    assert not phone.url.startswith(live_server.url)


def test_leave_this_site_quickly_is_a_plain_link_without_javascript(
    open_page: OpenPage, transactional_db: None
) -> None:
    page = open_page(PHONE, mobile=True, javascript=False)
    site = stub_exit_site(page)
    visit(page, "/")

    page.get_by_role("link", name="Leave this site quickly").click()

    assert_left_for(page, site)
