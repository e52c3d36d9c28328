"""The built-in taxonomy of needs for services that support families of people in prison.

Ids are fixed (UUID5 from the term's code), so every Homeward install, its API consumers and its
imports agree on them, and seeding it twice changes nothing."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1d3c52-2b64-4b1c-9a3e-5d0c9b4e7a10")
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:homeward-family-support")
TAXONOMY = {
    "id": TAXONOMY_ID,
    "name": "Homeward: support for families",
    "description": (
        "Needs of families and friends of people in the criminal justice system, "
        "used to find support services."
    ),
    "version": "1",
}

# (code, name shown to families, description)
TERMS: tuple[tuple[str, str, str], ...] = (
    ("visiting-support", "Help with visits", "Booking, travel and help on the day of a visit."),
    ("visitors-centres", "Visitors' centres", "A place to wait, talk and get help before a visit."),
    ("family-days", "Family days", "Longer, relaxed visits for children and their parent."),
    ("court-support", "Support at court", "Someone with you at court, and what happens next."),
    (
        "children-young-people",
        "Children and young people",
        "Support for children with a parent or relative in custody.",
    ),
    (
        "counselling-emotional-support",
        "Counselling and emotional support",
        "Someone to talk to about how you feel.",
    ),
    (
        "money-housing-benefits",
        "Money, housing and benefits",
        "Advice on money, debt, housing and benefits.",
    ),
    ("helplines", "Helplines", "Phone, text or online support you can reach from anywhere."),
    ("parenting", "Parenting programmes", "Courses and support for parents and carers."),
    ("peer-support", "Peer support groups", "Meet other families who understand."),
    ("resettlement", "Coming home", "Help for the family when someone is released."),
    (
        "substance-misuse-families",
        "Drugs and alcohol: support for families",
        "Support for families affected by someone's drug or alcohol use.",
    ),
)


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{code}")
