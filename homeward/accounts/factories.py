"""Factories for tests and demo data: plain functions over the real services, with seeded
randomness, so the suite and `manage.py seed_demo` build the same kind of world."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from homeward.accounts import services
from homeward.accounts.models import STAFF_ROLES, JoinBatch, Membership, Organisation, Role, User

__all__ = ["User"]

DEMO_PASSWORD = "homeward-demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"

_FIRST = (
    "Sunflower", "Robin", "Harbour", "Willow", "Meadow", "Bramble", "Kestrel", "Poppy", "Juniper",
    "Skylark", "Heather", "Pebble", "Rowan", "Maple", "Wren", "Clover", "Hazel", "Tide", "Linnet",
    "Aspen", "Bluebell", "Ember", "Fern", "Marigold", "Orchard", "Primrose", "Sorrel", "Thistle",
)  # fmt: skip
_SECOND = (
    "Mum",
    "Dad",
    "Nan",
    "Grandad",
    "Auntie",
    "Sis",
    "Bro",
    "Partner",
    "Friend",
    "Carer",
    "Family",
)


def rng(seed: int = 20261123) -> random.Random:
    return random.Random(seed)


def pseudonym(r: random.Random) -> str:
    return f"{r.choice(_FIRST)} {r.choice(_SECOND)} {r.randint(1, 99)}"


def make_organisation(
    name: str = "Sussex Families Together",
    *,
    slug: str | None = None,
    kind: str = Organisation.Kind.PEER_SUPPORT,
) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slug or name.lower().replace(" ", "-").replace("'", "")[:60],
        defaults={"name": name, "kind": kind, "email": "hello@example.org"},
    )
    return org


def make_user(
    username: str,
    *,
    password: str = DEMO_PASSWORD,
    email: str = "",
    verified: bool = True,
    is_platform_admin: bool = False,
) -> User:
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = User(
            username=username,
            display_name=username,
            email=email,
            is_platform_admin=is_platform_admin,
        )
        user.set_password(password)
        user.save()
    if email:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email.lower(), defaults={"verified": verified, "primary": True}
        )
    return user


def give_totp(user: User, secret: str = DEMO_TOTP_SECRET) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)


def make_member(
    username: str,
    organisation: Organisation | None = None,
    role: str = Role.FAMILY,
    *,
    email: str = "",
    totp: bool | None = None,
    **kwargs: object,
) -> User:
    """A member with a role. Staff get a verified e-mail and (unless totp=False) an authenticator."""
    staff = role in STAFF_ROLES or bool(kwargs.get("is_platform_admin"))
    if staff and not email:
        email = f"{username.replace(' ', '.')}@example.org"
    user = make_user(username, email=email, **kwargs)  # type: ignore[arg-type]
    if organisation is not None:
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    if totp if totp is not None else staff:
        give_totp(user)
    return user


def make_join_batch(
    organisation: Organisation,
    creator: User,
    *,
    distribution_point: str = "HMP Lewes visitors' centre",
    size: int = 20,
    uses_per_code: int = 1,
    days: int = 180,
) -> JoinBatch:
    existing = JoinBatch.objects.filter(
        organisation=organisation, distribution_point=distribution_point
    ).first()
    if existing is not None:
        return existing
    return services.create_join_batch(
        creator,
        organisation,
        distribution_point=distribution_point,
        size=size,
        uses_per_code=uses_per_code,
        expires_at=timezone.now() + timedelta(days=days),
    )


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign a test client in as `user`, as if through the real sign-in. Staff also pass the
    second factor unless told not to. For tests and benchmarks only."""
    client.force_login(user, backend="homeward.accounts.backends.ModelBackend")
    session = client.session
    now = time.time()
    records: list[dict[str, object]] = [
        {"method": "password", "at": now, "username": user.username}
    ]
    if second_factor:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
