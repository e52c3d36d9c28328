"""What casework gives a family member who asks for their data, and what erasure does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeward.casework.models import Referral
from homeward.core import datarights

if TYPE_CHECKING:
    from homeward.accounts.models import User

KEPT = (
    "Support organisations keep their casework records (the record of the support they gave "
    "your family) for as long as their retention period says, usually six years after a case "
    "closes, and then delete or anonymise them. Deleting your account here does not delete "
    "those records: ask the organisation directly. Your requests for support are unlinked "
    "from your account."
)


def _export(user: User) -> dict[str, Any]:
    referrals = Referral.objects.submitted_by(user).select_related("organisation")
    return {
        "about": KEPT,
        "requests_for_support": [
            {
                "organisation": r.organisation.name,
                "reference": r.reference,
                "sent": r.created_at.isoformat(),
                "status": r.get_status_display(),
                "what_you_told_us": r.details,
                "message_from_the_organisation": r.shared_message,
            }
            for r in referrals.order_by("pk")
        ],
    }


def _erase(user: User) -> None:
    """Casework records stay under the organisation's retention; the link to the account goes."""
    from homeward.casework.models import Family

    Referral.objects.filter(submitted_by=user).update(submitted_by=None)
    Family.objects.filter(member=user).update(member=None)


def register() -> None:
    datarights.register("casework", export=_export, erase=_erase, order=45)
