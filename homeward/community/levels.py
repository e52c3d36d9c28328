"""Trust levels 3 and 4: the daily review that promotes members to level 3 and, after a 14-day
grace period, demotes those who fall below 90% of its requirements (after Discourse); and
staff setting a member's level by hand (level 4 is given only this way), optionally locked so
no review moves it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_staff
from homeward.community import policies, trust
from homeward.community.models import MemberStanding, StandingSnapshot, TrustLevel
from homeward.core import audit
from homeward.core.notifications import notify

PROMOTED_TITLE = "You're now a trusted member of the community. Thank you for being here"


def _set(standing: MemberStanding, level: int, actor: User | None, *, locked: bool = False) -> None:
    standing.trust_level = level
    standing.promoted_at = timezone.now()
    standing.save(update_fields=["trust_level", "promoted_at"])
    audit.record(actor, "community.trust_level_changed", standing, level=level, locked=locked)


def snapshot_standings() -> int:
    """Keep today's counters for every member who visited in the last two days (so a day the
    job missed is still covered), for level 3's last-100-days reckoning."""
    today = timezone.localdate()
    recent = MemberStanding.objects.filter(last_visit_date__gte=today - timedelta(days=2))
    rows = [
        StandingSnapshot(
            user_id=s.user_id, date=today, days_visited=s.days_visited, posts_read=s.posts_read
        )
        for s in recent.only("user_id", "days_visited", "posts_read").iterator()
    ]
    StandingSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "date"],
        update_fields=["days_visited", "posts_read"],
        batch_size=500,
    )
    return len(rows)


def daily() -> tuple[int, int]:
    """The daily job: snapshot the counters, then review level 3."""
    snapshot_standings()
    return review_level_three()


def review_level_three() -> tuple[int, int]:
    """Promote and demote level 3. Returns (promoted, demoted). Locked levels are left alone."""
    promoted = demoted = 0
    grace = timedelta(days=trust.tl3("GRACE_DAYS"))
    candidates = MemberStanding.objects.filter(
        locked_level__isnull=True, trust_level__in=[TrustLevel.MEMBER, TrustLevel.REGULAR]
    ).select_related("user")
    for standing in candidates.iterator():
        if not standing.user.is_active:
            continue
        requirements = trust.tl3_requirements(standing)
        with transaction.atomic():
            if standing.trust_level == TrustLevel.MEMBER and all(r.met for r in requirements):
                _set(standing, TrustLevel.REGULAR, None)
                notify(standing.user, kind="community.trust", title=PROMOTED_TITLE)
                promoted += 1
            elif (
                standing.trust_level == TrustLevel.REGULAR
                and (standing.promoted_at is None or timezone.now() - standing.promoted_at >= grace)
                and not all(r.kept(trust.TL3_LOW_WATER_MARK) for r in requirements)
            ):
                _set(standing, TrustLevel.MEMBER, None)
                demoted += 1
    return promoted, demoted


@transaction.atomic
def set_level(actor: User, member: User, level: int, *, lock: bool) -> MemberStanding:
    """Staff set a member's level (level 4, "community leader", is given only this way), and
    may lock it so the daily review and the counters leave it where it is."""
    if not is_staff(actor) or member.pk == actor.pk:
        raise Http404
    if level not in TrustLevel.values:
        raise Http404
    standing, _ = MemberStanding.objects.get_or_create(user=member)
    before = standing.trust_level
    standing.locked_level = level if lock else None
    standing.save(update_fields=["locked_level"])
    _set(standing, level, actor, locked=lock)
    policies.forget_standing(member)
    if level > before:
        notify(
            member,
            kind="community.trust",
            title=f"You're now a {TrustLevel(level).label.lower()} in the community",
        )
    return standing
