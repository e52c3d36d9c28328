"""Browser journeys: a pytest plugin that drives Debian's Chromium through Playwright and scans
every page a journey visits with axe-core against WCAG 2.0, 2.1 and 2.2 A and AA.

The root conftest loads it (`pytest_plugins`). A journey asks for `phone` (390 x 844) or
`desktop`, or calls `open_page` for anything else (e.g. JavaScript off): each is a fresh browser
context on the live server, so journeys share nothing but the browser process. Move between pages
with `visit(page, path)` or `with next_page(page): <click>`; both scan the page they arrive on.

Every page of the site that loads in a journey is recorded. When the journey has passed, teardown
fails it if any of those pages was never scanned, if a page raised a script error, or if a page
tried to fetch anything from another site (the browser has no network, and families' pages must
not talk to third parties). A journey that leaves the site on purpose routes that address itself
(`page.route`), which takes precedence over the guard.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    Error,
    Page,
    Route,
    ViewportSize,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("HOMEWARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the suite runs as root in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000  # a step that takes longer than this is broken, not slow
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


class AccessibilityViolations(AssertionError):
    """axe found WCAG A or AA failures on a page."""


@dataclass
class Visit:
    url: str
    scanned: bool = False


@dataclass
class Journey:
    """What one browser page did: the site's pages it loaded, each of which must be scanned;
    script errors; and requests it tried to make to other sites."""

    origin: str
    mobile: bool = False
    javascript: bool = True
    visits: list[Visit] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def on_site(self, url: str) -> bool:
        return url == self.origin or url.startswith(f"{self.origin}/")

    def page_loaded(self, page: Page) -> None:
        if self.on_site(page.url):
            self.visits.append(Visit(page.url))

    def script_failed(self, error: Error) -> None:
        self.script_errors.append(f"{error.name}: {error.message}")

    def keep_on_site(self, route: Route) -> None:
        url = route.request.url
        if self.on_site(url) or url.startswith("data:"):
            route.continue_()
        else:
            self.outside_requests.append(url)
            route.abort("blockedbyclient")

    def scanned(self, url: str) -> None:
        for visit in reversed(self.visits):
            if visit.url == url:
                visit.scanned = True
                return

    def problems(self) -> list[str]:
        unscanned = [visit.url for visit in self.visits if not visit.scanned]
        return [
            *(f"page never scanned for accessibility: {url}" for url in unscanned),
            *(f"script error: {error}" for error in self.script_errors),
            *(f"request to another site: {url}" for url in self.outside_requests),
        ]


_journeys: weakref.WeakKeyDictionary[Page, Journey] = weakref.WeakKeyDictionary()


# Scanning -------------------------------------------------------------------------------------


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    lines.append(f"  {violation['helpUrl']}")
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        lines.append(f"  at {target}: {node['html'][:200]}")
        summary = str(node.get("failureSummary") or "").replace("\n", "\n      ")
        if summary:
            lines.append(f"      {summary}")
    return "\n".join(lines)


def _violations(page: Page) -> list[dict[str, Any]]:
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def _violations_without_javascript(page: Page) -> list[dict[str, Any]]:
    """axe is JavaScript, so a page shown without it is scanned as a copy: its HTML at the same
    address and size, in a context where JavaScript runs for axe but the site's scripts are
    blocked, so the copy stays as the person sees it."""
    html, url = page.content(), page.url  # the HTML as the browser holds it now
    browser = page.context.browser
    assert browser is not None
    journey = _journeys[page]
    twin = browser.new_context(
        viewport=page.viewport_size, is_mobile=journey.mobile, has_touch=journey.mobile
    )
    try:
        twin.set_default_timeout(TIMEOUT_MS)
        twin.route(
            "**/*",
            lambda route: (
                route.abort() if route.request.resource_type == "script" else route.continue_()
            ),
        )
        copy = twin.new_page()
        copy.route(
            lambda address: address == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        copy.goto(url)
        return _violations(copy)
    finally:
        twin.close()


def check_accessibility(page: Page) -> None:
    """Scan the page as it is now against WCAG 2.0/2.1/2.2 A and AA. Any violation fails the test,
    listing each rule, the elements that break it and how to fix them."""
    page.wait_for_load_state("load")
    journey = _journeys.get(page)
    if journey is None or journey.javascript:
        violations = _violations(page)
    else:
        violations = _violations_without_javascript(page)
    if journey is not None:
        journey.scanned(page.url)
    check_reflow(page)
    if violations:
        report = "\n".join(_describe(violation) for violation in violations)
        raise AccessibilityViolations(
            f"{len(violations)} accessibility rule(s) broken on {page.url}:\n{report}"
        )


_WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-scroll"))
    .slice(-5)
    .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`
      + ` ${(e.textContent || "").trim().slice(0, 50)}`);
}"""


def check_reflow(page: Page) -> None:
    """WCAG 1.4.10 (Reflow): nothing makes the page wider than the screen, so a phone never
    scrolls sideways to read a line. Wide tables scroll inside their own box (.table-scroll)."""
    wide: list[str] | None = page.evaluate(_WIDER_THAN_THE_SCREEN)
    if wide:
        raise AccessibilityViolations(
            f"{page.url} is wider than the screen (WCAG 1.4.10 Reflow); the widest parts:\n  "
            + "\n  ".join(wide)
        )


def _status(page: Page) -> int:
    """The HTTP status of the document now in the page (after any redirects)."""
    status: int = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"
    )
    return status


def visit(page: Page, url: str) -> int:
    """Open a path on the live server (or a full address) as if typed or scanned from a QR code,
    scan it, and return its HTTP status."""
    page.goto(url)
    check_accessibility(page)
    return _status(page)


@dataclass
class Arrival:
    """The page a `next_page` block led to (filled in when the block ends)."""

    url: str = ""
    status: int = 0


@contextmanager
def next_page(page: Page) -> Iterator[Arrival]:
    """Expect the actions in the block (a click, a submit) to load a new page; wait for it, scan
    it, and record where it is and its status. Works for redirects and for a form shown again at
    the same address with errors, which waiting for a URL cannot tell apart from the old page."""
    arrival = Arrival()
    with page.expect_event("load"):
        yield arrival
    check_accessibility(page)
    arrival.url = page.url
    arrival.status = _status(page)


# Signing in ----------------------------------------------------------------------------------


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (RFC 6238, as allauth checks it). In
    the last seconds of a time window it waits for the next one, so the code is still current
    when the server checks it."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period: int = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.05)
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // period))
    return code


def sign_in_through_page(
    page: Page, username: str, password: str, *, next_path: str = "/", totp_secret: str = ""
) -> Arrival:
    """Sign in through the real sign-in page, then the authenticator step when `totp_secret` is
    given. Returns the page it lands on."""
    visit(page, f"/accounts/login/?{urlencode({'next': next_path})}")
    page.get_by_label("Your name on this site, or e-mail address").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with next_page(page) as arrival:
        page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        page.get_by_label("Code", exact=True).fill(totp_code(totp_secret))
        with next_page(page) as arrival:
            page.get_by_role("button", name="Sign in").click()
    return arrival


# Fixtures ------------------------------------------------------------------------------------

_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each test's outcome, so `open_page` checks a journey's pages only when it passed
    (a failed journey stops early, and its real failure is the one worth reading)."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


class OpenPage(Protocol):
    def __call__(
        self, viewport: ViewportSize = ..., *, mobile: bool = ..., javascript: bool = ...
    ) -> Page: ...


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run; each journey gets its own context (cookies, storage)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[OpenPage]:
    """Open a page in a fresh browser context on the live server: relative URLs work."""
    from django.core.cache import cache

    # Sign-in rate limits and used authenticator codes live in the cache: start each journey clean.
    cache.clear()
    opened: list[tuple[Page, Journey]] = []

    def open_(
        viewport: ViewportSize = DESKTOP, *, mobile: bool = False, javascript: bool = True
    ) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=mobile,
            has_touch=mobile,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        journey = Journey(origin=live_server.url, mobile=mobile, javascript=javascript)
        context.route("**/*", journey.keep_on_site)
        page = context.new_page()
        page.on("load", journey.page_loaded)
        page.on("pageerror", journey.script_failed)
        _journeys[page] = journey
        opened.append((page, journey))
        return page

    yield open_

    for page, _journey in opened:
        page.context.close()
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.passed:
        problems = [problem for _page, journey in opened for problem in journey.problems()]
        if problems:
            pytest.fail("The journey passed, but:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def phone(open_page: OpenPage) -> Page:
    """A phone-sized page (390 x 844, touch): how most families reach the site."""
    return open_page(PHONE, mobile=True)


@pytest.fixture
def desktop(open_page: OpenPage) -> Page:
    """A desktop-sized page (1280 x 800): how staff mostly work."""
    return open_page(DESKTOP)
