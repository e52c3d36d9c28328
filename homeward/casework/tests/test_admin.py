"""The Django admin for casework: platform admins only, read-only records without their free
text, every opened record logged as a read, list pages with a constant query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import sign_in
from homeward.casework import factories
from homeward.casework.models import Case, Note, Partner, Referral
from homeward.casework.services import applications, cases, onward, safeguarding
from homeward.core.models import AuditEvent

CHANGELISTS = (
    "application", "case", "caseworksettings", "concern", "consent", "consentoverride",
    "onwardreferral", "partner", "referral", "routingrule",
)  # fmt: skip


def _world(org, worker, n: int) -> None:
    onward.ensure_default_rules(org)
    partner = Partner.objects.filter(organisation=org).first()
    for i in range(n):
        case = factories.make_case(org, worker, family_name=f"Adminfam{i}")
        applications.log_application(worker, case, case.opened_at.date(), "Ring mum")
        safeguarding.raise_concern(worker, case, "Worried")
        onward.refer_onward(worker, case, reason="x", partner=partner)
        factories.make_referral(org, family_name=f"Posted{i}")


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_make_the_same_queries_however_many_rows(
    client, org_a, worker_a, platform_admin, django_assert_max_num_queries, model
):
    _world(org_a, worker_a, 1)
    sign_in(client, platform_admin)
    url = reverse(f"admin:casework_{model}_changelist")
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    _world(org_a, worker_a, 4)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_staff_of_organisations_cannot_reach_the_casework_admin(client, manager_a, case_a):
    sign_in(client, manager_a)
    assert client.get(reverse("admin:casework_case_changelist")).status_code == 404
    assert client.get(reverse("admin:casework_case_change", args=[case_a.pk])).status_code == 404


def test_a_case_opens_read_only_without_its_content_and_the_read_is_logged(
    client, platform_admin, worker_a, case_a
):
    cases.add_note(worker_a, case_a, kind="phone", body="Mum said the visit went badly",
                   sensitive=True, happened_at=case_a.opened_at)  # fmt: skip
    Case.objects.filter(pk=case_a.pk).update(prisoner_name="Dean Coleman")
    sign_in(client, platform_admin)
    page = client.get(reverse("admin:casework_case_change", args=[case_a.pk])).content.decode()
    assert case_a.reference in page
    assert "Dean Coleman" not in page and "went badly" not in page
    assert 'name="_save"' not in page  # nothing to save: read-only
    assert AuditEvent.objects.filter(
        actor=platform_admin, action=AuditEvent.VIEWED, target_id=str(case_a.pk)
    ).exists()
    assert (
        client.post(
            reverse("admin:casework_case_delete", args=[case_a.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Case.objects.filter(pk=case_a.pk).exists()


def test_notes_and_files_are_not_in_the_admin(client, platform_admin):
    from django.contrib import admin

    assert Note not in admin.site._registry
    assert Referral in admin.site._registry


def test_a_platform_admin_may_fix_a_partner_but_not_delete_it(client, org_a, platform_admin):
    onward.ensure_default_rules(org_a)
    partner = Partner.objects.get(organisation=org_a, name="Families First")
    sign_in(client, platform_admin)
    change = client.get(reverse("admin:casework_partner_change", args=[partner.pk]))
    assert 'name="_save"' in change.content.decode()
    assert (
        client.get(reverse("admin:casework_partner_delete", args=[partner.pk])).status_code == 403
    )
