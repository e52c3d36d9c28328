"""The Open Referral UK 3.0 read API (django-ninja), mounted at /api/oruk/.

Anonymous and read-only; every response carries `Access-Control-Allow-Origin: *` so other
directories and apps can read it from a browser. Bad parameters get a 400 with a JSON body
({"detail": "..."}), never a 500."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime, time
from functools import wraps
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.dateparse import parse_datetime, parse_time
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError

from homeward.core import geo
from homeward.directory import oruk
from homeward.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from homeward.directory.search import Filters, filter_services, nearest, parse_day

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
M = TypeVar("M", bound=Model)


class BadRequest(ValueError):
    """A parameter we cannot use; the message goes back in the 400 body."""


def _with_cors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class OpenReferralAPI(NinjaAPI):
    """NinjaAPI whose every URL answers with the CORS header."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _with_cors(pattern.callback)
        return urls


api = OpenReferralAPI(
    title="Homeward directory: Open Referral UK",
    version="3.0",
    urls_namespace="oruk",
    docs_url="/docs",
)


@api.exception_handler(BadRequest)
def bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def invalid_parameter(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    names = sorted({str(e.get("loc", ["", "?"])[-1]) for e in exc.errors})
    return api.create_response(
        request, {"detail": f"Check these parameters: {', '.join(names)}"}, status=400
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


# Parameters -------------------------------------------------------------------------------------


def _uuid(value: str | None, name: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(f"{name} must be a UUID") from None


def _number(value: str | None, name: str, *, low: int = 0, high: int = 130) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(float(value))
    except ValueError:
        raise BadRequest(f"{name} must be a number") from None
    if not low <= number <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return number


def _clock(value: str | None, name: str) -> time | None:
    if not value:
        return None
    try:
        parsed = parse_time(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequest(f"{name} must be a time, for example 09:30")
    return parsed


def _moment(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequest(f"{name} must be a date and time, for example 2026-01-31T09:00:00Z")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _filters(params: dict[str, str | None]) -> Filters:
    day = params.get("day")
    try:
        day_code = parse_day(day) if day else ""
    except ValueError as error:
        raise BadRequest(str(error)) from None
    term = _uuid(params.get("taxonomy_term_id"), "taxonomy_term_id")
    return Filters(
        text=(params.get("search") or "").strip()[:200],
        term_ids=[term] if term else [],
        taxonomy_id=_uuid(params.get("taxonomy_id"), "taxonomy_id"),
        organization_id=_uuid(params.get("organization_id"), "organization_id"),
        minimum_age=_number(params.get("minimum_age"), "minimum_age"),
        maximum_age=_number(params.get("maximum_age"), "maximum_age"),
        day=day_code,
        start_time=_clock(params.get("start_time"), "start_time"),
        end_time=_clock(params.get("end_time"), "end_time"),
        modified_after=_moment(params.get("modified_after"), "modified_after"),
    )


def _page_numbers(page: int | None, per_page: int | None) -> tuple[int, int]:
    page = 1 if page is None else page
    per_page = DEFAULT_PER_PAGE if per_page is None else per_page
    if page < 1:
        raise BadRequest("page must be 1 or more")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadRequest(f"per_page must be between 1 and {MAX_PER_PAGE}")
    return page, per_page


def _envelope(total: int, page: int, per_page: int, contents: list[oruk.Json]) -> oruk.Json:
    total_pages = max(1, math.ceil(total / per_page))
    if page > total_pages:
        raise BadRequest(f"page must be between 1 and {total_pages}")
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page == total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _paged(
    queryset: QuerySet[M],
    page: int | None,
    per_page: int | None,
    render: Callable[[list[M]], list[oruk.Json]],
) -> oruk.Json:
    page, per_page = _page_numbers(page, per_page)
    total = queryset.count()
    if page > max(1, math.ceil(total / per_page)):
        return _envelope(total, page, per_page, [])  # raises the 400
    rows = list(queryset[(page - 1) * per_page : page * per_page])
    return _envelope(total, page, per_page, render(rows))


def _get(queryset: QuerySet[M], pk: str) -> M:
    try:
        key = uuid.UUID(pk)
    except ValueError:
        raise Http404 from None
    found = queryset.filter(pk=key).first()
    if found is None:
        raise Http404
    return found


# Operations ------------------------------------------------------------------------------------


class ServiceQuery(Schema):
    """The ORUK 3.0 query parameters of /services (and of /service_at_locations)."""

    search: str | None = None
    page: int | None = None
    per_page: int | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: str | None = None
    maximum_age: str | None = None
    day: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    organization_id: str | None = None
    modified_after: str | None = None

    def filters(self) -> dict[str, str | None]:
        return self.dict(exclude={"page", "per_page", "postcode", "proximity"})


class ServiceAtLocationQuery(ServiceQuery):
    postcode: str | None = None
    proximity: str | None = None


@api.get("/", url_name="api_details", summary="About this API")
def api_details(request: HttpRequest) -> oruk.Json:
    return {
        "version": oruk.VERSION,
        "profile": oruk.PROFILE,
        "openapi_url": request.build_absolute_uri("/api/oruk/openapi.json"),
    }


@api.get("/services", url_name="services", summary="Services, paged, fully nested")
def services(request: HttpRequest, query: Query[ServiceQuery]) -> oruk.Json:
    filters = _filters(query.filters())
    queryset = filter_services(Service.objects.all(), filters).select_related("organization")
    return _paged(queryset.order_by("name", "id"), query.page, query.per_page, oruk.services)


@api.get("/services/{id}", url_name="service", summary="One service, fully nested")
def service(request: HttpRequest, id: str) -> oruk.Json:
    return oruk.service(_get(Service.objects.select_related("organization"), id))


def _sal_queryset() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.select_related("service__organization")


NARROW_RADIUS_M = 50_000


@api.get("/service_at_locations", url_name="service_at_locations", summary="Services at locations")
def service_at_locations(request: HttpRequest, query: Query[ServiceAtLocationQuery]) -> oruk.Json:
    filters = _filters(query.filters())
    page, per_page, postcode, proximity = (
        query.page,
        query.per_page,
        query.postcode,
        query.proximity,
    )
    if not postcode:
        if proximity:
            raise BadRequest("proximity needs a postcode")
        matching = filter_services(Service.objects.all(), filters)
        queryset = _sal_queryset().filter(service__in=matching).order_by("service__name", "id")
        return _paged(queryset, page, per_page, oruk.service_at_locations)
    try:
        centre = geo.locate(postcode).point
    except geo.PostcodeError as error:
        raise BadRequest(str(error)) from None
    metres = _number(proximity, "proximity", low=1, high=1_000_000) or 1_000_000
    # A local radius leaves few services in the box: check the words row by row there.
    local = metres <= NARROW_RADIUS_M
    found = nearest(
        filter_services(Service.objects.all(), filters, narrowed=local), centre, metres / 1000
    )
    page_n, per = _page_numbers(page, per_page)
    chunk = found[(page_n - 1) * per : page_n * per]
    by_id = _sal_queryset().in_bulk([n.service_at_location_id for n in chunk])
    contents = oruk.service_at_locations(
        [by_id[n.service_at_location_id] for n in chunk],
        {n.service_at_location_id: n.km * 1000 for n in chunk},
    )
    return _envelope(len(found), page_n, per, contents)


@api.get(
    "/service_at_locations/{id}",
    url_name="service_at_location",
    summary="One service at a location",
)
def service_at_location(request: HttpRequest, id: str) -> oruk.Json:
    return oruk.service_at_locations([_get(_sal_queryset(), id)])[0]


@api.get("/taxonomies", url_name="taxonomies", summary="Taxonomies")
def taxonomies(
    request: HttpRequest, page: int | None = None, per_page: int | None = None
) -> oruk.Json:
    return _paged(
        Taxonomy.objects.order_by("name", "id"),
        page,
        per_page,
        lambda rows: [oruk.taxonomy(t) for t in rows],
    )


@api.get("/taxonomies/{id}", url_name="taxonomy", summary="One taxonomy")
def taxonomy(request: HttpRequest, id: str) -> oruk.Json:
    return oruk.taxonomy(_get(Taxonomy.objects.all(), id))


@api.get("/taxonomy_terms", url_name="taxonomy_terms", summary="Taxonomy terms")
def taxonomy_terms(
    request: HttpRequest, page: int | None = None, per_page: int | None = None
) -> oruk.Json:
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__name", "position", "name", "id"
    )
    return _paged(queryset, page, per_page, lambda rows: [oruk.taxonomy_term(t) for t in rows])


@api.get("/taxonomy_terms/{id}", url_name="taxonomy_term", summary="One taxonomy term")
def taxonomy_term(request: HttpRequest, id: str) -> oruk.Json:
    return oruk.taxonomy_term(_get(TaxonomyTerm.objects.select_related("taxonomy"), id))
