"""Onward referrals: suggested by the organisation's routing rules from the children's ages,
made only through the consent gate, answered, and (if staff choose) told to the family."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.casework.models import Case, OnwardReferral, Partner, Person, RoutingRule
from homeward.casework.services.common import email_later
from homeward.casework.services.consent import may_share
from homeward.core import audit
from homeward.core.notifications import notify

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation, User
    from homeward.directory.models import Service

# Seed 004: under-fives to the local Children's Centre, 5 to 19 to Families First.
DEFAULT_RULES = (
    ("Local Children's Centre", 0, 4, "Stay and play, health visitors and parenting support."),
    ("Families First", 5, 19, "Early help for families with children and young people."),
)


@dataclass(frozen=True)
class Suggestion:
    partner: Partner
    children: list[Person]


def ensure_default_rules(organisation: Organisation) -> None:
    """Give an organisation the seed-004 partners and routing rules unless it has partners of
    its own: when it is made (`organisation_made`; casework migration 0004 gave them to those
    made before). Once it has any partner (partners are retired, never deleted) its own
    choices stand: removing every rule does not bring the defaults back."""
    if Partner.objects.filter(organisation=organisation).exists():
        return
    with transaction.atomic():
        for position, (name, low, high, offers) in enumerate(DEFAULT_RULES, start=1):
            partner = Partner.objects.create(organisation=organisation, name=name, offers=offers)
            RoutingRule.objects.create(
                organisation=organisation, partner=partner, min_age=low, max_age=high,
                position=position,
            )  # fmt: skip


def organisation_made(
    sender: Any, instance: Organisation, created: bool, raw: bool, **_: Any
) -> None:
    """post_save of Organisation (casework's AppConfig.ready): a new organisation starts with
    the default partners and rules, so no page has to write them on a GET. Not for rows
    loaded from a fixture (`raw`), which bring their own."""
    if created and not raw:
        ensure_default_rules(instance)


def suggestions(case: Case, children: list[Person]) -> list[Suggestion]:
    """Partners the routing rules suggest for this family's children, by age, in the rules'
    order (overlapping rules suggest each of their partners). Retired partners are skipped."""
    rules = list(
        RoutingRule.objects.filter(
            organisation_id=case.organisation_id, partner__retired_at__isnull=True
        ).select_related("partner")
    )
    found: dict[int, Suggestion] = {}
    for rule in rules:
        for child in children:
            age = child.age
            if age is not None and rule.matches(age):
                found.setdefault(rule.partner_id, Suggestion(rule.partner, []))
                if child not in found[rule.partner_id].children:
                    found[rule.partner_id].children.append(child)
    return list(found.values())


# The organisation's partners and routing rules (managers) ----------------------------------

PARTNER_FIELDS = ("name", "offers", "contact", "email", "phone", "directory_service")
RULE_FIELDS = ("min_age", "max_age", "partner", "position")


@transaction.atomic
def save_partner(
    actor: User, organisation: Organisation, data: dict[str, Any], partner: Partner | None = None
) -> Partner:
    """Add a partner, or change one (retire it with data["retired"], bring it back without)."""
    created = partner is None
    if partner is None:
        partner = Partner(organisation=organisation)
    for name in PARTNER_FIELDS:
        setattr(partner, name, data[name])
    retired = bool(data.get("retired"))
    if retired and partner.retired_at is None:
        partner.retired_at = timezone.now()
    elif not retired:
        partner.retired_at = None
    if created:
        partner.save()
    else:
        partner.save(update_fields=[*PARTNER_FIELDS, "retired_at"])
    audit.record(
        actor, "casework.partner_added" if created else "casework.partner_changed", partner,
        organisation=organisation, retired=partner.retired_at is not None,
    )  # fmt: skip
    return partner


@transaction.atomic
def save_rule(
    actor: User, organisation: Organisation, data: dict[str, Any], rule: RoutingRule | None = None
) -> RoutingRule:
    created = rule is None
    if rule is None:
        rule = RoutingRule(organisation=organisation)
    for name in RULE_FIELDS:
        setattr(rule, name, data[name])
    if created:
        rule.save()
    else:
        rule.save(update_fields=list(RULE_FIELDS))
    audit.record(
        actor, "casework.routing_rule_added" if created else "casework.routing_rule_changed",
        rule, organisation=organisation, min_age=rule.min_age, max_age=rule.max_age,
        partner=rule.partner_id,
    )  # fmt: skip
    return rule


@transaction.atomic
def delete_rule(actor: User, rule: RoutingRule) -> None:
    audit.record(
        actor, "casework.routing_rule_removed", rule, organisation=rule.organisation,
        min_age=rule.min_age, max_age=rule.max_age, partner=rule.partner_id,
    )  # fmt: skip
    rule.delete()


@transaction.atomic
def refer_onward(
    actor: User,
    case: Case,
    *,
    reason: str,
    partner: Partner | None = None,
    service: Service | None = None,
    override_reason: str = "",
) -> OnwardReferral:
    """Refer the family on. Raises ConsentRequired (nothing saved) without a matching consent
    or a manager's override."""
    if (partner is None) == (service is None):
        raise ValueError("refer to one partner or one directory service")
    name = partner.name if partner is not None else service.name  # type: ignore[union-attr]
    permission = may_share(
        actor, case, name, purpose="onward_referral", override_reason=override_reason
    )
    onward = OnwardReferral.objects.create(
        case=case,
        partner=partner,
        directory_service=service,
        recipient_name=name,
        reason=reason,
        consent=permission.consent,
        override=permission.override,
        made_by=actor,
    )
    audit.record(
        actor, "casework.onward_referral_made", onward, organisation=case.organisation,
        consent=permission.consent.pk if permission.consent else None,
        override=permission.override is not None,
    )  # fmt: skip
    return onward


@transaction.atomic
def record_response(
    actor: User, onward: OnwardReferral, status: str, response_reason: str, outcome: str
) -> None:
    onward.status = status
    onward.response_reason = response_reason
    onward.outcome = outcome
    onward.save(update_fields=["status", "response_reason", "outcome"])
    audit.record(
        actor, "casework.onward_referral_updated", onward,
        organisation=onward.case.organisation, status=status,
    )  # fmt: skip


@transaction.atomic
def tell_family(actor: User, onward: OnwardReferral) -> bool:
    """Let the family know where they have been referred (a message if they have an account,
    else an e-mail). Returns False when there is no way to reach them here."""
    case = onward.case
    family = case.family
    text = f"{case.organisation.name} has referred you to {onward.recipient_name}. They'll be in touch."
    if family.member is not None and family.member.is_active:
        notify(
            family.member,
            kind="casework.onward",
            title=f"An update from {case.organisation.name}",
            url=reverse("casework:my_referrals"),
        )
    elif family.email:
        email_later(
            family.email,
            f"An update from {case.organisation.name}",
            "update",
            {"organisation": case.organisation.name, "message": text},
        )
    else:
        return False
    onward.family_told_at = timezone.now()
    onward.save(update_fields=["family_told_at"])
    audit.record(actor, "casework.onward_family_told", onward, organisation=case.organisation)
    return True
