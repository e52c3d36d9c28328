"""Strikes with escalating suspensions, silences, suspensions, moderators' notes, a member's
record, and data rights for flags and penalties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import conf, policies
from homeward.community.models import (
    Flag,
    MemberStanding,
    ModeratorNote,
    Penalty,
    ReviewItem,
)
from homeward.community.moderation._common import _refused
from homeward.core import audit
from homeward.core.notifications import notify

# Penalties ------------------------------------------------------------------------------------


def _standing(member: User) -> MemberStanding:
    standing, _ = MemberStanding.objects.get_or_create(user=member)
    return standing


@transaction.atomic
def strike(actor: User, member: User, item: ReviewItem | None, reason: str) -> Penalty:
    """Record a strike. Every third strike in the last 180 days suspends the member, for longer
    each time (1 day, then 7, 30, 365)."""
    penalty = Penalty.objects.create(
        member=member, kind=Penalty.Kind.STRIKE, reason=reason, given_by=actor, review=item
    )
    since = timezone.now() - timedelta(days=conf.STRIKE_WINDOW_DAYS)
    strikes = Penalty.objects.filter(
        member=member, kind=Penalty.Kind.STRIKE, starts_at__gte=since
    ).count()
    if strikes % conf.STRIKES_PER_SUSPENSION == 0 and not is_moderator(member):
        suspend(actor, member, days=None, reason="Several of your messages broke the guidelines")
    return penalty


def next_suspension_days(member: User) -> int:
    earlier = Penalty.objects.filter(member=member, kind=Penalty.Kind.SUSPEND).count()
    return conf.SUSPENSION_DAYS[min(earlier, len(conf.SUSPENSION_DAYS) - 1)]


def _check_target(actor: User, member: User) -> None:
    if not is_moderator(actor) or member.pk == actor.pk or is_moderator(member):
        raise Http404  # moderators are looked after by staff in the admin, not from here


@transaction.atomic
def suspend(actor: User, member: User, *, days: int | None, reason: str) -> Penalty:
    """No community for `days` (by default the next step of the escalation)."""
    _check_target(actor, member)
    reason = reason.strip()
    if not reason:
        raise _refused("reason", "Give the member a reason: they will see it.")
    days = days or next_suspension_days(member)
    until = timezone.now() + timedelta(days=days)
    penalty = Penalty.objects.create(
        member=member, kind=Penalty.Kind.SUSPEND, reason=reason, ends_at=until, given_by=actor
    )
    MemberStanding.objects.filter(pk=_standing(member).pk).update(
        suspended_until=until, suspension_reason=reason
    )
    policies.forget_standing(member)
    audit.record(actor, "community.member_suspended", member, days=days)
    notify(
        member,
        kind="community.moderation",
        title=f"Your community account is suspended for {days} day{'s' if days != 1 else ''}",
        url="",
    )
    return penalty


@transaction.atomic
def silence(actor: User, member: User, *, days: int, reason: str) -> Penalty:
    """Read only for `days`: the member can read but not post, reply, message or flag."""
    _check_target(actor, member)
    if days < 1:
        raise _refused("days", "Silence for at least one day.")
    until = timezone.now() + timedelta(days=days)
    penalty = Penalty.objects.create(
        member=member, kind=Penalty.Kind.SILENCE, reason=reason.strip(), ends_at=until,
        given_by=actor,
    )  # fmt: skip
    MemberStanding.objects.filter(pk=_standing(member).pk).update(silenced_until=until)
    policies.forget_standing(member)
    audit.record(actor, "community.member_silenced", member, days=days)
    notify(
        member,
        kind="community.moderation",
        title=f"You can read the community but not post for {days} day{'s' if days != 1 else ''}",
        url="",
    )
    return penalty


@transaction.atomic
def lift_penalties(actor: User, member: User) -> None:
    _check_target(actor, member)
    MemberStanding.objects.filter(user=member).update(
        silenced_until=None, suspended_until=None, suspension_reason=""
    )
    now = timezone.now()
    Penalty.objects.filter(member=member, ends_at__gt=now).update(ends_at=now)
    policies.forget_standing(member)
    audit.record(actor, "community.penalties_lifted", member)


@transaction.atomic
def add_note(actor: User, member: User, text: str) -> ModeratorNote:
    if not is_moderator(actor):
        raise Http404
    text = text.strip()
    if not text:
        raise _refused("text", "Write the note.")
    note = ModeratorNote.objects.create(member=member, author=actor, text=text)
    audit.record(actor, "community.moderator_note_added", member)
    return note


@dataclass(frozen=True)
class MemberRecord:
    member: User
    standing: MemberStanding | None
    penalties: list[Penalty]
    notes: list[ModeratorNote]
    flags_upheld: int
    next_suspension_days: int


def get_member_for(actor: User, pk: int) -> User:
    if not is_moderator(actor):
        raise Http404
    member = User.objects.filter(pk=pk, is_active=True).first()
    if member is None:
        raise Http404
    return member


def record_of(member: User) -> MemberRecord:
    return MemberRecord(
        member=member,
        standing=MemberStanding.objects.filter(user=member).first(),
        penalties=list(Penalty.objects.filter(member=member).select_related("given_by")[:50]),
        notes=list(ModeratorNote.objects.filter(member=member).select_related("author")[:50]),
        flags_upheld=Flag.objects.filter(
            Q(post__author=member) | Q(message__author=member), outcome=Flag.Outcome.AGREED
        ).count(),
        next_suspension_days=next_suspension_days(member),
    )


# Data rights ---------------------------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    return {
        "flags_made": [
            {
                "reason": f.get_reason_display(),
                "note": f.note,
                "outcome": f.get_outcome_display(),
                "made": f.created_at.isoformat(),
            }
            for f in Flag.objects.filter(flagger=user).order_by("pk")
        ],
        "penalties": [
            {
                "kind": p.get_kind_display(),
                "reason": p.reason,
                "from": p.starts_at.isoformat(),
                "until": p.ends_at.isoformat() if p.ends_at else None,
            }
            for p in Penalty.objects.filter(member=user).order_by("pk")
        ],
    }


def erase_for(user: User) -> None:
    """Flags the member made go (the review items they opened keep their score, so a decision
    already made stands). Penalties and moderators' notes about them go with their account."""
    Flag.objects.filter(flagger=user).delete()
    Penalty.objects.filter(member=user).delete()
    ModeratorNote.objects.filter(member=user).delete()
