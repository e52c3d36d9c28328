"""Finding prisons: one page's worth of rows in one query, distances worked out in Python (there
are fewer than two hundred establishments, so a scan beats any index)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from homeward.accounts.policies import staff_organisation_ids
from homeward.core import geo
from homeward.prisons.models import (
    Alert,
    BookingUnit,
    Follow,
    Prison,
    PrisonGuideSection,
    PrisonPartner,
    PrisonQuerySet,
    Tip,
    TipMark,
)

NEAREST = 10
TIPS_SHOWN = 20  # the most helpful, then the newest
TIP_FIELDS = (
    "id", "prison_id", "author_id", "body", "status", "created_at", "checked_at",
    "helpful_count", "author__username", "author__display_name", "author__erased_at",
)  # fmt: skip
LIST_FIELDS = (
    "code", "name", "name_cy", "active", "town", "county", "region", "kind", "types",
    "categories", "operators", "male", "female", "long_term_high_security", "latitude",
    "longitude",
)  # fmt: skip


@dataclass(frozen=True)
class Nearby:
    prison: Prison
    miles: float

    @property
    def distance(self) -> str:
        return geo.about_miles(self.miles)


def for_list() -> list[Prison]:
    """Every establishment, with only what the browsable list shows."""
    return list(Prison.objects.only("code", "name", "active", "town", "region", "kind"))


def nearest(point: geo.Point, *, limit: int = NEAREST, exclude: str = "") -> list[Nearby]:
    """The nearest open prisons to a point, nearest first."""
    rows = Prison.objects.open().located().exclude(code=exclude).only(*LIST_FIELDS)
    found = [
        Nearby(p, geo.distance_miles(point, geo.Point(p.latitude, p.longitude)))  # type: ignore[arg-type]
        for p in rows
    ]
    return sorted(found, key=lambda n: n.miles)[:limit]


def nearest_to(prison: Prison, *, limit: int = 5) -> list[Nearby]:
    if prison.latitude is None or prison.longitude is None:
        return []
    return nearest(geo.Point(prison.latitude, prison.longitude), limit=limit, exclude=prison.code)


def _pages() -> PrisonQuerySet:
    return Prison.objects.defer("record").prefetch_related(
        Prefetch("booking_units", queryset=BookingUnit.objects.order_by("position")),
        Prefetch("sections", queryset=PrisonGuideSection.objects.all()),
        Prefetch("alerts", queryset=Alert.objects.current().order_by("-created_at")),
    )


def get_prisons(*codes: str) -> list[Prison]:
    """Several prisons for one page, in the order asked, in four queries; 404 if one is missing."""
    found = {p.code: p for p in _pages().filter(code__in=codes)}
    if any(code not in found for code in codes):
        raise Http404
    return [found[code] for code in codes]


def get_prison(
    code: str, *, with_tips: bool = False, viewer: Any = None, tips_page: int = 1
) -> Prison:
    """One prison with everything its page shows, in a fixed number of queries; 404 if none.
    With a signed-in `viewer`, the prison carries `viewer_follows` and each tip `viewer_helped`
    (answered inside the same queries, so members' pages cost no more queries than visitors').
    Tips come TIPS_SHOWN at a time; `tips_page` picks which (pages past the end are empty)."""
    queryset = _pages()
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in:
        queryset = queryset.annotate(
            viewer_follows=Exists(Follow.objects.filter(prison=OuterRef("pk"), user=viewer))
        )
        staff_of = [] if viewer.is_platform_admin else staff_organisation_ids(viewer)
        if staff_of:  # whether the viewer's organisation works here, in the same query
            queryset = queryset.annotate(
                viewer_is_partner=Exists(
                    PrisonPartner.objects.filter(prison=OuterRef("pk"), organisation__in=staff_of)
                )
            )
    if with_tips:
        tips = Tip.objects.published().select_related("author").only(*TIP_FIELDS)
        if signed_in:
            tips = tips.annotate(
                viewer_helped=Exists(
                    TipMark.objects.filter(
                        tip=OuterRef("pk"), user=viewer, kind=TipMark.Kind.HELPFUL
                    )
                )
            )
    prison = queryset.filter(code=code).first()
    if prison is None:
        raise Http404
    if with_tips:
        # One prison: a plain LIMIT query (a sliced Prefetch becomes a window-function query).
        start = (max(tips_page, 1) - 1) * TIPS_SHOWN
        prison.published_tips = list(tips.filter(prison_id=prison.pk)[start : start + TIPS_SHOWN])  # type: ignore[attr-defined]
    return prison
