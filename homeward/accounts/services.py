"""Every change to accounts, organisations and join cards goes through here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from homeward.accounts.models import (
    FORMER_MEMBER,
    JoinBatch,
    JoinCode,
    Membership,
    Organisation,
    Role,
    User,
    generate_code,
    normalise_code,
)
from homeward.core import audit, datarights

MAX_BATCH_SIZE = 500


class JoinCodeProblem(Exception):
    """A code that cannot be used, with a plain reason a person can act on."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


NO_SUCH_CODE = JoinCodeProblem(
    "unknown",
    "We couldn't find that code. Check the letters and numbers on your card (there is no "
    "letter O or number 0), or ask at the place that gave you the card.",
)


def find_join_code(raw: str) -> JoinCode:
    """The code a person typed, or a JoinCodeProblem saying why it cannot be used."""
    code = (
        JoinCode.objects.select_related("batch", "batch__organisation")
        .filter(code=normalise_code(raw))
        .first()
    )
    if code is None:
        raise NO_SUCH_CODE
    if code.batch.revoked_at is not None or code.batch.is_expired:
        raise JoinCodeProblem(
            "expired",
            "This card has expired. Ask at the place that gave it to you for a new one, "
            "or join without a code.",
        )
    if code.is_used_up:
        raise JoinCodeProblem(
            "used",
            "This card has already been used. If it was given to you, ask for a new one where "
            "you got it, or join without a code.",
        )
    return code


@transaction.atomic
def create_join_batch(
    creator: User,
    organisation: Organisation,
    *,
    distribution_point: str,
    size: int,
    uses_per_code: int,
    expires_at: datetime,
) -> JoinBatch:
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH_SIZE} cards")
    batch = JoinBatch.objects.create(
        organisation=organisation,
        distribution_point=distribution_point,
        uses_per_code=uses_per_code,
        expires_at=expires_at,
        created_by=creator,
        code_count=size,
    )
    codes: set[str] = set()
    while len(codes) < size:
        candidates = {generate_code() for _ in range(size - len(codes))} - codes
        taken = set(JoinCode.objects.filter(code__in=candidates).values_list("code", flat=True))
        codes |= candidates - taken
    JoinCode.objects.bulk_create(JoinCode(batch=batch, code=c) for c in sorted(codes))
    audit.record(creator, "joincards.batch_created", batch, organisation=organisation, size=size)
    return batch


@transaction.atomic
def revoke_join_batch(actor: User, batch: JoinBatch) -> None:
    if batch.revoked_at is not None:
        return  # already stopped: keep the date it stopped and log it once
    batch.revoked_at = timezone.now()
    batch.save(update_fields=["revoked_at"])
    audit.record(actor, "joincards.batch_revoked", batch, organisation=batch.organisation)


def create_member(*, username: str, password: str | None, email: str = "", **extra: Any) -> User:
    user_model = get_user_model()
    user: User = user_model.objects.create_user(
        username=username,
        password=password,
        email=email,
        display_name=extra.pop("display_name", username),
        **extra,
    )
    return user


@transaction.atomic
def join_with_code(raw_code: str, *, display_name: str, password: str, email: str = "") -> User:
    """Create a family member from a join card. The use is counted with a conditional update,
    so two people racing for a card's last use cannot both get in."""
    code = find_join_code(raw_code)
    claimed = JoinCode.objects.filter(pk=code.pk, uses__lt=code.batch.uses_per_code).update(
        uses=F("uses") + 1
    )
    if not claimed:
        raise JoinCodeProblem(
            "used",
            "This card has just been used by someone else. Ask for a new one, or join without a code.",
        )
    try:
        with transaction.atomic():
            user = create_member(username=display_name, password=password, email=email)
    except IntegrityError:
        raise JoinCodeProblem(
            "name_taken", "Someone is already using that name. Try adding a number."
        ) from None
    membership = Membership.objects.create(
        user=user, organisation=code.batch.organisation, role=Role.FAMILY, joined_via=code
    )
    JoinBatch.objects.filter(pk=code.batch_id).update(joined_count=F("joined_count") + 1)
    audit.record(
        user,
        "account.joined_with_card",
        membership,
        organisation=code.batch.organisation,
        batch=code.batch_id,
    )
    return user


@transaction.atomic
def add_membership(
    actor: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    membership, created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit.record(
        actor, "membership.set", membership, organisation=organisation, role=role, created=created
    )
    return membership


@transaction.atomic
def update_account(user: User, *, display_name: str) -> None:
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    audit.record(user, "account.updated", user)


# Data rights ---------------------------------------------------------------------------------


def _export_accounts(user: User) -> dict[str, Any]:
    return {
        "sign_in_name": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "joined": user.date_joined.isoformat(),
        "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.get_role_display(),
                "since": m.created_at.isoformat(),
                "joined_with_card_from": m.joined_via.batch.distribution_point
                if m.joined_via
                else None,
            }
            for m in Membership.objects.filter(user=user).select_related(
                "organisation", "joined_via__batch"
            )
        ],
    }


def _erase_accounts(user: User) -> None:
    """Anonymise the user row: contributions elsewhere keep pointing at it as "former member"."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    user.username = f"former-member-{user.pk}"
    user.display_name = FORMER_MEMBER
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_platform_admin = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save(
        update_fields=[
            "username", "display_name", "email", "first_name", "last_name",
            "is_active", "is_platform_admin", "erased_at", "password",
        ]
    )  # fmt: skip
    # End every session this member has open, on any device.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


def register_data_handlers() -> None:
    datarights.register("accounts", export=_export_accounts, erase=_erase_accounts, order=90)
