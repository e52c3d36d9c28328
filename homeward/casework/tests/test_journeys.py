"""Journeys through casework in a real browser on a phone, with an accessibility scan (axe) on
every page: a professional refers a family; a worker triages, assesses, refers onward by a
child's age and answers a prisoner's application; a manager reassigns a case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts import factories as people
from homeward.accounts.factories import DEMO_PASSWORD, DEMO_TOTP_SECRET
from homeward.accounts.models import Organisation, Role, User
from homeward.casework import factories
from homeward.casework.models import Application, Case, OnwardReferral, Rating, Referral
from homeward.core.testing.browser import next_page, sign_in_through_page, visit
from homeward.prisons.importer import import_prisons

pytestmark = pytest.mark.browser


@pytest.fixture
def prisons(transactional_db: None) -> None:
    import_prisons(codes={"LWI", "FDI"})


def test_a_professional_refers_a_family_on_a_phone(
    phone: Page, prisons: None, org_a: Organisation
) -> None:
    assert visit(phone, f"/casework/refer/{org_a.slug}/") == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Refer a family to {org_a.name}")
    with next_page(phone):
        phone.get_by_role("button", name="Send the referral").click()
    expect(phone.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert not Referral.objects.exists()

    phone.get_by_label("Your name").fill("Sam Teacher")
    phone.get_by_label("Your role").fill("Family liaison officer")
    phone.get_by_label("Your e-mail address").fill("sam@school.example.org")
    phone.get_by_label("Family surname").fill("Coleman")
    phone.get_by_label("Main contact's name").fill("Steph")
    phone.get_by_label("Their phone number").fill("07700 900123")
    child = phone.get_by_role("group", name="Child 1")
    child.get_by_label("Child's first name").fill("Zoe")
    child.get_by_label("Date of birth").fill(factories.child_born(9).isoformat())
    phone.get_by_label("Name of the family member in prison").fill("Geoff Coleman")
    phone.get_by_label("Which prison are they in?").select_option(label="Lewes")
    phone.get_by_label("Visits", exact=True).check()
    phone.get_by_label("The family agree to this referral and to us contacting them").check()
    phone.get_by_label("Spoken (in person or by phone)").check()
    with next_page(phone):
        phone.get_by_role("button", name="Send the referral").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Referral received")
    referral = Referral.objects.get()
    expect(phone.get_by_text(referral.reference)).to_be_visible()
    assert referral.prison_id == "LWI" and referral.children[0]["name"] == "Zoe"


def test_a_worker_triages_assesses_refers_onward_and_answers_an_application(
    phone: Page, prisons: None, org_a: Organisation, worker_a: User
) -> None:
    referral = factories.make_referral(
        org_a, children=(("Cara", factories.child_born(3)),), family_name="Coleman"
    )
    sign_in_through_page(
        phone, worker_a.username, DEMO_PASSWORD, next_path="/casework/referrals/",
        totp_secret=DEMO_TOTP_SECRET,
    )  # fmt: skip
    expect(phone.get_by_role("heading", level=1)).to_have_text("Referrals waiting (1)")
    with next_page(phone):
        phone.get_by_role("link", name=referral.reference).click()
    with next_page(phone):
        phone.get_by_role("button", name="Accept and open a case").click()
    case = Case.objects.get()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}: Coleman")

    with next_page(phone):
        phone.get_by_role("link", name="Assess needs").click()
    for domain in ("Children's wellbeing", "Contact with the person in prison", "Visits",
                   "Money, housing and benefits", "Emotional support", "School", "Safeguarding"):  # fmt: skip
        phone.get_by_role("group", name=domain, exact=True).get_by_label("Some need").check()
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Assessment saved.")).to_be_visible()
    assert Rating.objects.filter(case=case).count() == 7

    with next_page(phone):
        phone.get_by_role("link", name="Refer onward").click()
    suggested = phone.get_by_label(re.compile(r"Local Children's Centre \(suggested for Cara, 3\)"))
    expect(suggested).to_be_checked()
    phone.get_by_label("Why").fill("Stay and play sessions for Cara.")
    with next_page(phone):
        phone.get_by_role("button", name="Make the referral").click()
    expect(phone.get_by_text("Referred to Local Children's Centre.")).to_be_visible()
    assert OnwardReferral.objects.get().recipient_name == "Local Children's Centre"

    with next_page(phone):
        phone.get_by_role("link", name="Log an application").click()
    phone.get_by_label("What they asked").fill("Please ring my partner about the next visit.")
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text(re.compile(r"^Logged\. Answer by"))).to_be_visible()
    with next_page(phone):
        phone.get_by_role("link", name=re.compile("Please ring my partner")).click()
    phone.get_by_label("Your answer, with the reason").fill("Rang Steph; she'll visit on Saturday.")
    with next_page(phone):
        phone.get_by_role("button", name="Save the answer").click()
    expect(phone.get_by_text("Answer recorded.")).to_be_visible()
    assert Application.objects.get().status == Application.Status.ANSWERED


def test_a_manager_reassigns_a_case(
    phone: Page, prisons: None, org_a: Organisation, worker_a: User, manager_a: User
) -> None:
    colleague = people.make_member("worker-a-two", org_a, Role.SUPPORT_WORKER)
    case = factories.make_case(org_a, worker_a)
    sign_in_through_page(
        phone, manager_a.username, DEMO_PASSWORD, next_path=f"/casework/cases/{case.pk}/",
        totp_secret=DEMO_TOTP_SECRET,
    )  # fmt: skip
    for path in ("/casework/", "/casework/cases/?whose=all", "/casework/caseloads/",
                 "/casework/applications/", "/casework/cases/views/", "/casework/settings/"):  # fmt: skip
        assert visit(phone, path) == 200, path
    expect(phone.get_by_role("heading", level=1)).to_have_text("Casework settings")
    with next_page(phone):
        phone.get_by_role("link", name="Cases", exact=True).click()
    expect(phone.get_by_text("No cases match.")).to_be_visible()  # a manager holds none
    phone.get_by_label("Whose").select_option(label="All I can see")
    with next_page(phone):
        phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_role("link", name=case.reference)).to_be_visible()
    with next_page(phone):
        phone.get_by_role("link", name=case.reference).click()
    with next_page(phone):
        phone.get_by_role("link", name="Reassign").click()
    phone.get_by_label("New worker").select_option(label="worker-a-two")
    phone.get_by_label("Why").fill("Worker on leave")
    with next_page(phone):
        phone.get_by_role("button", name="Reassign").click()
    expect(phone.get_by_text(f"Case {case.reference} passed to worker-a-two.")).to_be_visible()
    case.refresh_from_db()
    assert case.worker == colleague


def test_a_manager_adds_a_partner_and_a_routing_rule_then_a_worker_refers_to_the_directory(
    phone: Page, prisons: None, org_a: Organisation, worker_a: User, manager_a: User
) -> None:
    from homeward.casework.models import Partner, RoutingRule
    from homeward.directory.factories import make_service

    service = make_service("Sunbeam Family Hub")
    case = factories.make_case(org_a, worker_a, children=(("Cara", factories.child_born(3)),))
    sign_in_through_page(
        phone, manager_a.username, DEMO_PASSWORD, next_path="/casework/settings/",
        totp_secret=DEMO_TOTP_SECRET,
    )  # fmt: skip
    with next_page(phone):
        phone.get_by_role("link", name="Partners and routing rules").click()
    expect(phone.get_by_role("link", name="Families First")).to_be_visible()  # the defaults
    with next_page(phone):
        phone.get_by_role("link", name="Add a partner").click()
    phone.get_by_label("Find their page in the Directory by name").fill("sunbeam")
    with next_page(phone):
        phone.get_by_role("button", name="Find").click()
    phone.get_by_label("Name", exact=True).fill("Little Oaks Nursery")
    phone.get_by_label("What they offer").fill("Free places for two-year-olds")
    phone.get_by_label("Their page in the Directory", exact=True).select_option(str(service.pk))
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Little Oaks Nursery added.")).to_be_visible()
    assert Partner.objects.get(name="Little Oaks Nursery").directory_service == service

    with next_page(phone):
        phone.get_by_role("link", name="Add a routing rule").click()
    phone.get_by_label("From age").fill("4")
    phone.get_by_label("To age (this age included)").fill("2")
    phone.get_by_label("Suggest this partner").select_option(label="Little Oaks Nursery")
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#id_max_age_error")).to_contain_text(  # beside the field
        "The oldest age can't be below the youngest (4)."
    )
    phone.get_by_label("From age").fill("2")
    phone.get_by_label("To age (this age included)").fill("4")
    with next_page(phone):
        phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Routing rule added.")).to_be_visible()
    assert RoutingRule.objects.filter(partner__name="Little Oaks Nursery").count() == 1

    phone.context.clear_cookies()
    sign_in_through_page(
        phone, worker_a.username, DEMO_PASSWORD, next_path=f"/casework/cases/{case.pk}/onward/",
        totp_secret=DEMO_TOTP_SECRET,
    )  # fmt: skip
    expect(
        phone.get_by_label(re.compile(r"Little Oaks Nursery \(suggested for Cara, 3\)"))
    ).to_be_visible()
    phone.get_by_label("Or find a service in the Directory by name").fill("Sunbeam")
    with next_page(phone):
        phone.get_by_role("button", name="Find").click()
    phone.get_by_label(re.compile(r"Sunbeam Family Hub .*from the Directory")).check()
    phone.get_by_label("Why").fill("Drop-in sessions near home.")
    with next_page(phone):
        phone.get_by_role("button", name="Make the referral").click()
    expect(phone.get_by_text("Referred to Sunbeam Family Hub.")).to_be_visible()
    assert OnwardReferral.objects.get().directory_service == service


def test_a_family_member_asks_for_support_from_the_landing_page(
    phone: Page, prisons: None, org_a: Organisation, family: User
) -> None:
    sign_in_through_page(phone, family.username, DEMO_PASSWORD, next_path="/")
    expect(phone.get_by_role("heading", name="Ask a support worker for help")).to_be_visible()
    with next_page(phone):
        phone.get_by_role("link", name=f"Ask {org_a.name} for support").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Ask {org_a.name} for support")
