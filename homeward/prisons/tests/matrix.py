"""Permission-matrix entries for the Prison guide (merged by homeward/core/tests/matrix.py).

Reading is public; following, moves and tips need a sign-in; guide sections and alerts are for
staff of an organisation that works in the prison (others, organisation B's staff included, get
404); organisations' managers choose their prisons; the tip queue is for staff and peer moderators. Follows are private:
nobody sees another member's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ORG_STAFF,
    PUBLIC,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    STAFF,
    STAFF_A,
    STAFF_ONLY,
    TO_LOGIN,
    Entry,
    PostCheck,
    Scene,
    WrongMethod,
    answers,
    ceilings,
    override,
    redirect,
)
from homeward.prisons import services
from homeward.prisons.importer import import_prisons
from homeward.prisons.models import Alert, Follow, Prison, PrisonGuideSection, PrisonPartner, Tip

CODES = {"LWI", "FDI", "STC2"}  # Lewes, Ford, and Rainsbrook (closed)
LEWES_PAGE = "/prisons/LWI/"
STAFF_AND_ADMIN = (*STAFF, "platform_admin")
LEWES_PARTNERS = frozenset({*STAFF_A, "platform_admin"})  # organisation A works in Lewes
MANAGERS_A = frozenset({"manager_a", "orgadmin_a"})


def _prisons(scene: Scene) -> None:
    """The prisons, with organisation A working in Lewes (so its staff keep Lewes's guide)."""
    if not Prison.objects.filter(code="LWI").exists():
        import_prisons(codes=CODES)
        PrisonPartner.objects.create(organisation=scene.org_a, prison_id="LWI")


def _lewes(scene: Scene) -> dict[str, Any]:
    return {"code": "LWI"}


def _tip(scene: Scene) -> Tip:
    """A published tip on Lewes by the peer moderator (their tips publish at once)."""
    _prisons(scene)
    tip = Tip.objects.filter(body__startswith="Matrix tip").first()
    if tip is None:
        author = scene.user("peer_moderator")
        assert author is not None
        tip = services.add_tip(author, Prison.objects.get(code="LWI"), "Matrix tip: queue early")
    return tip


def _pending_tip(scene: Scene) -> Tip:
    _prisons(scene)
    tip = Tip.objects.filter(body__startswith="Waiting tip").first()
    if tip is None:
        author = scene.user("family")
        assert author is not None
        tip = services.add_tip(author, Prison.objects.get(code="LWI"), "Waiting tip: bring coins")
    return tip


def _alert(scene: Scene) -> Alert:
    _prisons(scene)
    alert = Alert.objects.first()
    if alert is None:
        author = scene.user("worker_a")
        assert author is not None
        alert = services.post_alert(
            author,
            Prison.objects.get(code="LWI"),
            "Visits are cancelled today.",
            timezone.now() + timedelta(hours=3),
        )
    return alert


def _tip_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _tip(scene).pk}


def _pending_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _pending_tip(scene).pk}


def _family_follows_ford(scene: Scene) -> None:
    _prisons(scene)
    family = scene.user("family")
    assert family is not None
    services.follow(family, Prison.objects.get(code="FDI"))


def _others_follows(scene: Scene, role: str) -> list[str]:
    return [] if role == "family" else ["Ford"]


def _everyone_follows_lewes(scene: Scene) -> None:
    _prisons(scene)
    lewes = Prison.objects.get(code="LWI")
    for user in scene.signed_in():
        services.follow(user, lewes)


def _follows(scene: Scene) -> list[tuple[int, str]]:
    return sorted(Follow.objects.values_list("user_id", "prison_id"))


def _world(scene: Scene) -> None:
    _prisons(scene)
    _tip(scene)


SIGNED_IN_REDIRECT_LEWES = answers(
    anonymous=TO_LOGIN, members=redirect(LEWES_PAGE), staff=redirect(LEWES_PAGE)
)
POST_ONLY = answers(anonymous=NOT_ALLOWED, members=NOT_ALLOWED, staff=NOT_ALLOWED)
MODERATORS = override(STAFF_ONLY, peer_moderator=OK)

ENTRIES = {
    "prisons:index": Entry(
        get=PUBLIC,
        setup=_prisons,
        queries=ceilings(anonymous=1, member=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "prisons:search": Entry(
        get=PUBLIC, queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6)
    ),
    "prisons:costs": Entry(
        get=PUBLIC,
        queries=ceilings(anonymous=0, member=4, staff=7, platform_admin=6),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "prisons:detail": Entry(
        get=PUBLIC,
        kwargs=_lewes,
        setup=_world,
        queries=ceilings(anonymous=5, member=9, staff=12, platform_admin=11),
        wrong_method=WrongMethod("post", "family"),
    ),
    "prisons:booklet": Entry(
        get=PUBLIC,
        kwargs=_lewes,
        setup=_prisons,
        queries=ceilings(anonymous=4, member=8, staff=11, platform_admin=10),
    ),
    "prisons:compare": Entry(
        get=PUBLIC,
        kwargs=lambda s: {"old": "LWI", "new": "FDI"},
        setup=_prisons,
        queries=ceilings(anonymous=4, member=8, staff=11, platform_admin=10),
    ),
    "prisons:mine": Entry(
        get=SIGNED_IN,
        setup=_family_follows_ford,
        absent=_others_follows,
        queries=ceilings(member=6, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "family"),
    ),
    "prisons:follow": Entry(
        get=POST_ONLY,
        kwargs=_lewes,
        setup=_prisons,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {},
            state=_follows,
            answers=SIGNED_IN_REDIRECT_LEWES,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "prisons:unfollow": Entry(
        get=POST_ONLY,
        kwargs=_lewes,
        setup=_everyone_follows_lewes,
        post=PostCheck(
            data=lambda s: {},
            state=_follows,
            answers=SIGNED_IN_REDIRECT_LEWES,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "prisons:moved": Entry(
        get=SIGNED_IN,
        kwargs=_lewes,
        setup=_everyone_follows_lewes,
        queries=ceilings(member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {"new_prison": "FDI"},
            state=_follows,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect("/prisons/compare/LWI/FDI/"),
                staff=redirect("/prisons/compare/LWI/FDI/"),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "prisons:tip_add": Entry(
        get=POST_ONLY,
        kwargs=_lewes,
        setup=_prisons,
        post=PostCheck(
            data=lambda s: {"body": "The 2pm queue is shorter after 1:40."},
            state=lambda s: Tip.objects.count(),
            answers=SIGNED_IN_REDIRECT_LEWES,
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "prisons:tip_helpful": Entry(
        get=POST_ONLY,
        kwargs=_tip_kwargs,
        setup=_tip,
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Tip.objects.get(pk=_tip(s).pk).helpful_count,
            answers=SIGNED_IN_REDIRECT_LEWES,
            # The author's own mark does not count.
            changes=frozenset(SIGNED_IN_ROLES) - {"peer_moderator"},
        ),
    ),
    "prisons:tip_flag": Entry(
        get=POST_ONLY,
        kwargs=_tip_kwargs,
        setup=_tip,
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Tip.objects.get(pk=_tip(s).pk).flag_count,
            answers=override(SIGNED_IN_REDIRECT_LEWES, peer_moderator=NOT_FOUND),
            changes=frozenset(SIGNED_IN_ROLES) - {"peer_moderator"},
        ),
    ),
    "prisons:tip_check": Entry(
        get=POST_ONLY,
        kwargs=_tip_kwargs,
        setup=_tip,
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Tip.objects.get(pk=_tip(s).pk).checked_at,
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=redirect(LEWES_PAGE),
                worker_b=NOT_FOUND,
                platform_admin=redirect(LEWES_PAGE),
            ),
            changes=LEWES_PARTNERS,
        ),
    ),
    "prisons:alert_end": Entry(
        get=POST_ONLY,
        kwargs=lambda s: {"pk": _alert(s).pk},
        setup=_alert,
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Alert.objects.current().count(),
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=redirect(LEWES_PAGE),
                worker_b=NOT_FOUND,
                platform_admin=redirect(LEWES_PAGE),
            ),
            changes=LEWES_PARTNERS,
        ),
    ),
    "prisons:tip_queue": Entry(
        get=MODERATORS,
        setup=_pending_tip,
        queries=ceilings(peer_moderator=5, staff=8, platform_admin=7),
        wrong_method=WrongMethod("post", "peer_moderator"),
    ),
    "prisons:tip_moderate": Entry(
        get=POST_ONLY,
        kwargs=_pending_kwargs,
        setup=_pending_tip,
        post=PostCheck(
            data=lambda s: {"decision": "approve"},
            state=lambda s: Tip.objects.get(pk=_pending_tip(s).pk).status,
            answers=override(
                answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=redirect("prisons:tip_queue")),
                peer_moderator=redirect("prisons:tip_queue"),
            ),
            changes=frozenset({*STAFF_AND_ADMIN, "peer_moderator"}),
        ),
    ),
    "prisons:alert_new": Entry(
        get=override(STAFF_ONLY, worker_b=NOT_FOUND),
        kwargs=_lewes,
        setup=_prisons,
        queries=ceilings(staff=11, platform_admin=9),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"message": "Visits are cancelled today.", "ends_on": _today()},
            state=lambda s: Alert.objects.count(),
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=redirect(LEWES_PAGE),
                worker_b=NOT_FOUND,
                platform_admin=redirect(LEWES_PAGE),
            ),
            changes=LEWES_PARTNERS,
        ),
    ),
    "prisons:section_edit": Entry(
        get=override(STAFF_ONLY, worker_b=NOT_FOUND),
        kwargs=lambda s: {"code": "LWI", "topic": "dress"},
        setup=_prisons,
        queries=ceilings(staff=12, platform_admin=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"body": "No football shirts."},
            state=lambda s: list(PrisonGuideSection.objects.values_list("prison_id", "body")),
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=redirect(LEWES_PAGE),
                worker_b=NOT_FOUND,
                platform_admin=redirect(LEWES_PAGE),
            ),
            changes=LEWES_PARTNERS,
        ),
    ),
    "prisons:partners": Entry(
        get=override(ORG_STAFF, worker_a=NOT_FOUND, advocate_a=NOT_FOUND, worker_b=NOT_FOUND),
        setup=_prisons,
        queries=ceilings(manager_a=11, orgadmin_a=11),
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {"prison": "FDI"},
            state=lambda s: sorted(
                PrisonPartner.objects.values_list("organisation_id", "prison_id")
            ),
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=NOT_FOUND,
                platform_admin=NOT_FOUND,
                manager_a=redirect("prisons:partners"),
                orgadmin_a=redirect("prisons:partners"),
            ),
            changes=MANAGERS_A,
        ),
    ),
    "prisons:partner_remove": Entry(
        get=POST_ONLY,
        kwargs=_lewes,
        setup=_prisons,
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: sorted(
                PrisonPartner.objects.values_list("organisation_id", "prison_id")
            ),
            answers=answers(
                anonymous=TO_LOGIN,
                members=NOT_FOUND,
                staff=NOT_FOUND,
                platform_admin=NOT_FOUND,
                manager_a=redirect("prisons:partners"),
                orgadmin_a=redirect("prisons:partners"),
            ),
            changes=MANAGERS_A,
        ),
    ),
}


def _today() -> str:
    return timezone.localdate().isoformat()


ADMIN_QUERIES: dict[str, int] = {
    "admin:prisons_prison_changelist": 10,
    "admin:prisons_tip_changelist": 10,
    "admin:prisons_alert_changelist": 10,
}
