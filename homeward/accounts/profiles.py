"""Members' profiles: reading one as a given person sees it (only the parts meant for them),
every change to one (in a transaction, audited), and the profile's part of data rights."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import Profile, Relationship, User, Visibility
from homeward.core import audit, datarights
from homeward.core.markdown import render_markdown

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.prisons.models import Prison

MAX_PRISONS = 3


def may_see(viewer: User | AnonymousUser, owner: User, visibility: str) -> bool:
    """Everyone; members (signed in); or nobody but the member themself."""
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return True
    if visibility == Visibility.EVERYONE:
        return True
    return visibility == Visibility.MEMBERS and viewer.is_authenticated


@dataclass
class ShownProfile:
    """A profile as one person may see it: a part they may not see is simply absent."""

    member: User
    is_own: bool
    has_avatar: bool = False
    avatar_version: int = 0
    about_html: str = ""
    relationship: str = ""
    prisons: list[Prison] = field(default_factory=list)
    # For the member's own view: who sees each part.
    audiences: dict[str, str] = field(default_factory=dict)

    @property
    def initials(self) -> str:
        words = [w for w in self.member.public_name.replace(".", " ").split() if w[0].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    @property
    def shows_anything(self) -> bool:
        return bool(self.has_avatar or self.about_html or self.relationship or self.prisons)


def find_member(username: str) -> User:
    """A current member by their name (any case), with their profile; erased or unknown: 404."""
    # Lower(username) = lower(name) uses the case-insensitive unique index; `iexact` would be a
    # LIKE on SQLite and read every member.
    member = (
        User.objects.select_related("profile")
        .annotate(username_lower=Lower("username"))
        .filter(username_lower=username.lower(), is_active=True, erased_at__isnull=True)
        .first()
    )
    if member is None:
        raise Http404
    return member


def profile_of(member: User) -> Profile | None:
    try:
        return member.profile
    except Profile.DoesNotExist:
        return None


def shown_to(viewer: User | AnonymousUser, member: User) -> ShownProfile:
    """What `viewer` may see of `member`'s profile (one query, for the places, if shown)."""
    is_own = viewer.is_authenticated and viewer.pk == member.pk
    shown = ShownProfile(member=member, is_own=is_own)
    profile = profile_of(member)
    if profile is None:
        return shown
    if profile.avatar and may_see(viewer, member, profile.avatar_visibility):
        shown.has_avatar = True
        shown.avatar_version = int(profile.updated_at.timestamp())
    if profile.about_html and may_see(viewer, member, profile.about_visibility):
        shown.about_html = profile.about_html
    if profile.relationship and may_see(viewer, member, profile.relationship_visibility):
        shown.relationship = Relationship(profile.relationship).label
    if may_see(viewer, member, profile.prisons_visibility):
        shown.prisons = list(profile.prisons.order_by("name"))
    if is_own:
        labels = dict(Visibility.choices)
        shown.audiences = {
            "avatar": labels[profile.avatar_visibility],
            "about": labels[profile.about_visibility],
            "relationship": labels[profile.relationship_visibility],
            "prisons": labels[profile.prisons_visibility],
        }
    return shown


def avatar_for(viewer: User | AnonymousUser, username: str) -> Profile:
    """The profile whose picture this person may see; otherwise 404."""
    member = find_member(username)
    profile = profile_of(member)
    if profile is None or not profile.avatar:
        raise Http404
    if not may_see(viewer, member, profile.avatar_visibility):
        raise Http404
    return profile


def ensure_profile(member: User) -> Profile:
    profile = profile_of(member)
    if profile is not None:
        return profile
    try:
        with transaction.atomic():
            profile = Profile.objects.create(user=member)
    except IntegrityError:  # made by a request that raced this one
        profile = Profile.objects.get(user=member)
    member.profile = profile
    return profile


@transaction.atomic
def update_profile(
    member: User,
    *,
    about: str,
    relationship: str,
    prisons: Sequence[Prison],
    avatar_visibility: str,
    about_visibility: str,
    relationship_visibility: str,
    prisons_visibility: str,
    new_avatar: bytes | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Save the member's profile. A new picture (already checked and re-encoded by
    avatars.process) replaces the old one, whose file is deleted once this commits."""
    if len(prisons) > MAX_PRISONS:
        raise ValueError(f"at most {MAX_PRISONS} places")
    profile = ensure_profile(member)
    old_file = profile.avatar.name if profile.avatar else ""
    profile.about = about.strip()
    profile.about_html = str(render_markdown(profile.about, allow_images=False))
    profile.relationship = relationship
    profile.avatar_visibility = avatar_visibility
    profile.about_visibility = about_visibility
    profile.relationship_visibility = relationship_visibility
    profile.prisons_visibility = prisons_visibility
    profile.updated_at = timezone.now()
    fields = [
        "about", "about_html", "relationship", "avatar_visibility", "about_visibility",
        "relationship_visibility", "prisons_visibility", "updated_at",
    ]  # fmt: skip
    if new_avatar is not None:
        profile.avatar.save(f"{uuid4().hex}.jpg", ContentFile(new_avatar), save=False)
        fields.append("avatar")
    elif remove_avatar and old_file:
        profile.avatar = ""
        fields.append("avatar")
    profile.save(update_fields=fields)
    profile.prisons.set(prisons)
    if old_file and "avatar" in fields:
        _delete_after_commit(profile, old_file)
    audit.record(member, "profile.updated", profile, picture="avatar" in fields)
    return profile


def _delete_after_commit(profile: Profile, name: str) -> None:
    storage = profile.avatar.storage
    transaction.on_commit(lambda: storage.delete(name))


# Data rights ---------------------------------------------------------------------------------


def _export(member: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=member).first()
    if profile is None:
        return {}
    picture = None
    if profile.avatar:
        with profile.avatar.open("rb") as f:
            picture = "data:image/jpeg;base64," + base64.b64encode(f.read()).decode()
    return {
        "about_me": profile.about,
        "who_you_support": profile.get_relationship_display() if profile.relationship else "",
        "places_connected_with": [p.name for p in profile.prisons.order_by("name")],
        "picture": picture,
        "who_sees": {
            "picture": profile.get_avatar_visibility_display(),
            "about_me": profile.get_about_visibility_display(),
            "who_you_support": profile.get_relationship_visibility_display(),
            "places_connected_with": profile.get_prisons_visibility_display(),
        },
        "updated": profile.updated_at.isoformat(),
    }


def _erase(member: User) -> None:
    profile = Profile.objects.filter(user=member).first()
    if profile is None:
        return
    if profile.avatar:
        _delete_after_commit(profile, profile.avatar.name)
    profile.delete()


def register_data_handlers() -> None:
    # Before accounts (90), which anonymises the user row.
    datarights.register("profile", export=_export, erase=_erase, order=80)
