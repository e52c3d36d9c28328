"""The demo caseload `seed_demo` builds: realistic, and safe to run again."""

from __future__ import annotations

import random
import re

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


def test_demo_families_have_realistic_names_drawn_with_a_seed(
    org_a, worker_a, advocate_a, manager_a, lewes
):
    factories.seed_casework(org_a, worker_a, advocate_a, manager_a, size=12)
    names = list(Case.objects.values_list("family__name", flat=True)) + list(
        Referral.objects.waiting().values_list("family_name", flat=True)
    )
    assert len(names) == 23 and len(set(names)) == 23  # no family's name used twice
    assert all(re.fullmatch(r"[A-Z][A-Za-z']+", name) for name in names), names
    contacts = Referral.objects.values_list("contact_name", "family_name")
    assert all(contact.endswith(" " + family) for contact, family in contacts)


def test_family_names_repeat_only_once_the_list_runs_out():
    first = factories.family_names(random.Random(1), 10)
    assert first == factories.family_names(random.Random(1), 10)  # seeded
    assert len(set(first)) == 10
    many = factories.family_names(random.Random(1), len(factories.SURNAMES) + 5)
    assert len(set(many)) == len(factories.SURNAMES)
