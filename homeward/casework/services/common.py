"""Small pieces the casework services share."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

from homeward.accounts.models import MANAGER_ROLES, STAFF_ROLES, Membership, Organisation
from homeward.casework.models import CaseworkSettings

if TYPE_CHECKING:
    from homeward.accounts.models import User


def settings_for(organisation: Organisation) -> CaseworkSettings:
    found, _ = CaseworkSettings.objects.get_or_create(organisation=organisation)
    return found


def prefix_for(organisation: Organisation) -> str:
    """Initials of the organisation's slug: "sussex-families" → "SF"."""
    words = [w for w in re.split(r"[^a-z0-9]+", organisation.slug.lower()) if w]
    return "".join(w[0] for w in words[:3]).upper() or "R"


def next_reference(organisation: Organisation) -> str:
    """The next human-friendly reference (SF-0042), unique within the organisation: the
    counter is read and bumped under a row lock, inside the caller's transaction."""
    settings_for(organisation)
    locked = CaseworkSettings.objects.select_for_update().get(organisation=organisation)
    locked.last_reference += 1
    locked.save(update_fields=["last_reference"])
    return f"{prefix_for(organisation)}-{locked.last_reference:04d}"


def staff_of(organisation: Organisation, *, managers: bool = False) -> list[User]:
    roles = MANAGER_ROLES if managers else STAFF_ROLES
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role__in=roles, user__is_active=True
        ).select_related("user")
    ]


def staff_membership_in(organisation: Organisation, user: User) -> Membership | None:
    return Membership.objects.filter(
        organisation=organisation, user=user, role__in=STAFF_ROLES
    ).first()


def email_later(to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Queue an e-mail once the transaction commits (a rolled-back change sends nothing)."""
    from homeward.casework.tasks import send_casework_email

    if to:
        transaction.on_commit(partial(send_casework_email.enqueue, to, subject, template, context))


@transaction.atomic
def save_settings(actor: User, form: Any) -> None:
    """Save the managers' settings form (a ModelForm over CaseworkSettings), audited."""
    from homeward.core import audit

    saved = form.save()
    audit.record(actor, "casework.settings_changed", saved, organisation=saved.organisation)


@transaction.atomic
def save_view(actor: User, organisation: Organisation, name: str, query: str) -> Any:
    """Keep the case list's current filters under a name (the same name replaces them)."""
    from homeward.casework.models import SavedView

    view, _ = SavedView.objects.update_or_create(
        user=actor, name=name.strip(), defaults={"organisation": organisation, "query": query}
    )
    return view


def delete_view(actor: User, pk: int) -> bool:
    """Remove one of the member's own saved views; False when they have none with that id."""
    from homeward.casework.models import SavedView

    deleted, _ = SavedView.objects.filter(pk=pk, user=actor).delete()
    return deleted > 0
