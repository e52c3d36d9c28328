"""Casework benchmarks: a worker's caseload of 40, the manager's view of every worker's
caseload, and the triage queue, over 20,000 cases across 10 organisations. Run by `make bench`
(never by `make test`).

The cases are bulk-inserted (the services would take minutes for 20k): each organisation has
ten workers, a manager, 2,000 cases (a quarter closed) and 50 referrals waiting. Targets: the
caseload and the manager's view each median ≤ 20 ms with ≤ 10 queries; the triage queue's
query count the same with 5 or 50 referrals waiting."""

from __future__ import annotations

import random
from datetime import timedelta

from bench import harness

DB = harness.start("casework")

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Organisation, Role, User  # noqa: E402
from homeward.casework.models import Case, Family, Referral, Stage  # noqa: E402
from homeward.casework.services.common import settings_for  # noqa: E402

TARGET_MS = 20.0
TARGET_QUERIES = 10
ORGS = 10
CASES_PER_ORG = 2_000
WORKERS_PER_ORG = 10
STAGES = [Stage.NEW, Stage.ASSESSMENT, Stage.PLAN, Stage.SUPPORT, Stage.SUPPORT, Stage.CLOSING]


def _org(i: int) -> tuple[Organisation, list[User], User]:
    org = factories.make_organisation(f"Bench Family Support {i}", slug=f"bench-{i}")
    settings_for(org)
    workers = [
        factories.make_member(f"bench-worker-{i}-{w}", org, Role.SUPPORT_WORKER)
        for w in range(WORKERS_PER_ORG)
    ]
    manager = factories.make_member(f"bench-manager-{i}", org, Role.MANAGER)
    return org, workers, manager


def _cases(org: Organisation, workers: list[User], r: random.Random) -> None:
    now = timezone.now()
    families = Family.objects.bulk_create(
        Family(organisation=org, name=f"Family {org.pk}-{n}", postcode="BN7 1AA")
        for n in range(CASES_PER_ORG)
    )
    rows = []
    for n, family in enumerate(families):
        # Worker 0 holds exactly 40 open cases; the rest spread over the others.
        worker = workers[0] if n < 40 else workers[1 + n % (len(workers) - 1)]
        closed = n >= 40 and n % 4 == 0
        rows.append(
            Case(
                organisation=org,
                reference=f"B{org.pk}-{n:05d}",
                family=family,
                worker=worker,
                team=Role.SUPPORT_WORKER,
                stage=Stage.CLOSED if closed else STAGES[n % len(STAGES)],
                prisoner_name=f"Person {n}",
                opened_at=now - timedelta(days=r.randint(1, 700)),
                last_contact_at=now - timedelta(days=r.randint(0, 90)),
                closed_at=now - timedelta(days=r.randint(1, 300)) if closed else None,
            )
        )
    Case.objects.bulk_create(rows, batch_size=500)


def _referrals(org: Organisation, count: int, start: int = 0) -> None:
    Referral.objects.bulk_create(
        Referral(
            organisation=org,
            reference=f"Q{org.pk}-{n:04d}",
            source=Referral.Source.PROFESSIONAL,
            family_name=f"Waiting {n}",
            children=[{"name": "Kid", "date_of_birth": "2019-01-01"}],
            needs=["visits"],
            consent_attested=True,
        )
        for n in range(start, start + count)
    )


def build() -> tuple[User, User, Organisation]:
    harness.fresh_database(DB)
    r = random.Random(20261123)
    first: tuple[Organisation, list[User], User] | None = None
    for i in range(ORGS):
        org, workers, manager = _org(i)
        _cases(org, workers, r)
        _referrals(org, 5)
        first = first or (org, workers, manager)
    assert first is not None
    org, workers, manager = first
    assert Case.objects.count() == ORGS * CASES_PER_ORG
    return workers[0], manager, org


def main() -> int:
    worker, manager, org = build()
    as_worker = factories.sign_in(Client(), worker)
    as_manager = factories.sign_in(Client(), manager)
    open_cases = Case.objects.filter(worker=worker).open().count()
    pages = [
        (f"A worker's caseload ({open_cases} open cases)", as_worker, "/casework/cases/"),
        ("The manager's view of all workers (2,000 cases)", as_manager, "/casework/caseloads/"),
        ("Triage queue (5 waiting)", as_worker, "/casework/referrals/"),
    ]
    results = [harness.measure_page(name, client, url) for name, client, url in pages]
    _referrals(org, 45, start=5)
    results.append(
        harness.measure_page("Triage queue (50 waiting)", as_worker, "/casework/referrals/")
    )
    results.append(harness.measure_page("A worker's today page", as_worker, "/casework/"))
    write(results)
    problems = [
        r.name for r in results[:2] if r.median_ms > TARGET_MS or r.queries > TARGET_QUERIES
    ]
    if results[2].queries != results[3].queries:
        problems.append("triage queue queries grow with the queue")
    if problems:
        print(f"Over target: {', '.join(problems)}")
    return 0


def write(results: list[harness.Result]) -> None:
    harness.write_section(
        "Casework",
        [
            harness.conditions()
            + f" {ORGS * CASES_PER_ORG:,} cases across {ORGS} organisations. Target: a worker's"
            " caseload of 40 and the manager's view each median ≤ 20 ms with ≤ 10 queries; the"
            " triage queue's queries constant as it grows.",
            "",
            *harness.page_table(results),
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
