"""Onward referrals routed by the children's ages (seed 004's defaults)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from conftest import sign_in
from homeward.casework import factories
from homeward.casework.models import OnwardReferral, Partner, RoutingRule
from homeward.casework.services import onward
from homeward.core.models import Notification


def test_default_rules_route_under_fives_and_five_to_nineteen(org_a, worker_a):
    case = factories.make_case(
        org_a, worker_a,
        children=(("Baby", factories.child_born(4)), ("Zoe", factories.child_born(5)),
                  ("Jo", factories.child_born(19)), ("Kim", factories.child_born(20))),
    )  # fmt: skip
    onward.ensure_default_rules(org_a)
    onward.ensure_default_rules(org_a)
    assert RoutingRule.objects.filter(organisation=org_a).count() == 2
    found = {
        s.partner.name: [c.name for c in s.children]
        for s in onward.suggestions(case, list(case.family.people.filter(kind="child")))
    }
    assert found == {
        "Local Children's Centre": ["Baby"],
        "Families First": ["Jo", "Zoe"],
    }  # eldest first


def test_a_worker_refers_onward_answers_and_tells_the_family(client, org_a, worker_a, family):
    case = factories.make_case(
        org_a, worker_a, submitted_by=family, children=(("Cara", factories.child_born(3)),)
    )
    sign_in(client, worker_a)
    url = reverse("casework:onward_new", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Local Children&#x27;s Centre (suggested for Cara, 3)" in page
    centre = Partner.objects.get(organisation=org_a, name="Local Children's Centre")
    client.post(url, {"destination": f"partner:{centre.pk}", "reason": "Stay and play sessions"})
    made = OnwardReferral.objects.get()
    detail = reverse("casework:onward", args=[made.pk])
    assert (
        "Give the reason they declined."
        in client.post(detail, {"status": "declined"}).content.decode()
    )
    client.post(detail, {"status": "accepted", "outcome": "Started sessions"})
    client.post(detail, {"action": "tell"})
    made.refresh_from_db()
    assert made.status == "accepted" and made.family_told_at is not None
    assert Notification.objects.filter(recipient=family, kind="casework.onward").exists()


def test_a_family_without_account_or_email_cannot_be_told_here(org_a, worker_a):
    case = factories.make_case(org_a, worker_a)
    onward.ensure_default_rules(org_a)
    made = onward.refer_onward(
        worker_a, case, reason="x", partner=Partner.objects.filter(organisation=org_a).first()
    )
    assert onward.tell_family(worker_a, made) is False
    assert not mail.outbox


def test_another_organisations_partner_cannot_be_chosen(client, org_a, org_b, worker_a, case_a):
    onward.ensure_default_rules(org_b)
    theirs = Partner.objects.filter(organisation=org_b).first()
    sign_in(client, worker_a)
    response = client.post(
        reverse("casework:onward_new", args=[case_a.pk]),
        {"destination": f"partner:{theirs.pk}", "reason": "x"},
    )
    assert response.status_code == 200 and not OnwardReferral.objects.exists()
