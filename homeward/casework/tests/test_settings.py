"""Managers configure their organisation's partners and routing rules; workers refer families
to a partner or to a Directory service found by name."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import sign_in
from homeward.accounts.models import Organisation
from homeward.casework import factories
from homeward.casework.models import OnwardReferral, Partner, RoutingRule
from homeward.casework.services import onward
from homeward.core.models import AuditEvent
from homeward.directory.factories import make_service
from homeward.directory.models import Service

PARTNER = {
    "name": "Little Oaks Nursery", "offers": "Free places for two-year-olds",
    "contact": "Ruth Ames", "email": "ruth@example.org", "phone": "01273 000000",
    "directory_service": "",
}  # fmt: skip


def _own_partners(organisation):
    """The partners an organisation added itself (every one starts with the defaults)."""
    defaults = [name for name, *_ in onward.DEFAULT_RULES]
    return Partner.objects.filter(organisation=organisation).exclude(name__in=defaults)


def test_a_new_organisation_starts_with_the_default_partners_and_rules(client, manager_a):
    made = Organisation.objects.create(name="Harbour Families", slug="harbour-families")
    names = set(Partner.objects.filter(organisation=made).values_list("name", flat=True))
    assert names == {name for name, *_ in onward.DEFAULT_RULES}
    assert RoutingRule.objects.filter(organisation=made).count() == len(onward.DEFAULT_RULES)


def test_the_partners_page_writes_nothing(client, org_a, manager_a):
    # Even for an organisation with no partners at all (pages used to add the defaults then).
    Partner.objects.filter(organisation=org_a).delete()
    sign_in(client, manager_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:partners")).status_code == 200
    written = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert not [sql for sql in written if "casework" in sql], written


def _rule(partner: Partner, low: int | str, high: int | str, position: int | str = 1) -> dict:
    return {"min_age": low, "max_age": high, "partner": partner.pk, "position": position}


# Partners ------------------------------------------------------------------------------------


def test_a_manager_adds_a_partner_audited(client, org_a, manager_a):
    sign_in(client, manager_a)
    response = client.post(reverse("casework:partner_add"), PARTNER)
    assert response.status_code == 302
    partner = Partner.objects.get(organisation=org_a, name="Little Oaks Nursery")
    assert (partner.offers, partner.email, partner.phone) == (
        "Free places for two-year-olds", "ruth@example.org", "01273 000000",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="casework.partner_added", actor=manager_a).count() == 1
    page = client.get(reverse("casework:partners")).content.decode()
    assert "Little Oaks Nursery" in page and "Free places for two-year-olds" in page


def test_a_partner_needs_a_name_and_a_good_email_and_nothing_is_saved(client, org_a, manager_a):
    sign_in(client, manager_a)
    response = client.post(
        reverse("casework:partner_add"), PARTNER | {"name": "  ", "email": "ruth@"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the partner&#x27;s name." in page
    assert "Enter an e-mail address like name@example.org." in page
    assert "Free places for two-year-olds" in page  # what was typed is kept
    assert not _own_partners(org_a).exists()


def test_two_current_partners_cannot_share_a_name(client, org_a, manager_a):
    sign_in(client, manager_a)
    client.post(reverse("casework:partner_add"), PARTNER)
    again = client.post(reverse("casework:partner_add"), PARTNER | {"name": "little oaks  nursery"})
    assert "You already have a partner called little oaks nursery." in again.content.decode()
    assert _own_partners(org_a).count() == 1


def test_a_partner_links_to_a_directory_service_found_by_name(client, org_a, manager_a):
    service = make_service("Sunbeam Family Hub")
    make_service("Harbour Advice Line", n=1)
    sign_in(client, manager_a)
    found = client.get(reverse("casework:partner_add"), {"service_q": "sunbeam"}).content.decode()
    assert "Sunbeam Family Hub" in found and "Harbour Advice Line" not in found
    client.post(reverse("casework:partner_add"), PARTNER | {"directory_service": service.pk})
    partner = _own_partners(org_a).get()
    assert partner.directory_service == service
    edit = client.get(reverse("casework:partner_edit", args=[partner.pk])).content.decode()
    assert "Sunbeam Family Hub" in edit  # the linked service stays on offer without a search


def test_a_closed_directory_service_cannot_be_linked(client, org_a, manager_a):
    service = make_service("Sunbeam Family Hub", status=Service.Status.DEFUNCT)
    sign_in(client, manager_a)
    response = client.post(
        reverse("casework:partner_add"), PARTNER | {"directory_service": service.pk}
    )
    assert "That service isn&#x27;t in the Directory any more." in response.content.decode()
    assert not _own_partners(org_a).exists()


def test_a_partner_with_rules_cannot_be_retired_until_they_are_moved(client, org_a, manager_a):
    onward.ensure_default_rules(org_a)
    centre = Partner.objects.get(organisation=org_a, name="Local Children's Centre")
    url = reverse("casework:partner_edit", args=[centre.pk])
    data = PARTNER | {"name": centre.name, "retired": "on"}
    sign_in(client, manager_a)
    refused = client.post(url, data)
    assert "1 routing rule suggests this partner" in refused.content.decode()
    centre.refresh_from_db()
    assert centre.retired_at is None  # no partial write
    assert centre.offers == "Stay and play, health visitors and parenting support."
    RoutingRule.objects.filter(partner=centre).delete()
    assert client.post(url, data).status_code == 302
    centre.refresh_from_db()
    assert centre.retired_at is not None and centre.offers == PARTNER["offers"]
    page = client.get(reverse("casework:partners")).content.decode()
    assert "Retired" in page
    # Bringing it back clears the mark.
    client.post(url, PARTNER | {"name": centre.name})
    centre.refresh_from_db()
    assert centre.retired_at is None


def test_defaults_do_not_come_back_once_an_organisation_removed_its_rules(org_a):
    onward.ensure_default_rules(org_a)
    RoutingRule.objects.filter(organisation=org_a).delete()
    onward.ensure_default_rules(org_a)
    assert not RoutingRule.objects.filter(organisation=org_a).exists()


# Routing rules -------------------------------------------------------------------------------


def test_a_manager_adds_an_overlapping_rule_and_suggestions_follow_its_order(
    client, org_a, manager_a, worker_a
):
    onward.ensure_default_rules(org_a)
    nursery = Partner.objects.create(organisation=org_a, name="Little Oaks Nursery")
    sign_in(client, manager_a)
    assert client.post(reverse("casework:rule_add"), _rule(nursery, 2, 4, 1)).status_code == 302
    rule = RoutingRule.objects.get(partner=nursery)
    assert (rule.min_age, rule.max_age, rule.position) == (2, 4, 1)
    assert AuditEvent.objects.filter(action="casework.routing_rule_added").count() == 1
    case = factories.make_case(org_a, worker_a, children=(("Cara", factories.child_born(3)),))
    children = list(case.family.people.filter(kind="child"))
    # Position 1 for both: the earlier-starting rule (0 to 4) then the nursery (2 to 4).
    assert [s.partner.name for s in onward.suggestions(case, children)] == [
        "Local Children's Centre", "Little Oaks Nursery",
    ]  # fmt: skip
    client.post(reverse("casework:rule_edit", args=[rule.pk]), _rule(nursery, 2, 4, 1))
    RoutingRule.objects.exclude(pk=rule.pk).update(position=5)
    assert [s.partner.name for s in onward.suggestions(case, children)] == [
        "Little Oaks Nursery", "Local Children's Centre",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        (6, 4, "max_age", "The oldest age can&#x27;t be below the youngest (6)."),
        (-1, 4, "min_age", "Ages start at 0."),
        (0, 26, "max_age", "Rules cover ages up to 25."),
        ("", 4, "min_age", "Enter the youngest age, in years (0 for babies)."),
        ("two", 4, "min_age", "Enter a whole number of years."),
    ],
)
def test_a_rule_with_bad_ages_is_refused_beside_the_field(
    client, org_a, manager_a, low, high, field, message
):
    nursery = Partner.objects.create(organisation=org_a, name="Little Oaks Nursery")
    sign_in(client, manager_a)
    response = client.post(reverse("casework:rule_add"), _rule(nursery, low, high))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'id="id_{field}"' in page and 'aria-invalid="true"' in page
    assert not RoutingRule.objects.filter(partner=nursery).exists()


def test_the_widest_rule_0_to_25_is_allowed(client, org_a, manager_a):
    nursery = Partner.objects.create(organisation=org_a, name="Youth Hub")
    sign_in(client, manager_a)
    assert client.post(reverse("casework:rule_add"), _rule(nursery, 0, 25)).status_code == 302


def test_a_rule_cannot_suggest_a_retired_or_another_organisations_partner(
    client, org_a, org_b, manager_a
):
    retired = Partner.objects.create(
        organisation=org_a, name="Gone", retired_at="2026-01-01T00:00Z"
    )
    theirs = Partner.objects.create(organisation=org_b, name="Theirs")
    sign_in(client, manager_a)
    for partner in (retired, theirs):
        response = client.post(reverse("casework:rule_add"), _rule(partner, 0, 4))
        assert "Choose one of your current partners." in response.content.decode()
    assert not RoutingRule.objects.filter(partner__in=[retired, theirs]).exists()


def test_a_manager_changes_and_removes_a_rule_audited(client, org_a, manager_a):
    onward.ensure_default_rules(org_a)
    rule = RoutingRule.objects.get(organisation=org_a, min_age=5)
    sign_in(client, manager_a)
    client.post(reverse("casework:rule_edit", args=[rule.pk]), _rule(rule.partner, 5, 18, 2))
    rule.refresh_from_db()
    assert rule.max_age == 18
    client.post(reverse("casework:rule_delete", args=[rule.pk]))
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"casework.routing_rule_changed", "casework.routing_rule_removed"} <= actions


def test_workers_and_other_organisations_get_404(client, org_a, org_b, worker_a, worker_b):
    onward.ensure_default_rules(org_a)
    rule = RoutingRule.objects.filter(organisation=org_a).first()
    partner = rule.partner
    urls = [
        reverse("casework:partners"), reverse("casework:partner_add"),
        reverse("casework:partner_edit", args=[partner.pk]), reverse("casework:rule_add"),
        reverse("casework:rule_edit", args=[rule.pk]),
    ]  # fmt: skip
    sign_in(client, worker_a)
    assert {client.get(url).status_code for url in urls} == {404}
    assert client.post(reverse("casework:rule_delete", args=[rule.pk])).status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_another_organisations_manager_gets_404_for_our_partners(client, org_a, org_b):
    from homeward.accounts import factories as people
    from homeward.accounts.models import Role

    onward.ensure_default_rules(org_a)
    rule = RoutingRule.objects.filter(organisation=org_a).first()
    manager_b = people.make_member("manager-b", org_b, Role.MANAGER)
    sign_in(client, manager_b)
    assert client.get(reverse("casework:partner_edit", args=[rule.partner_id])).status_code == 404
    assert client.get(reverse("casework:rule_edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("casework:rule_delete", args=[rule.pk])).status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_the_partners_page_makes_the_same_queries_however_many_partners(
    client, org_a, manager_a, django_assert_max_num_queries
):
    sign_in(client, manager_a)
    onward.ensure_default_rules(org_a)
    client.get(reverse("casework:partners"))
    for i in range(12):
        partner = Partner.objects.create(
            organisation=org_a, name=f"Partner {i}", directory_service=make_service(f"S{i}", n=i)
        )
        RoutingRule.objects.create(organisation=org_a, partner=partner, min_age=i, max_age=i + 1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("casework:partners")).content.decode()
    assert "Partner 11" in page and "S11" in page


# Referring to a Directory service ------------------------------------------------------------


def test_a_worker_refers_a_family_to_a_directory_service_found_by_name(client, worker_a, case_a):
    service = make_service("Sunbeam Family Hub")
    make_service("Harbour Advice Line", n=1)
    sign_in(client, worker_a)
    url = reverse("casework:onward_new", args=[case_a.pk])
    page = client.get(url, {"service_q": "Sunbeam"}).content.decode()
    assert "Sunbeam Family Hub" in page and "Harbour Advice Line" not in page
    assert "Families First" in page  # partners stay on offer
    response = client.post(
        url, {"service_q": "Sunbeam", "destination": f"service:{service.pk}", "reason": "Hub"}
    )
    assert response.status_code == 302
    made = OnwardReferral.objects.get()
    assert (made.directory_service, made.partner, made.recipient_name) == (
        service, None, "Sunbeam Family Hub",
    )  # fmt: skip
    assert made.consent is not None


def test_a_service_not_found_by_the_search_or_closed_cannot_be_chosen(client, worker_a, case_a):
    closed = make_service("Sunbeam Family Hub", status=Service.Status.DEFUNCT)
    sign_in(client, worker_a)
    url = reverse("casework:onward_new", args=[case_a.pk])
    for value in (f"service:{closed.pk}", "service:not-a-uuid"):
        response = client.post(url, {"service_q": "Sunbeam", "destination": value, "reason": "x"})
        assert response.status_code == 200
    assert not OnwardReferral.objects.exists()


def test_referring_to_a_directory_service_goes_through_the_consent_gate(
    client, org_a, worker_a, manager_a
):
    case = factories.make_case(org_a, worker_a, consent_sharing=False)
    service = make_service("Sunbeam Family Hub")
    url = reverse("casework:onward_new", args=[case.pk])
    data = {"service_q": "Sunbeam", "destination": f"service:{service.pk}", "reason": "Hub"}
    sign_in(client, worker_a)
    refused = client.post(url, data)
    assert "hasn&#x27;t agreed to share" in refused.content.decode()
    assert not OnwardReferral.objects.exists()
    client.logout()
    sign_in(client, manager_a)
    client.post(url, data | {"override_reason": "To keep the children safe"})
    made = OnwardReferral.objects.get()
    assert made.override is not None and made.directory_service == service


def test_a_retired_partner_is_neither_suggested_nor_offered(client, org_a, worker_a, case_a):
    onward.ensure_default_rules(org_a)
    first = Partner.objects.get(organisation=org_a, name="Families First")
    RoutingRule.objects.filter(partner=first).delete()
    first.retired_at = "2026-01-01T00:00Z"
    first.save()
    sign_in(client, worker_a)
    url = reverse("casework:onward_new", args=[case_a.pk])
    assert "Families First" not in client.get(url).content.decode()
    client.post(url, {"destination": f"partner:{first.pk}", "reason": "x"})
    assert not OnwardReferral.objects.exists()


def test_the_onward_referral_shows_how_to_reach_the_partner_or_the_service(
    client, org_a, worker_a, case_a
):
    service = make_service("Sunbeam Family Hub")
    partner = Partner.objects.create(
        organisation=org_a, name="Little Oaks", email="ruth@example.org", phone="01273 000000"
    )
    to_partner = onward.refer_onward(worker_a, case_a, reason="x", partner=partner)
    to_service = onward.refer_onward(worker_a, case_a, reason="x", service=service)
    sign_in(client, worker_a)
    page = client.get(reverse("casework:onward", args=[to_partner.pk])).content.decode()
    assert "mailto:ruth@example.org" in page and "01273 000000" in page
    page = client.get(reverse("casework:onward", args=[to_service.pk])).content.decode()
    assert reverse("directory:service", args=[service.pk]) in page


def test_workers_see_what_a_partner_offers_when_choosing(client, org_a, worker_a, case_a):
    onward.ensure_default_rules(org_a)
    Partner.objects.filter(name="Families First").update(offers="Family days and  school help")
    sign_in(client, worker_a)
    page = client.get(reverse("casework:onward_new", args=[case_a.pk])).content.decode()
    assert "Families First (suggested for Zoe, 9): Family days and school help" in page
    assert "Local Children&#x27;s Centre (suggested for Cara, 3): Stay and play" in page


def test_the_onward_form_makes_the_same_queries_however_many_services_match(
    client, worker_a, case_a, django_assert_max_num_queries
):
    make_service("Sunbeam One")
    sign_in(client, worker_a)
    url = reverse("casework:onward_new", args=[case_a.pk])
    client.get(url, {"service_q": "Sunbeam"})
    with django_assert_max_num_queries(15) as few:
        client.get(url, {"service_q": "Sunbeam"})
    for i in range(1, 14):
        make_service(f"Sunbeam {i}", n=i)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url, {"service_q": "Sunbeam"}).content.decode()
    assert page.count("from the Directory</label>") == 10  # at most ten offered
