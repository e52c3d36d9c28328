"""CSV export of a filtered case list. Names leave only for families who agreed to share with
the named recipient; a manager may override for the whole export, with a reason (audited)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from django.db import transaction

from homeward.casework import policies
from homeward.casework.models import Case, Consent, ConsentOverride
from homeward.casework.models.consent import Scope
from homeward.casework.services.consent import ConsentRequired, is_valid_basis
from homeward.core import audit

if TYPE_CHECKING:
    from homeward.accounts.models import User

WITHHELD = "(withheld: no consent to share)"
HEADER = ["Reference", "Family", "Person in prison", "Stage", "Worker", "Opened", "Last contact"]


def _consenting_families(cases: list[Case], recipient: str) -> set[int]:
    family_ids = {c.family_id for c in cases}
    consents = (
        Consent.objects.filter(family_id__in=family_ids)
        .current()
        .covering(Scope.SHARING, recipient)
    )
    return {c.family_id for c in consents if is_valid_basis(c)}


@transaction.atomic
def export_cases(actor: User, cases: list[Case], recipient: str, override_reason: str = "") -> str:
    """The CSV text. Rows without consent keep the reference and stage only."""
    override = bool(override_reason.strip())
    if override and not policies.can_override_consent(actor):
        raise ConsentRequired("Only a manager can export without the families' agreement.")
    consenting = _consenting_families(cases, recipient)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    withheld = 0
    for case in cases:
        shared = override or case.family_id in consenting
        withheld += not shared
        writer.writerow(
            [
                case.reference,
                case.family.name if shared else WITHHELD,
                case.prisoner_name if shared else WITHHELD,
                case.get_stage_display(),
                case.worker.public_name if case.worker else "",
                case.opened_at.date().isoformat(),
                case.last_contact_at.date().isoformat() if case.last_contact_at else "",
            ]
        )
    if override:
        for case in cases:
            if case.family_id not in consenting:
                ConsentOverride.objects.create(
                    case=case, manager=actor, purpose="export", reason=override_reason.strip()
                )
    membership = policies.casework_membership(actor)
    audit.record(
        actor, "casework.cases_exported", None,
        organisation=membership.organisation if membership else None,
        rows=len(cases), withheld=withheld, override=override,
    )  # fmt: skip
    return out.getvalue()
