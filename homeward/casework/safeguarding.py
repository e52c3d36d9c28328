"""What other parts of Homeward may ask casework about safeguarding (family-day bookings must
respect a no-contact-with-children restriction). They call these; they never read casework's
tables."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from homeward.casework.models import Restriction

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation


def has_child_contact_restriction(
    organisation: Organisation,
    *,
    prisoner_name: str = "",
    prison_number: str = "",
    on: date | None = None,
) -> bool:
    """True when one of the organisation's cases about this person in prison (matched by
    prison number, or by name when there is no number) has a no-contact-with-children
    restriction in force on `on` (today by default)."""
    restrictions = Restriction.objects.in_force(on).filter(
        case__organisation=organisation, case__anonymised_at__isnull=True
    )
    if prison_number.strip():
        restrictions = restrictions.filter(case__prison_number__iexact=prison_number.strip())
    elif prisoner_name.strip():
        restrictions = restrictions.filter(case__prisoner_name__iexact=prisoner_name.strip())
    else:
        return False
    return restrictions.exists()


def case_has_child_contact_restriction(case_id: int, on: date | None = None) -> bool:
    return Restriction.objects.in_force(on).filter(case_id=case_id).exists()
