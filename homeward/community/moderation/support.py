"""Support for someone who may be at risk: the support box (an organisation's own lines, or
the national ones), and alerting whoever is on duty."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404

from homeward.accounts.models import STAFF_ROLES, Membership, Role, User
from homeward.community import conf
from homeward.community.models import (
    ReviewItem,
    SupportContact,
)
from homeward.community.moderation._common import _refused
from homeward.core import audit
from homeward.core.notifications import notify

# Support for someone who may be at risk ------------------------------------------------------


@dataclass(frozen=True)
class SupportLine:
    name: str
    how: str


def support_for(user: User) -> list[SupportLine]:
    """The support box: the member's organisation's own list, or the national default."""
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    own = [
        SupportLine(c.name, c.how)
        for c in SupportContact.objects.filter(organisation_id__in=orgs).order_by(
            "organisation_id", "position", "id"
        )
    ]
    return own or [SupportLine(name, how) for name, how in conf.DEFAULT_SUPPORT]


def support_organisation(actor: User) -> Any:
    """The organisation whose support lines this member of staff looks after (404 for anyone
    without one, platform admins included)."""
    from homeward.accounts.policies import staff_membership

    membership = staff_membership(actor)
    if membership is None:
        raise Http404
    return membership.organisation


@transaction.atomic
def add_support_line(actor: User, name: str, how: str) -> SupportContact:
    organisation = support_organisation(actor)
    name, how = " ".join(name.split()), " ".join(how.split())
    if not name or not how:
        raise _refused("name", "Give both the name and how to reach them.")
    last = SupportContact.objects.filter(organisation=organisation).order_by("-position").first()
    line = SupportContact.objects.create(
        organisation=organisation, name=name, how=how, position=(last.position + 1) if last else 0
    )
    audit.record(actor, "community.support_line_added", line, organisation=organisation)
    return line


@transaction.atomic
def remove_support_line(actor: User, pk: int) -> None:
    organisation = support_organisation(actor)
    line = SupportContact.objects.filter(pk=pk, organisation=organisation).first()
    if line is None:
        raise Http404
    audit.record(actor, "community.support_line_removed", line, organisation=organisation)
    line.delete()


def on_duty(author: User) -> list[User]:
    """Who to alert: during published moderation hours, the staff and peer moderators of the
    author's organisations; outside them (or when the author has no organisation), every
    moderator, platform admins included."""
    roles = {*STAFF_ROLES, Role.PEER_MODERATOR}
    moderators = Q(memberships__role__in=roles)
    orgs = list(Membership.objects.filter(user=author).values_list("organisation_id", flat=True))
    if conf.moderators_on_duty() and orgs:
        people = User.objects.filter(
            memberships__role__in=roles, memberships__organisation_id__in=orgs
        )
    else:
        people = User.objects.filter(moderators | Q(is_platform_admin=True))
    return list(people.filter(is_active=True).exclude(pk=author.pk).distinct().order_by("pk"))


def alert_on_duty(author: User, item: ReviewItem, url: str) -> int:
    """A notification and an e-mail to each person on duty, whatever their e-mail settings."""
    from homeward.core.tasks import send_notification_email

    people = on_duty(author)
    for person in people:
        note = notify(
            person,
            kind="community.crisis",
            title="Someone in the community may need support: please look now",
            url=review_url(item),
        )
        if person.email:
            transaction.on_commit(partial(send_notification_email.enqueue, note.pk))
    return len(people)


def review_url(item: ReviewItem) -> str:
    from django.urls import reverse

    return f"{reverse('community:review_queue')}#review-{item.pk}"
