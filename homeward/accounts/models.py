"""Members, the organisations that run Homeward, their roles, and the join cards they hand out."""

from __future__ import annotations

import secrets
from functools import cache
from typing import ClassVar
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from homeward.accounts.validators import display_name_validator
from homeward.core.storage import PrivateStorage

FORMER_MEMBER = "Former member"
_SLOT = "00000000"


@cache
def _profile_pattern() -> str:
    from django.urls import reverse

    return reverse("accounts:profile", args=[_SLOT]).replace(_SLOT, "{}")


class User(AbstractUser):
    """A person who signs in. Families are known by the name they choose (a pseudonym);
    e-mail is optional for them and required, verified, for staff."""

    username = models.CharField(
        "name to sign in with",
        max_length=30,
        unique=True,
        validators=[display_name_validator],
        error_messages={"unique": "Someone is already using that name. Try adding a number."},
    )
    display_name = models.CharField("name shown to others", max_length=30, blank=True)
    email = models.EmailField("e-mail address", blank=True)
    is_platform_admin = models.BooleanField(
        default=False, help_text="Runs the whole platform (not one organisation's staff)."
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # Platform admins run the whole platform: every permission in the admin site.
        if self.is_active and self.is_platform_admin:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_platform_admin:
            return True
        return super().has_module_perms(app_label)

    @property
    def public_name(self) -> str:
        if self.erased_at is not None:
            return FORMER_MEMBER
        return self.display_name or self.username

    @property
    def profile_url(self) -> str:
        """Their profile page ("" once erased: there is none). Pages link every author, so
        the address is reverse()d once per process and the name quoted as reverse() would."""
        if self.erased_at is not None:
            return ""
        return _profile_pattern().format(quote(self.username, safe=RFC3986_SUBDELIMS + "/~:@"))


class Organisation(models.Model):
    """A charity or service that runs Homeward for its families (e.g. a peer-support group or a
    prison-based family support service)."""

    class Kind(models.TextChoices):
        PEER_SUPPORT = "peer_support", "Community peer support"
        PRISON_BASED = "prison_based", "Prison-based family support"
        OTHER = "other", "Other support service"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEER_SUPPORT)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FAMILY = "family", "Family member"
    PEER_MODERATOR = "peer_moderator", "Peer moderator"
    SUPPORT_WORKER = "support_worker", "Family support worker (prison-based)"
    ADVOCATE = "advocate", "Community advocate"
    MANAGER = "manager", "Manager"
    ORG_ADMIN = "org_admin", "Organisation administrator"


STAFF_ROLES = frozenset({Role.SUPPORT_WORKER, Role.ADVOCATE, Role.MANAGER, Role.ORG_ADMIN})
MANAGER_ROLES = frozenset({Role.MANAGER, Role.ORG_ADMIN})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def staff(self) -> MembershipQuerySet:
        return self.filter(role__in=STAFF_ROLES)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FAMILY)
    # The card a family member joined with: which distribution point reached them.
    joined_via = models.ForeignKey(
        "JoinCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


# No 0/O, 1/I/L: codes are read off a card and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def generate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed → the stored form: case, spaces and dashes don't matter."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


class JoinBatchQuerySet(models.QuerySet["JoinBatch"]):
    def for_organisation(self, organisation: Organisation) -> JoinBatchQuerySet:
        return self.filter(organisation=organisation)


class JoinBatch(models.Model):
    """A set of printed join cards for one distribution point, e.g. a visitors' centre."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_batches"
    )
    distribution_point = models.CharField(
        "where the cards are handed out",
        max_length=120,
        help_text="For example: HMP Lewes visitors' centre, or Brighton magistrates' court.",
    )
    uses_per_code = models.PositiveSmallIntegerField(
        "people who can join with each card",
        default=1,
        help_text="1 for a card per family. More if one card is shared, e.g. on a poster.",
    )
    expires_at = models.DateTimeField("cards stop working after")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Kept by the join service, so lists never count rows.
    code_count = models.PositiveIntegerField(default=0)
    joined_count = models.PositiveIntegerField(default=0)

    objects: ClassVar[JoinBatchQuerySet] = JoinBatchQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name_plural = "join batches"

    def __str__(self) -> str:
        return f"{self.distribution_point} ({self.created_at:%d %b %Y})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class JoinCode(models.Model):
    batch = models.ForeignKey(JoinBatch, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    uses = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def is_used_up(self) -> bool:
        return self.uses >= self.batch.uses_per_code


# Profiles ---------------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone, including people who aren't signed in"
    MEMBERS = "members", "Members who are signed in"
    NOBODY = "nobody", "Only me"


class Relationship(models.TextChoices):
    """Who the member supports (worded so a page never has to say where that person is)."""

    PARTNER = "partner", "My partner"
    CHILD = "child", "My son or daughter"
    PARENT = "parent", "My mum or dad"
    SIBLING = "sibling", "My brother or sister"
    GRANDCHILD = "grandchild", "My grandchild"
    RELATIVE = "relative", "Another relative"
    FRIEND = "friend", "A friend"
    OTHER = "other", "Someone else"


def avatar_storage() -> FileSystemStorage:
    """Profile pictures have no public address: each is served by accounts:avatar, which
    checks who may see it (a picture may be for members only)."""
    return PrivateStorage("avatars", served_by="accounts:avatar")


class Profile(models.Model):
    """What a member tells others about themselves. Each part has its own audience; the
    display name is on the User (it shows beside every message they write)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    # A random file name (never the uploaded one): a square JPEG, re-encoded without metadata.
    avatar = models.FileField(storage=avatar_storage, max_length=100, blank=True)
    avatar_visibility = models.CharField(
        "who sees your picture",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    about = models.TextField("about me", max_length=2000, blank=True)
    about_html = models.TextField(blank=True)  # made from `about` by core.markdown on save
    about_visibility = models.CharField(
        "who sees “about me”", max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    relationship = models.CharField(
        "who you're supporting", max_length=12, choices=Relationship.choices, blank=True
    )
    relationship_visibility = models.CharField(
        "who sees who you're supporting",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    prisons = models.ManyToManyField("prisons.Prison", blank=True, related_name="+")
    prisons_visibility = models.CharField(
        "who sees the places you're connected with",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"profile of member {self.user_id}"
