"""Who may do what with events. Any signed-in member may see the events their audience allows
and say whether they're going; staff run their own organisation's events and announcements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from homeward.accounts.policies import (
    is_moderator,
    is_staff,
    staff_membership,
    staff_organisation_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Organisation, User
    from homeward.events.models import RSVP, Event


def organisation_for_new_event(user: User | AnonymousUser) -> Organisation | None:
    membership = staff_membership(user)
    return membership.organisation if membership is not None else None


def trust_level_for_query(user: User | AnonymousUser) -> Any:
    """The member's community trust level, for filtering events in SQL. The level itself comes
    from `community.policies.trust_level` whenever that costs no query (moderators and staff,
    or a standing already read in this request); otherwise the same reading (the standing row,
    or "new" without one) happens inside the events query, so a page pays no extra query."""
    from homeward.community import policies as community
    from homeward.community.models import MemberStanding, TrustLevel

    if not user.is_authenticated:
        return TrustLevel.NEW
    if is_moderator(user) or community.standing_known(user):
        return community.trust_level(user)
    return Coalesce(
        Subquery(MemberStanding.objects.filter(user_id=user.pk).values("trust_level")[:1]),
        Value(TrustLevel.NEW),
    )


def can_manage(user: User | AnonymousUser, event: Event) -> bool:
    return event.organisation_id in staff_organisation_ids(user)


def can_create(user: User | AnonymousUser) -> bool:
    return is_staff(user) and bool(staff_organisation_ids(user))


def can_respond(event: Event) -> bool:
    """RSVPs are open until the event starts, unless it was cancelled."""
    return not event.is_cancelled and not event.has_started


def can_see_joining_link(user: User | AnonymousUser, event: Event, rsvp: RSVP | None) -> bool:
    """The online link: for members who said they're going, and the organisers. Never for
    visitors, people on the waiting list, or after a cancellation."""
    from homeward.events.models import RSVP as RSVPModel

    if not event.is_online or event.is_cancelled or not user.is_authenticated:
        return False
    if can_manage(user, event):
        return True
    return rsvp is not None and rsvp.status == RSVPModel.Status.GOING
