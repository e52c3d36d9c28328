"""The consent gate, both ways: onward referrals and exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.casework import factories
from homeward.casework.models import Consent, ConsentOverride, OnwardReferral, Partner
from homeward.casework.models.consent import Condition, LawfulBasis, Scope
from homeward.casework.services import consent as gate
from homeward.casework.services import onward
from homeward.casework.services.export import WITHHELD, export_cases
from homeward.core.models import AuditEvent


@pytest.fixture
def no_consent_case(org_a, worker_a):
    return factories.make_case(
        org_a, worker_a, family_name="Patel", consent_sharing=False,
        children=(("Amira", factories.child_born(7)),),
    )  # fmt: skip


@pytest.fixture
def centre(org_a):
    onward.ensure_default_rules(org_a)
    return Partner.objects.get(organisation=org_a, name="Families First")


def test_a_matching_consent_lets_the_referral_go(case_a, worker_a, centre):
    made = onward.refer_onward(worker_a, case_a, reason="School support", partner=centre)
    assert made.consent is not None and made.override is None


def test_without_consent_nothing_is_shared(no_consent_case, worker_a, centre):
    with pytest.raises(gate.ConsentRequired):
        onward.refer_onward(worker_a, no_consent_case, reason="School support", partner=centre)
    assert not OnwardReferral.objects.exists()


def test_a_worker_cannot_override(no_consent_case, worker_a, centre):
    with pytest.raises(gate.ConsentRequired):
        onward.refer_onward(
            worker_a, no_consent_case, reason="x", partner=centre, override_reason="urgent"
        )
    assert not OnwardReferral.objects.exists() and not ConsentOverride.objects.exists()


def test_a_manager_may_override_with_a_reason_which_is_logged(no_consent_case, manager_a, centre):
    made = onward.refer_onward(
        manager_a, no_consent_case, reason="x", partner=centre,
        override_reason="Child at risk: section 47 enquiry",
    )  # fmt: skip
    assert made.override is not None and made.override.manager == manager_a
    assert AuditEvent.objects.filter(action="casework.consent_overridden").count() == 1


def test_withdrawn_expired_or_other_service_consent_does_not_count(
    no_consent_case, worker_a, centre
):
    base = {
        "family": no_consent_case.family, "given_by": "Mum", "scope": Scope.SHARING,
        "lawful_basis": LawfulBasis.CONSENT, "condition": Condition.EXPLICIT_CONSENT,
        "how_obtained": Consent.HowObtained.VERBAL,
    }  # fmt: skip
    Consent.objects.create(**base, withdrawn_at=timezone.now())
    Consent.objects.create(**base, expires_on=timezone.localdate() - timedelta(days=1))
    Consent.objects.create(**base, recipient="Local Children's Centre")
    Consent.objects.create(**base | {"condition": ""}, recipient="Families First")  # no Sch. 1
    with pytest.raises(gate.ConsentRequired):
        onward.refer_onward(worker_a, no_consent_case, reason="x", partner=centre)
    Consent.objects.create(**base, recipient="families first")
    assert onward.refer_onward(worker_a, no_consent_case, reason="x", partner=centre).consent


def test_the_consent_form_needs_a_schedule_1_condition_for_offence_data(client, worker_a, case_a):
    sign_in(client, worker_a)
    url = reverse("casework:consent_add", args=[case_a.pk])
    data = {
        "given_by": "Steph", "scope": "sharing", "recipient": "Families First",
        "lawful_basis": "consent", "condition": "", "criminal_offence_data": "on",
        "how_obtained": "verbal", "given_on": timezone.localdate().isoformat(),
    }  # fmt: skip
    before = Consent.objects.count()
    assert "Schedule 1 condition" in client.post(url, data).content.decode()
    assert Consent.objects.count() == before
    client.post(url, data | {"condition": "explicit_consent"})
    assert Consent.objects.count() == before + 1


def test_withdrawing_consent_stops_sharing(client, case_a, worker_a, centre):
    sharing = Consent.objects.get(family=case_a.family, scope=Scope.SHARING)
    sign_in(client, worker_a)
    client.post(reverse("casework:consent_withdraw", args=[case_a.pk, sharing.pk]))
    with pytest.raises(gate.ConsentRequired):
        onward.refer_onward(worker_a, case_a, reason="x", partner=centre)


def _rows(text):
    return list(csv.reader(io.StringIO(text)))[1:]


def test_export_names_only_families_who_agreed(case_a, no_consent_case, worker_a, manager_a):
    rows = _rows(export_cases(worker_a, [case_a, no_consent_case], "Families First"))
    by_ref = {r[0]: r for r in rows}
    assert by_ref[case_a.reference][1] == "Coleman"
    assert by_ref[no_consent_case.reference][1] == WITHHELD
    with pytest.raises(gate.ConsentRequired):
        export_cases(worker_a, [no_consent_case], "Families First", "I said so")
    rows = _rows(export_cases(manager_a, [no_consent_case], "Families First", "Court order"))
    assert rows[0][1] == "Patel"
    assert ConsentOverride.objects.filter(purpose="export", case=no_consent_case).exists()
    assert AuditEvent.objects.filter(action="casework.cases_exported").count() == 2


def test_the_export_page_downloads_a_csv_and_is_rate_limited(client, case_a, worker_a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "casework_export": "1/m"}
    sign_in(client, worker_a)
    url = reverse("casework:export")
    response = client.post(url, {"recipient": "Families First"})
    assert response["Content-Type"].startswith("text/csv")
    assert "Coleman" in response.content.decode()
    assert client.post(url, {"recipient": "Families First"}).status_code == 429
