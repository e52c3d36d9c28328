"""Every change in the Prison guide goes through here: follows and transfers, staff sections and
alerts, tips and their marks, and telling followers when something changes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from homeward.core import audit, datarights
from homeward.prisons import policies
from homeward.prisons.models import (
    Alert,
    Follow,
    Prison,
    PrisonGuideSection,
    PrisonPartner,
    Tip,
    TipMark,
    Topic,
)

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation, User

# Tips hidden from the page once this many members have flagged them, until a moderator looks.
FLAGS_TO_HIDE = 3


def prison_url(prison: Prison) -> str:
    return reverse("prisons:detail", args=[prison.code])


# Reading ---------------------------------------------------------------------------------------


def followed_prisons(user: User | Any) -> list[Prison]:
    """The prisons a member follows, in the order they followed them (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Prison.objects.filter(follows__user=user).defer("record").order_by("follows__created_at")
    )


def is_following(user: User | Any, prison: Prison) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, prison=prison).exists()


# Telling followers -----------------------------------------------------------------------------


def _tell_followers(prison: Prison, *, kind: str, title: str, url: str = "") -> int:
    """Queue a notification to everyone who follows `prison`; returns how many will hear.
    Titles are discreet: a place name, never "prison". The job is queued inside the caller's
    transaction: with the database queue it is saved, or rolled back, with the change itself."""
    from homeward.prisons.tasks import tell_followers

    count = Follow.objects.filter(prison=prison, user__is_active=True).count()
    if count:
        tell_followers.enqueue(prison.pk, kind, title, url or prison_url(prison))
    return count


def tell_followers_of_change(prison: Prison, changes: list[str]) -> int:
    """After an import changed a prison's record: one notification to each follower."""
    if "it has closed" in changes:
        title = f"{prison.name} has closed to visits"
    elif changes == ["visiting times"]:
        title = f"Visiting times at {prison.name} have changed"
    else:
        title = f"Visiting information for {prison.name} has changed: {', '.join(changes)}"
    return _tell_followers(prison, kind="prisons.changed", title=title)


# Follows and transfers -------------------------------------------------------------------------


@transaction.atomic
def follow(user: User, prison: Prison) -> bool:
    """Start following; returns False if the member already follows it."""
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, prison=prison)
    except IntegrityError:
        return False
    Prison.objects.filter(pk=prison.pk).update(follower_count=F("follower_count") + 1)
    return True


@transaction.atomic
def unfollow(user: User, prison: Prison) -> bool:
    deleted, _ = Follow.objects.filter(user=user, prison=prison).delete()
    if deleted:
        Prison.objects.filter(pk=prison.pk, follower_count__gt=0).update(
            follower_count=F("follower_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def record_transfer(user: User, old: Prison, new: Prison) -> None:
    """ "They've been moved": stop following the old prison, follow the new one."""
    if old.pk == new.pk:
        raise ValueError("a transfer needs two different prisons")
    unfollow(user, old)
    follow(user, new)


# Staff: guide sections and alerts --------------------------------------------------------------


@transaction.atomic
def save_section(actor: User, prison: Prison, topic: str, body: str) -> PrisonGuideSection | None:
    """Set a prison's own text for a topic. An empty text goes back to the national default."""
    if topic not in Topic.values:
        raise ValueError(f"unknown topic {topic!r}")
    body = body.strip()
    if not body:
        PrisonGuideSection.objects.filter(prison=prison, topic=topic).delete()
        audit.record(actor, "prisons.section_reset", prison, topic=topic)
        return None
    section, created = PrisonGuideSection.objects.get_or_create(
        prison=prison, topic=topic, defaults={"body": body, "updated_by": actor}
    )
    if not created:
        if section.body == body:
            return section  # saved again unchanged: nothing to tell anyone
        section.body = body
        section.updated_by = actor
        section.updated_at = timezone.now()
        section.save(update_fields=["body", "updated_by", "updated_at"])
    Prison.objects.filter(pk=prison.pk).update(changed_at=timezone.now())
    notified = _tell_followers(
        prison,
        kind="prisons.changed",
        title=f"Visiting guide for {prison.name} updated: {Topic(topic).label}",
        url=f"{prison_url(prison)}#{topic}",
    )
    audit.record(
        actor, "prisons.section_saved", section, topic=topic, created=created, notified=notified
    )
    return section


@transaction.atomic
def post_alert(actor: User, prison: Prison, message: str, expires_at: datetime) -> Alert:
    """Post short-lived news on the prison's page and tell its followers."""
    if expires_at <= timezone.now():
        raise ValueError("an alert must end in the future")
    alert = Alert.objects.create(
        prison=prison, message=message.strip(), expires_at=expires_at, created_by=actor
    )
    notified = _tell_followers(
        prison, kind="prisons.alert", title=f"News about visiting {prison.name}"
    )
    audit.record(actor, "prisons.alert_posted", alert, notified=notified)
    return alert


@transaction.atomic
def end_alert(actor: User, alert: Alert) -> None:
    if alert.expires_at <= timezone.now():
        return
    alert.expires_at = timezone.now()
    alert.save(update_fields=["expires_at"])
    audit.record(actor, "prisons.alert_ended", alert)


# Partners: organisations that work in a prison ------------------------------------------------


@transaction.atomic
def add_partner(actor: User, organisation: Organisation, prison: Prison) -> bool:
    """Say that an organisation works in a prison, so its staff keep that prison's guide.
    Returns False when it already did (a second click changes nothing)."""
    _, created = PrisonPartner.objects.get_or_create(
        organisation=organisation, prison=prison, defaults={"added_by": actor}
    )
    if created:
        audit.record(actor, "prisons.partner_added", prison, organisation=organisation)
    return created


@transaction.atomic
def remove_partner(actor: User, organisation: Organisation, prison: Prison) -> bool:
    deleted, _ = PrisonPartner.objects.filter(organisation=organisation, prison=prison).delete()
    if deleted:
        audit.record(actor, "prisons.partner_removed", prison, organisation=organisation)
    return bool(deleted)


# Tips ------------------------------------------------------------------------------------------


@transaction.atomic
def add_tip(author: User, prison: Prison, body: str) -> Tip:
    """A family's tip: published at once from moderators and staff, otherwise waits for one."""
    publish = not policies.tip_needs_approval(author)
    now = timezone.now()
    tip = Tip.objects.create(
        prison=prison,
        author=author,
        body=body.strip(),
        status=Tip.Status.PUBLISHED if publish else Tip.Status.PENDING,
        published_at=now if publish else None,
    )
    if publish:
        Prison.objects.filter(pk=prison.pk).update(tip_count=F("tip_count") + 1)
    return tip


@transaction.atomic
def moderate_tip(moderator: User, tip: Tip, *, approve: bool) -> None:
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if tip.status not in {Tip.Status.PENDING, Tip.Status.HIDDEN}:
        return
    if approve:
        tip.status = Tip.Status.PUBLISHED
        tip.published_at = tip.published_at or timezone.now()
        tip.flag_count = 0
        Prison.objects.filter(pk=tip.prison_id).update(tip_count=F("tip_count") + 1)
        TipMark.objects.filter(tip=tip, kind=TipMark.Kind.FLAG).delete()
    else:
        tip.status = Tip.Status.REJECTED
    tip.save(update_fields=["status", "published_at", "flag_count"])
    audit.record(moderator, "prisons.tip_approved" if approve else "prisons.tip_rejected", tip)


def _mark(user: User, tip: Tip, kind: str) -> bool:
    try:
        with transaction.atomic():
            TipMark.objects.create(tip=tip, user=user, kind=kind)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def mark_helpful(user: User, tip: Tip) -> bool:
    """Count a member's "this helped" once; the counter moves in the same transaction."""
    if tip.status != Tip.Status.PUBLISHED or not policies.can_mark_tip(user, tip):
        return False
    if not _mark(user, tip, TipMark.Kind.HELPFUL):
        return False
    Tip.objects.filter(pk=tip.pk).update(helpful_count=F("helpful_count") + 1)
    return True


@transaction.atomic
def flag_tip(user: User, tip: Tip) -> bool:
    """A member thinks a tip is wrong or unkind. Enough flags hide it until a moderator looks."""
    if tip.status != Tip.Status.PUBLISHED or not policies.can_mark_tip(user, tip):
        return False
    if not _mark(user, tip, TipMark.Kind.FLAG):
        return False
    Tip.objects.filter(pk=tip.pk).update(flag_count=F("flag_count") + 1)
    tip.refresh_from_db(fields=["flag_count"])
    if tip.flag_count >= FLAGS_TO_HIDE:
        tip.status = Tip.Status.HIDDEN
        tip.save(update_fields=["status"])
        Prison.objects.filter(pk=tip.prison_id, tip_count__gt=0).update(
            tip_count=F("tip_count") - 1
        )
    audit.record(user, "prisons.tip_flagged", tip)
    return True


@transaction.atomic
def mark_checked(actor: User, tip: Tip) -> None:
    """Staff confirm a tip is still right: it shows "checked" with the date."""
    tip.checked_at = timezone.now()
    tip.checked_by = actor
    tip.save(update_fields=["checked_at", "checked_by"])
    audit.record(actor, "prisons.tip_checked", tip)


# Data rights -----------------------------------------------------------------------------------


def _export(user: User) -> dict[str, Any]:
    return {
        "prisons_you_follow": [
            {"prison": f.prison.name, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(user=user).select_related("prison")
        ],
        "tips": [
            {
                "prison": t.prison.name,
                "tip": t.body,
                "status": t.get_status_display(),
                "written": t.created_at.isoformat(),
            }
            for t in Tip.objects.filter(author=user).select_related("prison").order_by("pk")
        ],
    }


def _erase(user: User) -> None:
    """Follows go; published tips (and the counts of helpful marks) stay, shown as from a
    former member; tips that were never published go."""
    for follow_row in Follow.objects.filter(user=user).select_related("prison"):
        unfollow(user, follow_row.prison)
    Tip.objects.filter(author=user).exclude(status=Tip.Status.PUBLISHED).delete()


def register_data_handlers() -> None:
    datarights.register("prisons", export=_export, erase=_erase, order=40)
