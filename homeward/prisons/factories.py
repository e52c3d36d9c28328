"""Demo and test data for the Prison guide, over the real services: the shipped establishment
data, plus tips, follows and an alert for a few prisons. `seed_prisons` is safe to run again."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import staff_membership
from homeward.prisons import services
from homeward.prisons.importer import import_prisons
from homeward.prisons.models import Alert, Prison, Tip

DEMO_TIPS = (
    "The 2pm queue is much shorter if you arrive after 1:40.",
    "Bring a pound coin for the lockers: there's no change machine.",
    "The café in the visits hall only takes cards.",
    "Wear flat shoes: there is a long walk from the car park.",
    "Staff at the visitors' centre will help you fill in the forms if you ask.",
    "Children can bring one soft toy in, but it gets searched.",
    "Parking is free but fills up by 1:15 at weekends.",
    "If your bus is late, ring the booking line: they held our visit once.",
)


def ensure_prisons() -> int:
    """Import the shipped data if the guide is empty; returns how many prisons there are."""
    if not Prison.objects.exists():
        import_prisons()
    return Prison.objects.count()


def seed_prisons(
    authors: list[User],
    staff: User,
    *,
    codes: tuple[str, ...] = ("LWI", "FDI", "BAI"),
    seed: int = 20261123,
) -> None:
    """Tips (some waiting for approval, some old), follows and one alert, for demos."""
    ensure_prisons()
    rng = random.Random(seed)
    for code in codes:
        prison = Prison.objects.get(code=code)
        if Tip.objects.filter(prison=prison).exists():
            continue
        for author, body in zip(
            authors, rng.sample(DEMO_TIPS, k=min(len(authors), 4)), strict=False
        ):
            tip = services.add_tip(author, prison, body)
            if rng.random() < 0.3:
                Tip.objects.filter(pk=tip.pk).update(
                    created_at=timezone.now() - timedelta(days=400)
                )
        for author in authors[:2]:
            services.follow(author, prison)
    lewes = Prison.objects.get(code=codes[0])
    # The staff member's organisation works in the first prison, so they keep its guide.
    membership = staff_membership(staff)
    if membership is not None:
        services.add_partner(staff, membership.organisation, lewes)
    if not Alert.objects.filter(prison=lewes).exists():
        services.post_alert(
            staff,
            lewes,
            "Afternoon visits on Friday are cancelled. Everyone booked will get a call.",
            timezone.now() + timedelta(days=2),
        )
