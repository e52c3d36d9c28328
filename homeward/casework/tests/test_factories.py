"""The demo caseload `seed_demo` builds: realistic, and safe to run again."""

from __future__ import annotations

from homeward.casework import factories
from homeward.casework.models import Application, Case, Referral


def test_seed_casework_builds_a_caseload_once(org_a, worker_a, advocate_a, manager_a, lewes):
    made = factories.seed_casework(org_a, worker_a, advocate_a, manager_a, size=12)
    assert made == 18
    assert Case.objects.filter(worker=worker_a).open().count() == 12
    assert Case.objects.filter(worker=advocate_a).count() == 6
    assert Referral.objects.waiting().filter(organisation=org_a).count() == 5
    assert Case.objects.filter(has_child_restriction=True).count() == 1
    assert Application.objects.waiting().exists()
    assert Case.objects.filter(prison=lewes).exists()
    assert factories.seed_casework(org_a, worker_a, advocate_a, manager_a, size=12) == 0
    assert Case.objects.count() == 18
