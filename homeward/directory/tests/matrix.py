"""Permission-matrix entries for the directory and its Open Referral UK API
(merged by homeward/core/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from homeward.core.models import Notification
from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    PUBLIC,
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
from homeward.directory.models import Service
from homeward.directory.taxonomy import TAXONOMY_ID, term_id


def _service(scene: Scene) -> Service:
    """A local service kept by organisation A (made once per test; the same ids each time)."""
    from homeward.directory import factories

    cached: Service | None = getattr(scene, "directory_service", None)
    if cached is None:
        cached = factories.make_service(
            "Family support drop-in (demo)", outcode="BN7", owner=scene.org_a
        )
        scene.directory_service = cached
    return cached


def _pk(scene: Scene) -> dict[str, Any]:
    return {"pk": _service(scene).pk}


def _service_page(scene: Scene) -> str:
    return reverse("directory:service", args=[_service(scene).pk])


def _newest_service_page(scene: Scene) -> str:
    newest = Service.objects.order_by("-last_modified").first()
    assert newest is not None
    return reverse("directory:service", args=[newest.pk])


def _managers_notes(scene: Scene) -> int:
    return Notification.objects.filter(
        recipient__memberships__organisation=scene.org_a, kind="directory_request"
    ).count()


def schedule_rows(*rows: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    """The opening-times formset's POST data: these rows, then blank ones up to `total`."""
    count = max(total or 0, len(rows))
    data: dict[str, Any] = {
        "schedule-TOTAL_FORMS": str(count), "schedule-INITIAL_FORMS": "0",
        "schedule-MIN_NUM_FORMS": "0", "schedule-MAX_NUM_FORMS": "12",
    }  # fmt: skip
    for i, row in enumerate(rows):
        data |= {f"schedule-{i}-{key}": value for key, value in row.items()}
    return data


def _listing_form(name: str) -> dict[str, Any]:
    return {
        "name": name, "description": "Tea, toys and a listening ear.", "status": "active",
        "needs": ["children-young-people"], "is_free": "on", "in_person": "on",
        "address_1": "1 High Street", "city": "Lewes", "postcode": "BN7 2AA",
        "area_kind": "local_authority", "local_authorities": "East Sussex", "languages": ["en"],
        "accessibility": "Step-free entrance", "contact_name": "Family support worker",
    } | schedule_rows(
        {"days": ["MO", "TU"], "opens_at": "09:30", "closes_at": "15:00"}, total=3
    )  # fmt: skip


def _service_kwargs(scene: Scene) -> dict[str, Any]:
    return {"id": str(_service(scene).pk)}


def _service_at_location_kwargs(scene: Scene) -> dict[str, Any]:
    sal = _service(scene).service_at_locations.first()
    assert sal is not None
    return {"id": str(sal.pk)}


def _api(extra: int) -> dict[str, int]:
    """The API reads no session for anonymous callers; signed-in callers' middleware adds the
    same few queries as every other page."""
    return ceilings(anonymous=extra, member=extra + 4, staff=extra + 7, platform_admin=extra + 6)


# Staff pages about one of organisation A's listings: nobody else learns it is there.
LISTING_A = override(STAFF_ONLY, worker_b=NOT_FOUND, platform_admin=NOT_FOUND)

ENTRIES = {
    # Finding help ------------------------------------------------------------------------
    "directory:find": Entry(
        get=PUBLIC,
        setup=_service,
        queries=ceilings(anonymous=2, member=6, staff=9, platform_admin=8),
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "directory:service": Entry(
        get=PUBLIC,
        kwargs=_pk,
        queries=ceilings(anonymous=11, member=15, staff=18, platform_admin=17),
    ),
    "directory:request_support": Entry(
        get=answers(anonymous=TO_LOGIN, members=NOT_ALLOWED, staff=NOT_ALLOWED),
        kwargs=_pk,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"message": ""},
            state=_managers_notes,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect(_service_page),
                staff=redirect(_service_page),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    # Staff: listings ---------------------------------------------------------------------
    "directory:listings": Entry(
        get=STAFF_ONLY, setup=_service, queries=ceilings(staff=10, platform_admin=10)
    ),
    "directory:listing_new": Entry(
        get=STAFF_ONLY,
        queries=ceilings(staff=10, platform_admin=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: _listing_form("Saturday family club"),
            state=lambda s: Service.objects.count(),
            answers=override(
                STAFF_ONLY,
                **dict.fromkeys((*STAFF, "platform_admin"), redirect(_newest_service_page)),
            ),
            changes=frozenset((*STAFF, "platform_admin")),
        ),
    ),
    "directory:listing_edit": Entry(
        get=LISTING_A,
        kwargs=_pk,
        queries=ceilings(staff=22),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: _listing_form("Renamed drop-in"),
            state=lambda s: Service.objects.get(pk=_service(s).pk).name,
            answers=override(LISTING_A, **dict.fromkeys(STAFF_A, redirect(_service_page))),
            changes=frozenset(STAFF_A),
        ),
    ),
    "directory:listing_assured": Entry(
        # POST only: the method is refused before the listing is looked up.
        get=answers(anonymous=TO_LOGIN, members=NOT_FOUND, staff=NOT_ALLOWED),
        kwargs=_pk,
        wrong_method=WrongMethod("get", "worker_a"),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Service.objects.get(pk=_service(s).pk).assured_date,
            answers=override(LISTING_A, **dict.fromkeys(STAFF_A, redirect("directory:listings"))),
            changes=frozenset(STAFF_A),
        ),
    ),
    # The Open Referral UK API --------------------------------------------------------------
    # The API is public and anonymous; its OpenAPI document and docs page make no queries.
    "oruk:openapi-json": Entry(get=PUBLIC, queries=_api(0)),
    "oruk:openapi-view": Entry(get=PUBLIC, queries=_api(0)),
    # ninja's root name now reaches GET / (the API details).
    "oruk:api-root": Entry(get=PUBLIC, queries=_api(0)),
    "oruk:api_details": Entry(get=PUBLIC, queries=_api(0)),
    "oruk:services": Entry(get=PUBLIC, setup=_service, queries=_api(13)),
    "oruk:service": Entry(get=PUBLIC, kwargs=_service_kwargs, queries=_api(12)),
    "oruk:service_at_locations": Entry(get=PUBLIC, setup=_service, queries=_api(13)),
    "oruk:service_at_location": Entry(
        get=PUBLIC, kwargs=_service_at_location_kwargs, queries=_api(12)
    ),
    "oruk:taxonomies": Entry(get=PUBLIC, queries=_api(2)),
    "oruk:taxonomy": Entry(get=PUBLIC, kwargs=lambda s: {"id": str(TAXONOMY_ID)}, queries=_api(1)),
    "oruk:taxonomy_terms": Entry(get=PUBLIC, queries=_api(2)),
    "oruk:taxonomy_term": Entry(
        get=PUBLIC,
        kwargs=lambda s: {"id": str(term_id("helplines"))},
        queries=_api(1),
    ),
}

ADMIN_QUERIES: dict[str, int] = {
    "admin:directory_organization_changelist": 10,
    "admin:directory_service_changelist": 10,
    "admin:directory_taxonomy_changelist": 10,
    "admin:directory_taxonomyterm_changelist": 11,
}
