"""Finding services: the filters the pages and the API share, and distance from a postcode.

Distance search narrows by a latitude/longitude box on indexed columns first (core.geo), then
computes exact distances in Python for the few rows left, so it needs no spatial database."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from homeward.core import geo
from homeward.core import search as fulltext
from homeward.directory.models import (
    DAYS,
    Attribute,
    Language,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceQuerySet,
)

KM_PER_MILE = geo.KM_PER_MILE


@dataclass
class Filters:
    text: str = ""
    term_ids: list[uuid.UUID] = field(default_factory=list)
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    minimum_age: int | None = None  # ORUK: services whose minimum age is at least this
    maximum_age: int | None = None  # ORUK: services whose maximum age is at most this
    age: int | None = None  # Homeward: services that take a person of this age
    day: str = ""  # MO..SU
    start_time: time | None = None
    end_time: time | None = None
    open_at: datetime | None = None
    free_only: bool = False
    language: str = ""  # ISO 639-1 code
    delivery: str = ""  # in_person | by_phone | online
    modified_after: datetime | None = None
    national: bool | None = None


DELIVERY_FIELDS = {"in_person", "by_phone", "online"}


def service_document(service: Service) -> tuple[str, str] | None:
    """What free text finds a service by (core.search): its name, then who runs it, what it
    offers and the needs it helps with. Closed for good: not searchable."""
    if service.status == Service.Status.DEFUNCT:
        return None
    needs = [a.taxonomy_term.name for a in service.attributes.all()]
    body = "\n".join(
        part for part in (service.organization.name, service.description, " ".join(needs)) if part
    )
    return service.name, body


def searchable_services() -> QuerySet[Service]:
    """What reindexing reads: everything service_document needs, in three queries a batch."""
    return Service.objects.select_related("organization").prefetch_related(
        "attributes__taxonomy_term"
    )


def open_schedules_q(moment: datetime, prefix: str = "schedules__") -> Q:
    local = timezone.localtime(moment)
    day = DAYS[local.weekday()]
    now = local.time()
    return Q(
        **{
            f"{prefix}byday__contains": day,
            f"{prefix}opens_at__lte": now,
            f"{prefix}closes_at__gt": now,
        }
    )


def filter_services(
    queryset: ServiceQuerySet, f: Filters, *, narrowed: bool = False
) -> ServiceQuerySet:
    """Apply every filter that is set. Multi-valued joins go through `pk__in` subqueries, so a
    service never appears twice. `narrowed`: the caller will limit the result to a few rows by
    an index (`nearest`'s distance box, the national lane), so free text is checked row by
    row instead of listing every matching document first (core.search.matching)."""
    qs = queryset.listed()
    if f.text:
        # Full-text (core.search): every word, stemmed, the last also as a prefix.
        qs = cast(ServiceQuerySet, fulltext.matching(qs, f.text, narrowed=narrowed))
    for term_id in f.term_ids:
        qs = qs.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id=term_id))
        )
    if f.taxonomy_id is not None:
        qs = qs.filter(
            Exists(
                Attribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__taxonomy_id=f.taxonomy_id
                )
            )
        )
    if f.organization_id is not None:
        qs = qs.filter(organization_id=f.organization_id)
    if f.minimum_age is not None:
        qs = qs.filter(minimum_age__gte=f.minimum_age)
    if f.maximum_age is not None:
        qs = qs.filter(maximum_age__lte=f.maximum_age)
    if f.age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=f.age)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=f.age)
        )
    schedule_q = Q()
    if f.day:
        schedule_q &= Q(byday__contains=f.day)
    if f.start_time is not None:
        schedule_q &= Q(opens_at__gte=f.start_time)
    if f.end_time is not None:
        schedule_q &= Q(closes_at__lte=f.end_time)
    if f.open_at is not None:
        schedule_q &= open_schedules_q(f.open_at, prefix="")
    if schedule_q:
        qs = qs.filter(Exists(Schedule.objects.filter(schedule_q, service=OuterRef("pk"))))
    if f.free_only:
        qs = qs.filter(is_free=True)
    if f.language:
        qs = qs.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code=f.language.lower()))
        )
    if f.delivery in DELIVERY_FIELDS:
        qs = qs.filter(**{f.delivery: True})
    if f.modified_after is not None:
        qs = qs.filter(last_modified__gte=f.modified_after)
    if f.national is not None:
        qs = qs.filter(is_national=f.national)
    return qs


def covering(services: ServiceQuerySet, codes: Collection[str]) -> ServiceQuerySet:
    """Services with a local-authority area among these codes (areas.codes_for_outcode)."""
    return services.filter(
        pk__in=ServiceArea.objects.filter(
            kind=ServiceArea.Kind.LOCAL_AUTHORITY, code__in=sorted(codes)
        ).values("service_id")
    )


def open_to(services: ServiceQuerySet, codes: Collection[str]) -> ServiceQuerySet:
    """Services a person living in these authorities may use: those limited to local
    authorities only when one of them is theirs. No codes (a place we can't tie to an
    authority, such as a prison chosen from the list): no limit."""
    if not codes:
        return services
    limited = ServiceArea.objects.filter(
        service=OuterRef("pk"), kind=ServiceArea.Kind.LOCAL_AUTHORITY
    ).exclude(code="")
    return services.filter(Q(Exists(limited.filter(code__in=sorted(codes)))) | ~Exists(limited))


@dataclass(frozen=True)
class Near:
    """A service at a location, and how far it is from where the person searched."""

    service_at_location_id: uuid.UUID
    service_id: uuid.UUID
    km: float

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE


def nearest(
    services: QuerySet[Service], centre: geo.Point, radius_km: float, limit: int | None = None
) -> list[Near]:
    """Service-at-locations of these services within the radius, nearest first, one (the
    nearest) per service. Two queries whatever the data, each cheap on any database: every
    location in the bounding box (an index range), then which services in the box pass the
    filters; exact distances are computed in Python in between."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(centre, radius_km)
    in_box = ServiceAtLocation.objects.filter(
        location__latitude__gte=min_lat,
        location__latitude__lte=max_lat,
        location__longitude__gte=min_lon,
        location__longitude__lte=max_lon,
    ).order_by()
    best: dict[uuid.UUID, Near] = {}
    rows = in_box.values_list("id", "service_id", "location__latitude", "location__longitude")
    for sal_id, service_id, lat, lon in rows:
        if lat is None or lon is None:
            continue
        km = geo.distance_km(centre, geo.Point(lat, lon))
        if km <= radius_km and (service_id not in best or km < best[service_id].km):
            best[service_id] = Near(sal_id, service_id, km)
    if not best:
        return []
    # A short list of ids is cheaper to probe than the box again; a long one would pass some
    # databases' parameter limits, so then the box is asked again as a subquery.
    within = list(best) if len(best) <= CHUNK else in_box.values("service_id")
    passing = set(services.filter(pk__in=within).order_by().values_list("pk", flat=True))
    found = sorted(
        (n for n in best.values() if n.service_id in passing),
        key=lambda n: (n.km, str(n.service_id)),
    )
    return found[:limit] if limit is not None else found


CHUNK = 900  # ids per IN (...) list, well under every database's parameter limit


def is_open(service: Service, moment: datetime | None = None) -> bool:
    """From prefetched schedules: open at this moment (local time)?"""
    local = timezone.localtime(moment or timezone.now())
    day = DAYS[local.weekday()]
    now = local.time()
    for s in service.schedules.all():
        if (
            day in s.days
            and s.opens_at is not None
            and s.closes_at is not None
            and s.opens_at <= now < s.closes_at
        ):
            return True
    return False


_FULL_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def parse_day(raw: str) -> str:
    """ "MO" or "monday" → "MO"; anything else → ValueError."""
    text = (raw or "").strip().upper()
    if text in DAYS:
        return text
    if text in _FULL_DAYS:
        return DAYS[_FULL_DAYS.index(text)]
    raise ValueError(f"day must be one of {', '.join(DAYS)}")


def today() -> date:
    return timezone.localdate()
