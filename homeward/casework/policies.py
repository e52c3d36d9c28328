"""Who may do what in casework. Every predicate takes the acting user; the organisation comes
from their staff membership (a platform admin without one has no casework at all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.models import MANAGER_ROLES
from homeward.accounts.policies import staff_membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Membership, User
    from homeward.casework.models import Case, CaseworkSettings, Note


def casework_membership(user: User | AnonymousUser) -> Membership | None:
    """The staff membership a person does casework through, or None."""
    return staff_membership(user)


def is_casework_manager(user: User | AnonymousUser) -> bool:
    membership = casework_membership(user)
    return membership is not None and membership.role in MANAGER_ROLES


def can_read_sensitive(user: User | AnonymousUser, case: Case) -> bool:
    """Sensitive notes: the assigned worker and managers only (not the rest of the team)."""
    return case.worker_id == user.pk or is_casework_manager(user)


def can_read_note(user: User | AnonymousUser, note: Note) -> bool:
    return not note.sensitive or can_read_sensitive(user, note.case)


def can_reassign(user: User | AnonymousUser) -> bool:
    return is_casework_manager(user)


def can_override_consent(user: User | AnonymousUser) -> bool:
    return is_casework_manager(user)


def can_see_viewers(user: User | AnonymousUser) -> bool:
    """The "who viewed this" tab is for managers."""
    return is_casework_manager(user)


def can_decide_concern(user: User | AnonymousUser, settings: CaseworkSettings) -> bool:
    """The organisation's safeguarding lead; managers when nobody is named."""
    if settings.safeguarding_lead_id is not None:
        return settings.safeguarding_lead_id == user.pk
    return is_casework_manager(user)


def can_change_settings(user: User | AnonymousUser) -> bool:
    return is_casework_manager(user)
