"""Casework factories for tests, benchmarks and `seed_demo`: plain functions over the real
services, with seeded randomness."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from homeward.casework.models import Case, Note, Referral
from homeward.casework.services import applications, cases, onward, safeguarding
from homeward.casework.services.referrals import (
    Child,
    ReferralData,
    accept_referral,
    submit_referral,
)

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation, User
    from homeward.prisons.models import Prison

SURNAMES = (
    "Coleman", "Patel", "Okafor", "Murphy", "Hughes", "Khan", "Evans", "Nowak", "Walsh",
    "Bennett", "Ahmed", "Clarke", "Doyle", "Fraser", "Grant", "Hussain", "Lewis", "Mensah",
    "Atkinson", "Begum", "Brennan", "Campbell", "Chowdhury", "Davies", "Ellis", "Flynn",
    "Gallagher", "Harris", "Jackson", "Jones", "Kowalski", "Lloyd", "Mahmood", "McCarthy",
    "Mitchell", "Morgan", "O'Brien", "Osei", "Parry", "Quinn", "Reid", "Robinson", "Shah",
    "Simpson", "Taylor", "Thompson", "Turner", "Ward", "Watson", "Williams", "Wright", "Young",
)  # fmt: skip
ADULTS = (
    "Steph", "Jerry", "Ryan", "Amira", "Leon", "Tom", "Kofi", "Donna", "Gary", "Nadia",
    "Shaun", "Kerry", "Mandy", "Darren", "Fatima", "Lee", "Joanne", "Wayne", "Priya", "Claire",
)  # fmt: skip
CHILDREN = (
    "Ava", "Cara", "Zoe", "Maya", "Ella", "Alfie", "Noah", "Isla", "Leo", "Amelia", "Harley",
    "Mason", "Ruby", "Aisha", "Jayden", "Lily", "Oscar", "Evie", "Tyler", "Freya",
)  # fmt: skip


def family_names(r: random.Random, count: int) -> list[str]:
    """`count` surnames for demo families, each used once while the list lasts (then again:
    unrelated families do share surnames)."""
    names = r.sample(SURNAMES, min(count, len(SURNAMES)))
    return names + [r.choice(SURNAMES) for _ in range(count - len(names))]


REQUESTS = (
    "Please ring my partner, I haven't heard from her since I came in.",
    "Can you help my mum book a visit? She doesn't use the internet.",
    "I want to send a birthday card to my daughter.",
    "Can my kids come to the next family day?",
    "My family need help with the cost of travelling to visits.",
)


def child_born(age: int, today: date | None = None, day_offset: int = 10) -> date:
    today = today or timezone.localdate()
    return today.replace(year=today.year - age) - timedelta(days=day_offset)


def make_referral(
    organisation: Organisation,
    *,
    family_name: str = "Coleman",
    contact_name: str = "",
    children: tuple[tuple[str, date], ...] = (),
    prisoner_name: str = "Geoff Coleman",
    prison: Prison | None = None,
    source: str = Referral.Source.PROFESSIONAL,
    consent_sharing: bool = True,
    submitted_by: User | None = None,
    needs: tuple[str, ...] = ("children", "visits"),
    contact_phone: str = "07700 900123",
) -> Referral:
    data = ReferralData(
        family_name=family_name,
        contact_name=contact_name or f"Steph {family_name}",
        contact_phone=contact_phone,
        children=[Child(n, b) for n, b in children],
        prisoner_name=prisoner_name,
        prison=prison,
        needs=list(needs),
        referrer_name="" if source != Referral.Source.PROFESSIONAL else "Sam Teacher",
        referrer_role="" if source != Referral.Source.PROFESSIONAL else "Family liaison officer",
        referrer_email="" if source != Referral.Source.PROFESSIONAL else "sam@school.example.org",
        consent_attested=True,
        consent_how=Referral.HowObtained.VERBAL,
        consent_sharing=consent_sharing,
    )
    referral, _ = submit_referral(
        organisation, data, source=source, token=uuid.uuid4(), submitted_by=submitted_by
    )
    return referral


def make_case(
    organisation: Organisation,
    worker: User,
    *,
    family_name: str = "Coleman",
    children: tuple[tuple[str, date], ...] = (),
    consent_sharing: bool = True,
    prisoner_name: str = "Geoff Coleman",
    prison: Prison | None = None,
    submitted_by: User | None = None,
    contact_name: str = "",
) -> Case:
    referral = make_referral(
        organisation,
        family_name=family_name,
        contact_name=contact_name,
        children=children,
        consent_sharing=consent_sharing,
        prisoner_name=prisoner_name,
        prison=prison,
        submitted_by=submitted_by,
        source=Referral.Source.SELF if submitted_by else Referral.Source.PROFESSIONAL,
    )
    return accept_referral(worker, referral, worker)


def seed_casework(
    organisation: Organisation,
    worker: User,
    advocate: User,
    manager: User,
    *,
    prisons: list[Prison] | None = None,
    size: int = 32,
    r: random.Random | None = None,
) -> int:
    """A realistic caseload: `size` open cases for the worker (some quiet, some with overdue
    applications and actions due), a few for the advocate, a restriction, a conference, and
    referrals waiting in the queue. Safe to run again (does nothing once seeded)."""
    if Case.objects.filter(organisation=organisation).exists():
        return 0
    r = r or random.Random(20261123)
    onward.ensure_default_rules(organisation)
    if prisons is None:
        from homeward.prisons.models import Prison

        prisons = list(Prison.objects.open().defer("record").order_by("code")[:8])
    made = 0
    names = family_names(r, size + 6 + 5)
    for i in range(size + 6):
        holder = worker if i < size else advocate
        name = names[i]
        kids = tuple(
            (r.choice(CHILDREN), child_born(r.randint(1, 17), day_offset=r.randint(1, 300)))
            for _ in range(r.randint(0, 3))
        )
        case = make_case(
            organisation, holder, family_name=name, children=kids,
            consent_sharing=i % 4 != 0, prisoner_name=f"{r.choice(ADULTS)} {name}",
            contact_name=f"{r.choice(ADULTS)} {name}",
            prison=r.choice(prisons) if prisons else None,
        )  # fmt: skip
        made += 1
        days_ago = r.randint(0, 60)
        if i % 5 != 4:
            cases.add_note(
                holder, case, kind=Note.Kind.PHONE,
                body="Spoke to the family about the next visit and how the children are.",
                sensitive=False, happened_at=timezone.now() - timedelta(days=days_ago),
            )  # fmt: skip
        if i % 3 == 0:
            cases.save_assessment(
                holder, case,
                {"children": (2, "Youngest struggling at school."), "visits": (1, ""), "contact": (1, "")},
            )  # fmt: skip
            cases.add_action(
                holder, case,
                {"description": "Ring the school's family liaison officer", "owner": holder,
                 "owner_label": "", "due_on": timezone.localdate() + timedelta(days=r.randint(-3, 10))},
            )  # fmt: skip
        if i % 4 == 1:
            received = timezone.localdate() - timedelta(days=r.randint(0, 14))
            app = applications.log_application(holder, case, received, r.choice(REQUESTS))
            if i % 8 == 1:
                applications.answer_application(
                    holder, app, "Rang his partner; she'll write this week.",
                    answered_on=min(timezone.localdate(), received + timedelta(days=r.randint(1, 6))),
                )  # fmt: skip
        if i == 2:
            safeguarding.add_restriction(
                manager, case,
                {"source": "Public Protection Unit", "starts_on": timezone.localdate() - timedelta(days=30),
                 "ends_on": None, "details": "No contact with any child under 18."},
            )  # fmt: skip
        if i == 3:
            cases.add_conference(
                holder, case,
                {"held_on": timezone.localdate() - timedelta(days=7), "place": "Visits hall",
                 "participants": "Jerry (in prison)\nHis mum\nHis sister\nOffender manager",
                 "notes": "Family agreed Jerry can return home on release."},
                [{"description": "Confirm the release address with probation"}],
            )  # fmt: skip
    for i, name in enumerate(names[size + 6 :]):
        make_referral(
            organisation, family_name=name, contact_name=f"{r.choice(ADULTS)} {name}",
            children=((r.choice(CHILDREN), child_born(3 + i * 3)),),
            source=Referral.Source.PAPER if i % 2 else Referral.Source.PROFESSIONAL,
        )  # fmt: skip
    return made
