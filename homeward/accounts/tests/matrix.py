"""Permission matrix entries for profiles (the rest of accounts' entries are in core's table)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from homeward.accounts.models import Profile, Relationship, Visibility
from homeward.core.tests.matrix import (
    NOT_FOUND,
    OK,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    TO_LOGIN,
    Entry,
    PostCheck,
    Scene,
    WrongMethod,
    answers,
    ceilings,
    redirect,
)

SECRET_RELATIONSHIP = Relationship.GRANDCHILD.label
MATRIX_PICTURE = "matrix-test.jpg"


def _family(scene: Scene) -> dict[str, Any]:
    user = scene.user("family")
    assert user is not None
    return {"username": user.username}


def _family_profile(scene: Scene) -> Profile:
    """The family member's profile: "about me" for members, who they support for nobody, and
    a picture for members."""
    user = scene.user("family")
    assert user is not None
    profile = Profile.objects.create(
        user=user,
        about="We grow tomatoes.",
        about_html="<p>We grow tomatoes.</p>",
        relationship=Relationship.GRANDCHILD,
        relationship_visibility=Visibility.NOBODY,
        avatar_visibility=Visibility.MEMBERS,
    )
    storage = profile.avatar.storage
    if not storage.exists(MATRIX_PICTURE):  # one small file, reused by the run's tests
        out = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "JPEG")
        storage.save(MATRIX_PICTURE, io.BytesIO(out.getvalue()))
    Profile.objects.filter(pk=profile.pk).update(avatar=MATRIX_PICTURE)
    return profile


def _hidden_from_others(scene: Scene, role: str) -> list[str]:
    return [] if role == "family" else [SECRET_RELATIONSHIP]


def _abouts(scene: Scene) -> list[tuple[int, str]]:
    return list(Profile.objects.order_by("user_id").values_list("user_id", "about"))


# Members see the family member's profile; a visitor sees nothing of it (nothing is for
# everyone), so for them it does not exist.
MEMBERS_ONLY = answers(anonymous=NOT_FOUND, members=OK, staff=OK)

ENTRIES: dict[str, Entry] = {
    "accounts:profile": Entry(
        get=MEMBERS_ONLY,
        kwargs=_family,
        setup=_family_profile,
        absent=_hidden_from_others,
        queries=ceilings(member=8, staff=10, platform_admin=9),
        wrong_method=WrongMethod("post", "family"),
    ),
    "accounts:avatar": Entry(
        get=MEMBERS_ONLY,
        kwargs=_family,
        setup=_family_profile,
        queries=ceilings(member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "family"),
    ),
    "accounts:profile_edit": Entry(
        get=SIGNED_IN,
        queries=ceilings(member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {
                "about": "Hello from the matrix",
                "avatar_visibility": "members",
                "about_visibility": "everyone",
                "relationship": "",
                "relationship_visibility": "members",
                "prisons_visibility": "members",
            },
            state=_abouts,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect("accounts:profile_edit"),
                staff=redirect("accounts:profile_edit"),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
}
