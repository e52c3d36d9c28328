"""Journeys people make through accounts, in a real browser with an accessibility scan on each
page: a family member joining from a card on their phone, a card that doesn't work, staff
printing cards, and staff signing in with (or first setting up) an authenticator app."""

from __future__ import annotations

import re
import time

import pytest
import segno
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from homeward.accounts import factories, services
from homeward.accounts.models import JoinBatch, JoinCode, Membership, Organisation, Role, User
from homeward.core.testing.browser import (
    PHONE,
    OpenPage,
    next_page,
    sign_in_through_page,
    totp_code,
    visit,
)

pytestmark = pytest.mark.browser

PASSWORD = "a walk by the sea"
MM = 96 / 25.4  # CSS pixels in a millimetre


@pytest.fixture
def batch(org_a: Organisation, worker_a: User) -> JoinBatch:
    """Twelve cards for a visitors' centre: more than one printed sheet."""
    return factories.make_join_batch(org_a, worker_a, size=12)


def first_code(batch: JoinBatch) -> JoinCode:
    code = batch.codes.first()
    assert code is not None
    return code


def fill_join_form(page: Page, display_name: str, password: str) -> None:
    page.get_by_label("Choose a name to use here").fill(display_name)
    page.get_by_label("Choose a password").fill(password)


# Joining from a card --------------------------------------------------------------------------


def test_family_member_joins_from_card_on_phone_in_well_under_a_minute(
    phone: Page, transactional_db: None, batch: JoinBatch
) -> None:
    code = first_code(batch)
    started = time.monotonic()

    assert visit(phone, f"/join/{code.code}/") == 200  # what the QR code on the card opens
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Join Sussex Families Together's community"
    )
    form = phone.locator("main form")
    expect(form.locator("input:visible")).to_have_count(3)  # name, password, optional e-mail
    fill_join_form(phone, "Sunflower Mum 4", PASSWORD)
    expect(phone.get_by_label("E-mail address (optional)")).to_have_value("")
    with next_page(phone) as welcome:
        phone.get_by_role("button", name="Join now").click()

    elapsed = time.monotonic() - started
    assert welcome.url.endswith("/welcome/")
    assert welcome.status == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Sunflower Mum 4")
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()
    expect(phone.get_by_text("You didn't give an e-mail address")).to_be_visible()
    assert elapsed < 10, f"joining took {elapsed:.1f}s of machine time alone"

    member = User.objects.get(username="Sunflower Mum 4")
    assert member.email == ""
    membership = Membership.objects.get(user=member)
    assert (membership.organisation, membership.role, membership.joined_via) == (
        batch.organisation,
        Role.FAMILY,
        code,
    )
    code.refresh_from_db()
    assert code.uses == 1


def test_mistyped_code_explains_and_lets_them_try_again(
    phone: Page, transactional_db: None, batch: JoinBatch
) -> None:
    code = first_code(batch)
    mistyped = code.code[:7] + ("A" if code.code[7] != "A" else "B")
    assert not JoinCode.objects.filter(code=mistyped).exists()

    assert visit(phone, "/join/") == 200
    phone.get_by_label("Code on your card").fill(f"{mistyped[:4]}-{mistyped[4:]}")
    with next_page(phone) as problem:
        phone.get_by_role("button", name="Continue").click()

    assert problem.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("That code didn't work")
    expect(phone.get_by_text("We couldn't find that code.")).to_be_visible()
    expect(phone.get_by_role("link", name="Join without a card")).to_be_visible()

    phone.get_by_label("Code on your card").fill(code.display_code.lower())
    with next_page(phone) as join:
        phone.get_by_role("button", name="Continue").click()
    assert join.status == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Join Sussex Families Together's community"
    )


@pytest.mark.parametrize(
    ("spoil", "explanation"),
    [
        pytest.param("expire", "This card has expired.", id="expired"),
        pytest.param("use", "This card has already been used.", id="used"),
    ],
)
def test_card_that_no_longer_works_explains_and_offers_joining_without_one(
    phone: Page,
    transactional_db: None,
    org_a: Organisation,
    worker_a: User,
    spoil: str,
    explanation: str,
) -> None:
    if spoil == "expire":
        batch = factories.make_join_batch(org_a, worker_a, distribution_point="Old", days=-1)
    else:
        batch = factories.make_join_batch(org_a, worker_a, size=1)
        services.join_with_code(
            first_code(batch).code, display_name="Wren Nan 2", password=PASSWORD
        )

    assert visit(phone, f"/join/{first_code(batch).code}/") == 410
    expect(phone.get_by_role("heading", level=1)).to_have_text("That code didn't work")
    expect(phone.get_by_text(explanation)).to_be_visible()
    expect(phone.get_by_label("Choose a name to use here")).to_have_count(0)

    with next_page(phone) as signup:
        phone.get_by_role("link", name="Join without a card").click()
    assert signup.status == 200
    assert signup.url.endswith("/accounts/signup/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Join without a card")


def test_join_form_error_shows_beside_the_field_and_keeps_the_name(
    phone: Page, transactional_db: None, batch: JoinBatch
) -> None:
    visit(phone, f"/join/{first_code(batch).code}/")
    fill_join_form(phone, "Kestrel Dad 9", "short")
    with next_page(phone) as again:
        phone.get_by_role("button", name="Join now").click()

    assert again.status == 200
    expect(phone.get_by_role("alert")).to_contain_text("There is a problem")
    password = phone.get_by_label("Choose a password")
    error = phone.locator(".field", has=password).locator(".error-message")
    expect(error).to_contain_text("This password is too short.")
    error_id = error.get_attribute("id")
    assert error_id is not None
    expect(password).to_have_attribute(
        "aria-describedby", re.compile(rf"\b{re.escape(error_id)}\b")
    )
    expect(password).to_have_value("")
    expect(phone.get_by_label("Choose a name to use here")).to_have_value("Kestrel Dad 9")

    password.fill(PASSWORD)
    with next_page(phone) as welcome:
        phone.get_by_role("button", name="Join now").click()
    assert welcome.url.endswith("/welcome/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Kestrel Dad 9")


# Printed join cards ---------------------------------------------------------------------------

_PATH_COMMAND = re.compile(r"([Mmh])([^Mmh]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def qr_dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of a QR code that segno drew as one SVG path of horizontal
    runs ("M x y" moves to, "m dx dy" moves by, "h n" draws n modules), from the symbol's corner."""
    match = re.search(r'\sd="([^"]+)"', svg)
    assert match is not None, "no QR path in the card's SVG"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, args in _PATH_COMMAND.findall(match.group(1)):
        numbers = [float(n) for n in _NUMBER.findall(args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            dark.update((int(y), int(x) + i) for i in range(int(numbers[0])))
            x += numbers[0]
    top = min(row for row, _ in dark)
    left = min(column for _, column in dark)
    return {(row - top, column - left) for row, column in dark}


def qr_encodes(svg: str, text: str) -> bool:
    """Whether the drawn QR code is exactly the QR code of `text`, at any error-correction level."""
    drawn = qr_dark_modules(svg)
    for error in "LMQH":
        symbol = segno.make_qr(text, error=error, boost_error=False)
        expected = {
            (row, column)
            for row, line in enumerate(symbol.matrix)
            for column, module in enumerate(line)
            if module
        }
        if drawn == expected:
            return True
    return False


def test_staff_print_card_sheets_whose_qr_codes_and_codes_open_the_join_page(
    desktop: Page,
    open_page: OpenPage,
    live_server: LiveServer,
    transactional_db: None,
    worker_a: User,
    batch: JoinBatch,
) -> None:
    print_path = f"/staff/join-cards/{batch.pk}/print/"
    printed = sign_in_through_page(
        desktop,
        worker_a.username,
        factories.DEMO_PASSWORD,
        next_path=print_path,
        totp_secret=factories.DEMO_TOTP_SECRET,
    )
    assert printed.url.endswith(print_path)
    assert printed.status == 200

    sheets = desktop.locator(".card-sheet")
    expect(sheets).to_have_count(2)  # 10 to an A4 sheet
    expect(sheets.nth(0).locator(".join-card")).to_have_count(10)
    cards = desktop.locator(".join-card")
    expect(cards).to_have_count(12)
    expect(desktop.locator(".join-card svg")).to_have_count(12)
    join_start = f"{live_server.url}/join/"
    codes = {code.display_code: code for code in batch.codes.all()}
    printed_codes = []
    for card in cards.all():
        expect(card.locator("svg")).to_have_count(1)
        expect(card.get_by_text(join_start, exact=True)).to_be_visible()
        display_code = card.locator(".join-card__code").inner_text()
        printed_codes.append(display_code)
        join_link = f"{live_server.url}/join/{codes[display_code].code}/"
        svg = card.locator("svg").evaluate("svg => svg.outerHTML")
        assert qr_encodes(svg, join_link), f"card {display_code}'s QR code isn't {join_link}"
    assert sorted(printed_codes) == sorted(codes)

    # On paper: two A4 sheets of wallet-size cards (85 x 54 mm) and nothing else from the site.
    desktop.emulate_media(media="print")
    expect(desktop.get_by_role("link", name="Leave this site quickly")).to_be_hidden()
    expect(desktop.get_by_role("heading", name="Print join cards")).to_be_hidden()
    box = cards.nth(11).bounding_box()
    assert box is not None
    assert (round(box["width"]), round(box["height"])) == (round(85 * MM), round(54 * MM))
    pdf = desktop.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2

    # A family member scans the first card's QR code, and another types the second card's code.
    family = open_page(PHONE, mobile=True)
    first, second = (codes[printed_codes[0]], codes[printed_codes[1]])
    assert visit(family, f"{live_server.url}/join/{first.code}/") == 200
    expect(family.get_by_role("heading", level=1)).to_have_text(
        "Join Sussex Families Together's community"
    )
    assert visit(family, join_start) == 200
    family.get_by_label("Code on your card").fill(second.display_code)
    with next_page(family) as join:
        family.get_by_role("button", name="Continue").click()
    assert join.url == f"{live_server.url}/join/{second.display_code}/"
    assert join.status == 200
    expect(family.get_by_role("heading", level=1)).to_have_text(
        "Join Sussex Families Together's community"
    )


# Staff sign-in with an authenticator app ------------------------------------------------------


def test_staff_member_signs_in_with_password_and_authenticator_code(
    desktop: Page, transactional_db: None, worker_a: User
) -> None:
    assert visit(desktop, "/staff/") == 200
    assert "/accounts/login/?next=/staff/" in desktop.url
    desktop.get_by_label("Your name on this site, or e-mail address").fill(worker_a.username)
    desktop.get_by_label("Password", exact=True).fill(factories.DEMO_PASSWORD)
    with next_page(desktop) as second_step:
        desktop.get_by_role("button", name="Sign in").click()

    assert second_step.url.endswith("/accounts/2fa/authenticate/")
    expect(desktop.get_by_role("heading", name="Staff pages")).to_have_count(0)
    code = totp_code(factories.DEMO_TOTP_SECRET)
    desktop.get_by_label("Code", exact=True).fill(f"{(int(code) + 1) % 1_000_000:06d}")
    with next_page(desktop) as refused:
        desktop.get_by_role("button", name="Sign in").click()
    assert refused.url.endswith("/accounts/2fa/authenticate/")
    expect(desktop.locator(".field--error")).to_contain_text("Incorrect code.")

    desktop.get_by_label("Code", exact=True).fill(totp_code(factories.DEMO_TOTP_SECRET))
    with next_page(desktop) as staff_home:
        desktop.get_by_role("button", name="Sign in").click()
    assert staff_home.url.endswith("/staff/")
    assert staff_home.status == 200
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Staff pages")
    expect(desktop.get_by_text("Family support worker (prison-based) at Sussex")).to_be_visible()


def test_staff_member_without_authenticator_must_set_one_up_before_staff_pages(
    desktop: Page, transactional_db: None, org_a: Organisation
) -> None:
    worker = factories.make_member("worker-new", org_a, Role.SUPPORT_WORKER, totp=False)
    signed_in = sign_in_through_page(
        desktop, worker.username, factories.DEMO_PASSWORD, next_path="/staff/"
    )
    expect(desktop.get_by_text("Staff accounts need a second step at sign-in.")).to_be_visible()
    if "/accounts/reauthenticate/" in signed_in.url:  # allauth asks for the password again
        desktop.get_by_label("Password", exact=True).fill(factories.DEMO_PASSWORD)
        with next_page(desktop) as signed_in:
            desktop.get_by_role("button", name="Confirm").click()
    assert "/accounts/2fa/totp/activate/" in signed_in.url
    expect(desktop.get_by_role("heading", name="Staff pages")).to_have_count(0)

    # Every staff page sends them here until they have an authenticator.
    assert visit(desktop, "/staff/join-cards/") == 200
    assert "/accounts/2fa/totp/activate/?next=%2Fstaff%2Fjoin-cards%2F" in desktop.url
    expect(desktop.get_by_role("heading", name="Join cards")).to_have_count(0)

    secret = desktop.locator("#authenticator_secret").get_attribute("value")
    assert secret
    desktop.get_by_label("Authenticator code").fill(totp_code(secret))
    with next_page(desktop) as enrolled:
        desktop.get_by_role("button", name="Activate").click()
    assert enrolled.url.endswith("/accounts/2fa/recovery-codes/")
    assert enrolled.status == 200
    expect(
        desktop.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    assert Authenticator.objects.filter(user=worker, type=Authenticator.Type.TOTP).exists()

    # "Continue" carries on to the staff page they were heading for.
    with next_page(desktop) as carried_on:
        desktop.get_by_role("link", name="Continue").click()
    assert carried_on.url.endswith("/staff/join-cards/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Join cards")

    assert visit(desktop, "/staff/") == 200
    assert desktop.url.endswith("/staff/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Staff pages")
