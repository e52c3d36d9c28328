"""The Content-Security-Policy in a real browser: the main pages, the allauth pages we use, the
Django admin and the API docs all work under it, and not one CSP violation fires.

Violations are caught two ways: a `securitypolicyviolation` listener that Playwright installs
before any of the page's own scripts (init scripts come in through the DevTools protocol, which
the page's CSP does not govern), and the browser console, where Chromium reports each block.

axe, which `visit` runs on every page, is injected with `page.evaluate` (also through the
DevTools protocol, so the CSP neither blocks nor reports it): no `bypass_csp` is needed, and
none is set, so what is checked here is what a family's browser enforces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import Organisation, Role, User
from homeward.core.testing.browser import TIMEOUT_MS, OpenPage, sign_in_through_page, visit
from homeward.prisons.importer import import_prisons

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


class Watch:
    """Every CSP violation on one page, from the listener and from the console."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str, *, scan: bool = True) -> int:
        """Open a page (scanned with axe unless told not to) and fail on any violation."""
        if scan:
            status = visit(self.page, path)
        else:
            response = self.page.goto(path)
            self.page.wait_for_load_state("load")
            status = response.status if response else 0
        self.assert_clean()
        return status

    def assert_clean(self) -> None:
        fired: list[str] = self.page.evaluate("() => window.__csp || []")
        assert not fired, f"CSP violations on {self.page.url}: {fired}"
        assert not self.console, f"CSP errors in the console: {self.console}"


@pytest.fixture
def watched(open_page: OpenPage) -> Watch:
    return Watch(open_page())


@pytest.fixture
def lewes(transactional_db: None) -> None:
    import_prisons(codes={"LWI", "FDI"})


def test_main_pages_raise_no_csp_violation(
    watched: Watch, lewes: None, family: User, worker_a: User, org_a: Organisation
) -> None:
    page = watched.page
    batch = factories.make_join_batch(org_a, worker_a, distribution_point="Lewes", size=1)

    assert watched.visit("/") == 200
    assert watched.visit("/join/") == 200
    assert watched.visit(f"/join/{batch.codes.get().code}/") == 200
    assert watched.visit("/prisons/") == 200
    assert watched.visit("/prisons/LWI/") == 200
    # axe ran inside the page under the policy, and the policy did not report it.
    assert page.evaluate("() => typeof window.axe") == "object"

    sign_in_through_page(page, family.username, factories.DEMO_PASSWORD)
    watched.assert_clean()
    for path in ["/notifications/", "/settings/", "/accounts/email/", "/accounts/2fa/"]:
        assert watched.visit(path) == 200

    # The site's own script still works: "Leave this site quickly" on a double Escape.
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="weather"))
    watched.visit("/settings/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.bbc.co.uk/**")


def test_authenticator_set_up_shows_its_qr_code_under_the_policy(
    watched: Watch, transactional_db: None, org_a: Organisation
) -> None:
    """The QR code is a data: image (img-src allows data:); the rest of the page is ours."""
    page = watched.page
    worker = factories.make_member("worker-new", org_a, Role.SUPPORT_WORKER, totp=False)
    signed_in = sign_in_through_page(
        page, worker.username, factories.DEMO_PASSWORD, next_path="/staff/"
    )
    watched.assert_clean()
    assert "/accounts/2fa/totp/activate/" in signed_in.url

    qr = page.locator("img.totp-qr")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/")
    assert page.evaluate("() => document.querySelector('img.totp-qr').naturalWidth") > 0


# Pages outside the family journeys: no accessibility scan (not ours to fix), same policy. ------


@pytest.fixture
def bare(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A context without the journey's checks, offline like the others."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else route.abort("blockedbyclient")
        ),
    )
    yield context
    context.close()


def test_django_admin_works_under_the_policy(
    bare: BrowserContext, live_server: LiveServer, platform_admin: User
) -> None:
    client = sign_in(Client(), platform_admin)
    bare.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    watched = Watch(bare.new_page())
    errors: list[str] = []
    watched.page.on("pageerror", lambda error: errors.append(str(error)))

    for path in [
        "/admin/",
        "/admin/core/auditevent/",
        "/admin/accounts/organisation/",
        "/admin/accounts/organisation/add/",
    ]:
        assert watched.visit(path, scan=False) == 200, path
    # The admin's own scripts ran: the "add" form's slug is filled from the name as typed.
    watched.page.locator("#id_name").press_sequentially("Kent Families Together")
    expect(watched.page.locator("#id_slug")).to_have_value("kent-families-together")
    watched.assert_clean()
    assert not errors


def test_api_docs_work_under_the_policy(bare: BrowserContext, transactional_db: None) -> None:
    watched = Watch(bare.new_page())

    assert watched.visit("/api/oruk/docs", scan=False) == 200

    expect(watched.page.locator(".swagger-ui .info .title")).to_contain_text("Open Referral UK")
    watched.assert_clean()
