"""Drill: the XSS corpus (xss_payloads.txt, a few hundred payloads: script tags, event handlers,
javascript: and data: URLs, SVG and MathML, CSS, broken markup, template syntax, Unicode tricks)
is written into every field people can write that the site shows back, through the apps' own
services, and every page that shows them is rendered in Chromium under the real
Content-Security-Policy. Every payload tries to call `__xss()`, open a dialog or reach another
site. The drill fails if any of that happens, if a CSP violation fires (the sanitiser let markup
through that only the CSP stopped), if a page raises a script error, or if a planted payload is
missing from the pages (so the drill cannot pass by rendering nothing).

TARGETS is the registry: one function per place people write, each planting payloads and
returning the pages that show them. A new field is one more line or function."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Route
from pytest_django.live_server_helper import LiveServer

from homeward.accounts import factories
from homeward.accounts.models import Organisation, Role, User
from homeward.core.testing.browser import TIMEOUT_MS
from homeward.core.tests.drills.support import TALLY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]

TRAPS = """
window.__xssFired = [];
window.__xss = (n) => window.__xssFired.push("__xss(" + n + ")");
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => window.__xssFired.push(name + "(" + args.join(",") + ")");
}
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def chunks(marker: str, size: int, payloads: list[str] | None = None) -> list[str]:
    """The corpus (or the part of it given) packed into texts of at most `size` characters, each
    starting with a marker word that the drill looks for on the page ("xssmark<marker>n")."""
    texts: list[str] = []
    current = ""
    for payload in PAYLOADS if payloads is None else payloads:
        piece = payload + "\n\n"
        head = f"xssmark{marker}{len(texts)}\n\n"
        if current and len(head) + len(current) + len(piece) > size:
            texts.append(f"xssmark{marker}{len(texts)}\n\n{current}")
            current = ""
        current += piece
    if current:
        texts.append(f"xssmark{marker}{len(texts)}\n\n{current}")
    return texts


@dataclass
class World:
    org: Organisation
    author: User  # writes everything (a peer moderator: published at once)
    viewer: User  # reads it (the same person: sees held posts too)
    staff: User


Target = Callable[[World], tuple[list[str], list[str]]]  # -> (pages, markers planted)


def prison_tips(world: World) -> tuple[list[str], list[str]]:
    from homeward.prisons import services
    from homeward.prisons.factories import ensure_prisons
    from homeward.prisons.models import Prison

    ensure_prisons()
    prison = Prison.objects.get(code="LWI")
    texts = chunks("tip", 1000)
    for text in texts:
        services.add_tip(world.author, prison, text)
    pages = [f"/prisons/LWI/?tips={n}" for n in range(1, len(texts) + 2)]
    return [*pages, "/prisons/tips/review/"], [t.split()[0] for t in texts]


def community_posts(world: World) -> tuple[list[str], list[str]]:
    from homeward.community import services
    from homeward.community.factories import make_category, set_trust_level

    set_trust_level(world.author, 3)
    category = make_category("Drill conversations", slug="drill")
    pages, markers = [f"/community/c/{category.slug}/"], []
    # A message the forum refuses is never shown (a picture from another site: the author is
    # told why), so only the payloads it accepts can be planted; the rest are counted.
    accepted = []
    for payload in PAYLOADS:
        try:
            services._cook(world.author, payload)
        except services.PostRefused:
            TALLY["xss drill: payloads refused before saving"] += 1
        else:
            accepted.append(payload)
    assert len(accepted) > len(PAYLOADS) * 0.8, "the forum refuses most of the corpus"
    for n, text in enumerate(chunks("post", 3000, accepted)):
        title = PAYLOADS[(n * 7) % len(PAYLOADS)][:100] or "x"
        topic = services.create_topic(world.author, category, title=title, body=text)
        pages.append(f"/community/t/{topic.pk}/")
        markers.append(text.split()[0])
    return pages, markers


def topic_titles(world: World) -> tuple[list[str], list[str]]:
    """Every payload as a conversation title (titles are plain text, not Markdown)."""
    from homeward.community import services
    from homeward.community.factories import make_category, set_trust_level

    set_trust_level(world.author, 3)
    category = make_category("Drill titles", slug="drill-titles")
    for n, payload in enumerate(PAYLOADS):
        services.create_topic(
            world.author, category, title=f"xssmarktitle{n} {payload}"[:120], body="Hello all"
        )
    pages = [f"/community/c/{category.slug}/?page={p}" for p in range(1, len(PAYLOADS) // 20 + 3)]
    return pages, [f"xssmarktitle{n}" for n in range(len(PAYLOADS))]


def directory_listings(world: World) -> tuple[list[str], list[str]]:
    from homeward.directory.factories import make_service

    pages, markers = ["/directory/?q=xssmark"], []
    for n, text in enumerate(chunks("service", 4000)):
        name = f"{text.split()[0]} {PAYLOADS[n % len(PAYLOADS)]}"[:200]
        service = make_service(name, n=n, description=text)
        pages.append(f"/directory/services/{service.pk}/")
        markers.append(text.split()[0])
    return pages, markers


def display_names(world: World) -> tuple[list[str], list[str]]:
    """Short payloads as the names members show: they appear beside their tips."""
    from homeward.prisons import services
    from homeward.prisons.models import Prison

    short = [p for p in PAYLOADS if len(p) <= 24][:40]
    prison = Prison.objects.get(code="FDI")
    for n, payload in enumerate(short):
        member = factories.make_member(f"xss-name-{n}", world.org, Role.PEER_MODERATOR)
        User.objects.filter(pk=member.pk).update(display_name=f"n{n} {payload}"[:30])
        services.add_tip(member, prison, f"xssmarkname{n} a tip under a strange name")
    pages = [f"/prisons/FDI/?tips={p}" for p in range(1, len(short) // 5 + 3)]
    return pages, [f"xssmarkname{n}" for n in range(len(short))]


def profile_about_texts(world: World) -> tuple[list[str], list[str]]:
    """Profiles' "about me" (Markdown) of members whose profiles everyone may read."""
    from homeward.accounts.profiles import update_profile

    pages, markers = [], []
    for n, text in enumerate(chunks("about", 2000)):
        member = factories.make_member(f"xss-about-{n}", world.org, Role.FAMILY)
        update_profile(
            member, about=text, relationship="", prisons=[], avatar_visibility="everyone",
            about_visibility="everyone", relationship_visibility="everyone",
            prisons_visibility="everyone",
        )  # fmt: skip
        pages.append(f"/u/{member.username}/")
        markers.append(text.split()[0])
    return pages, markers


def case_notes(world: World) -> tuple[list[str], list[str]]:
    """Case notes, read by the organisation's staff: the case page's timeline and each note."""
    from homeward.casework.factories import make_case
    from homeward.casework.services.cases import add_note

    world.viewer = world.staff
    case = make_case(world.org, world.staff, family_name="Drill")
    pages, markers = [f"/casework/cases/{case.pk}/"], []
    for text in chunks("note", 2000):
        note = add_note(world.staff, case, kind="note", body=text, sensitive=False)
        pages.append(f"/casework/notes/{note.pk}/")
        markers.append(text.split()[0])
    return pages, markers


def private_messages(world: World) -> tuple[list[str], list[str]]:
    """Private conversations: subjects (plain text) and messages (Markdown)."""
    from homeward.community.conversations import start_conversation

    other = factories.make_member("xss-pm-reader", world.org, Role.FAMILY)
    pages, markers = [], []
    for n, text in enumerate(chunks("message", 3000)):
        subject = f"xssmarksubject{n} {PAYLOADS[(n * 5) % len(PAYLOADS)]}"[:100]
        conversation = start_conversation(world.author, [other], subject=subject, body=text)
        pages.append(f"/community/messages/{conversation.pk}/")
        markers += [text.split()[0], f"xssmarksubject{n}"]
    return [*pages, "/community/messages/"], markers


def events(world: World) -> tuple[list[str], list[str]]:
    """Events: titles (plain text), descriptions (Markdown) and places."""
    from homeward.events.factories import make_event

    pages, markers = ["/events/"], []
    for n, text in enumerate(chunks("event", 3000)):
        payload = PAYLOADS[(n * 3) % len(PAYLOADS)]
        event = make_event(
            world.org, world.staff, f"xssmarkeventtitle{n} {payload}"[:120], description=text,
            place_name=payload[:100] or "x",
        )  # fmt: skip
        pages.append(f"/events/{event.pk}/")
        markers += [text.split()[0], f"xssmarkeventtitle{n}"]
    return pages, markers


TARGETS: dict[str, Target] = {
    "prison tips": prison_tips,
    "community posts": community_posts,
    "community topic titles": topic_titles,
    "directory listings": directory_listings,
    "display names": display_names,
    "profiles": profile_about_texts,
    "case notes": case_notes,
    "private messages": private_messages,
    "events": events,
    # Add new fields here, one line each.
}


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(TRAPS)
    yield context
    context.close()


def signed_in(context: BrowserContext, live_server: LiveServer, user: User) -> None:
    client = factories.sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                          "url": live_server.url}])  # fmt: skip


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_no_payload_runs_anywhere_it_is_shown(target, context, live_server, org_a):
    ensure_guide()
    world = World(
        org=org_a,
        author=factories.make_member("xss-author", org_a, Role.PEER_MODERATOR),
        viewer=None,  # type: ignore[arg-type]
        staff=factories.make_member("xss-staff", org_a, Role.SUPPORT_WORKER),
    )
    world.viewer = world.author
    pages, markers = TARGETS[target](world)
    signed_in(context, live_server, world.viewer)

    outside: list[str] = []

    def keep_on_site(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", keep_on_site)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: errors.append(str(error)))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Security Policy" in m.text else None)

    seen: set[str] = set()
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response}"
        page.wait_for_load_state("load")
        exercise(page)
        html = page.content()
        seen |= set(re.findall(r"xssmark[a-z]+\d+", html))
        fired = page.evaluate("() => window.__xssFired")
        csp = page.evaluate("() => window.__csp")
        assert not fired, f"{target}: script ran on {path}: {fired}"
        assert not csp, f"{target}: CSP violations on {path}: {csp}"
        TALLY["xss drill: pages rendered"] += 1
    assert not dialogs, f"{target}: dialogs opened: {dialogs}"
    assert not errors, f"{target}: script errors: {errors}"
    assert not console, f"{target}: CSP reports in the console: {console}"
    assert not outside, f"{target}: requests to other sites: {outside[:5]}"
    missing = [m for m in markers if m not in seen]
    assert not missing, f"{target}: planted but never shown: {missing[:10]} of {len(markers)}"
    TALLY["xss drill: payloads rendered"] += len(PAYLOADS)
    TALLY["xss drill: fields"] += 1


def exercise(page: Page) -> None:
    """What a person does on the page, so handlers that need an event get one: hover and focus
    everything that payloads may have left, and scroll."""
    page.evaluate(
        """() => {
          for (const el of document.querySelectorAll("main *")) {
            for (const type of ["mouseover", "mouseenter", "pointerenter", "focus", "focusin",
                                "animationstart", "toggle", "load", "error", "click"]) {
              if (type === "click" && (el.tagName === "A" || el.tagName === "BUTTON" ||
                  el.tagName === "INPUT" || el.closest("form"))) continue;
              el.dispatchEvent(new Event(type, {bubbles: false}));
            }
          }
          window.scrollTo(0, document.body.scrollHeight);
        }"""
    )
    page.wait_for_timeout(50)


def ensure_guide() -> None:
    from homeward.prisons.factories import ensure_prisons

    ensure_prisons()
