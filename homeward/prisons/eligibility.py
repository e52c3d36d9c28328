"""Help with the cost of prison visits: the rules of the Assisted Prison Visits scheme, as a plain
answer. The scheme's own decision is what counts; this tells a family whether it is worth
applying and how."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

APPLY_URL = "https://www.gov.uk/help-with-prison-visits"
MAX_VISITS_A_YEAR = 26
CLAIM_WITHIN_DAYS = 28


class Relationship(models.TextChoices):
    PARTNER = "partner", "Husband, wife, civil partner or partner"
    RELATIVE = "relative", "Close relative (parent, child, brother, sister, grandparent…)"
    SOLE_VISITOR = "sole", "Friend or other visitor, and I'm the only person who visits them"
    OTHER = "other", "Friend or other visitor, and other people visit them too"


class Benefit(models.TextChoices):
    INCOME_SUPPORT = "income-support", "Income Support"
    JSA = "jsa", "income-based Jobseeker's Allowance"
    ESA = "esa", "income-related Employment and Support Allowance"
    UNIVERSAL_CREDIT = "universal-credit", "Universal Credit"
    PENSION_CREDIT = "pension-credit", "Pension Credit (guarantee credit)"
    TAX_CREDITS = "tax-credits", "Working Tax Credit or Child Tax Credit (with a low income)"
    HC2 = "hc2", "NHS certificate HC2 (full help with health costs)"
    HC3 = "hc3", "NHS certificate HC3 (some help with health costs)"
    NONE = "none", "None of these"


QUALIFYING = frozenset(Benefit.values) - {Benefit.NONE.value}


class Frequency(models.TextChoices):
    FEWER = "fewer", f"Fewer than {MAX_VISITS_A_YEAR} in the last 12 months"
    MORE = "more", f"{MAX_VISITS_A_YEAR} or more in the last 12 months"


@dataclass(frozen=True)
class Answer:
    eligible: bool
    heading: str
    reasons: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


HOW_TO_APPLY = [
    "Apply online on GOV.UK (\u201cGet help with the cost of prison visits\u201d), or ask the "
    "prison or the visitors' centre for a paper form to send by post.",
    "You can apply before a visit, or claim afterwards: claim within "
    f"{CLAIM_WITHIN_DAYS} days of the visit.",
    "Keep your tickets and receipts (fuel, parking, bus and train fares): you'll need them.",
    "Have ready the proof of your benefit or your NHS certificate, and the prison number of "
    "the person you visit.",
]

WHAT_YOU_CAN_CLAIM = [
    "Travel: train, bus or coach fares, or fuel for your car, and parking.",
    "In some cases, an overnight stay and meals, if the journey is long.",
    "Travel for a child or an escort who has to come with you.",
]


def check(relationship: str, benefits: list[str], frequency: str) -> Answer:
    """The plain answer for one family. Rules: a partner, a close relative or the only visitor;
    on a qualifying benefit or holding an NHS HC2/HC3 certificate; at most 26 visits in 12
    months."""
    reasons: list[str] = []
    related = relationship in {
        Relationship.PARTNER,
        Relationship.RELATIVE,
        Relationship.SOLE_VISITOR,
    }
    qualifying = sorted(set(benefits) & QUALIFYING)
    if not related:
        reasons.append(
            "The scheme helps partners, close relatives, and a friend only when they are the "
            "person's only visitor."
        )
    if not qualifying:
        reasons.append(
            "The scheme is for people on one of the benefits listed, or with an NHS HC2 or HC3 "
            "certificate for low income."
        )
    if frequency == Frequency.MORE:
        reasons.append(
            f"The scheme pays for up to {MAX_VISITS_A_YEAR} visits in 12 months (about one "
            "every two weeks)."
        )
    if reasons:
        return Answer(
            eligible=False,
            heading="You probably can't get help from this scheme",
            reasons=reasons,
            next_steps=[
                "If your situation changes (a new benefit, or you become their only visitor), "
                "check again.",
                "Ask the visitors' centre or a family support worker about local funds or "
                "charities that help with travel.",
            ],
        )
    reasons = [
        "You are a partner, close relative or the only visitor.",
        "You get a qualifying benefit or have an NHS certificate for low income.",
        f"You have had fewer than {MAX_VISITS_A_YEAR} visits paid for in the last 12 months.",
    ]
    if Benefit.HC3 in qualifying and len(qualifying) == 1:
        reasons.append(
            "With an HC3 certificate you may get part of your costs paid rather than all of them."
        )
    return Answer(
        eligible=True,
        heading="You can probably get help with the cost of your visits",
        reasons=reasons,
        next_steps=HOW_TO_APPLY,
    )
