"""Finding help (/directory/), a service's page, asking for support, and staff listings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.decorators import staff_required
from homeward.accounts.policies import acting_user, staff_membership
from homeward.core import search as fulltext
from homeward.core.geo import about_miles
from homeward.directory import areas
from homeward.directory import services as actions
from homeward.directory.forms import FindForm, RequestSupportForm, ServiceForm, schedule_formset
from homeward.directory.models import (
    DAYS,
    Address,
    Attribute,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    describe_times,
)
from homeward.directory.search import (
    Filters,
    covering,
    filter_services,
    is_open,
    nearest,
    open_to,
)
from homeward.directory.taxonomy import term_id

LOCAL_LIMIT = 30
NATIONAL_LIMIT = 20


@dataclass
class Result:
    """One result card: the service and what the card shows about it."""

    service: Service
    distance: str = ""
    open_now: bool | None = None  # None: no opening times listed
    phones: list[dict[str, Any]] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    address: str = ""
    areas: list[str] = field(default_factory=list)  # "For people in: Lewes, Wealden"
    times: list[str] = field(default_factory=list)  # "Tue, Thu 18:00-20:00", "By appointment"
    in_area: bool = False  # limited to local authorities, the searcher's among them


def _results_for(
    ids: list[uuid.UUID], miles: dict[uuid.UUID, float], codes: frozenset[str] = frozenset()
) -> list[Result]:
    """Cards for these services, in this order, in six queries whatever their number (plain
    rows, not Django's per-object prefetching, which costs more than the SQL here). `codes`:
    the searcher's local authorities."""
    services = Service.objects.select_related("organization").in_bulk(ids)
    cards = {
        pk: Result(s, distance=about_miles(miles[pk]) if pk in miles else "")
        for pk, s in services.items()
    }
    phones = Phone.objects.filter(service_id__in=ids, contact=None).order_by("id")
    for row in phones.values("service_id", "number", "description"):
        cards[row["service_id"]].phones.append(dict(row))
    needs = Attribute.objects.filter(service_id__in=ids).order_by(
        "taxonomy_term__position", "taxonomy_term__name"
    )
    for service_id, name in needs.values_list("service_id", "taxonomy_term__name"):
        cards[service_id].needs.append(name)
    now = timezone.localtime()
    day, clock = DAYS[now.weekday()], now.time()
    schedules = Schedule.objects.filter(service_id__in=ids)
    for service_id, byday, opens, closes, note in sorted(
        schedules.values_list("service_id", "byday", "opens_at", "closes_at", "description"),
        key=lambda row: (_first_day(row[1]), row[2] or time.max, row[4]),
    ):
        card = cards[service_id]
        if opens is not None and closes is not None and byday:
            card.open_now = bool(card.open_now) or (
                day in byday.split(",") and opens <= clock < closes
            )
        if text := describe_times(byday, opens, closes, note):
            card.times.append(text)
    service_areas = ServiceArea.objects.filter(service_id__in=ids).exclude(
        kind=ServiceArea.Kind.NATIONAL
    )
    for service_id, name, code in service_areas.order_by("name").values_list(
        "service_id", "name", "code"
    ):
        cards[service_id].areas.append(name)
        cards[service_id].in_area |= code in codes
    addresses = Address.objects.filter(location__service_at_locations__service_id__in=ids)
    for service_id, line, city, postcode in addresses.order_by("-id").values_list(
        "location__service_at_locations__service_id", "address_1", "city", "postal_code"
    ):
        cards[service_id].address = ", ".join(p for p in (line, city, postcode) if p)
    return [cards[pk] for pk in ids if pk in cards]


def _first_day(byday: str) -> int:
    return min((DAYS.index(d) for d in byday.split(",") if d in DAYS), default=len(DAYS))


def _filters(form: FindForm) -> Filters:
    data = form.cleaned_data
    return Filters(
        text=data.get("q") or "",
        term_ids=[term_id(data["need"])] if data.get("need") else [],
        age=data.get("age"),
        day=data.get("day") or "",
        open_at=timezone.now() if data.get("open_now") else None,
        free_only=bool(data.get("free")),
        language=data.get("language") or "",
        delivery=data.get("delivery") or "",
    )


def _results(form: FindForm) -> tuple[list[Result], list[Result]]:
    """(local, national) results for a valid search."""
    filters = _filters(form)
    # The national lane and the distance box each narrow by an index to a few rows first, so
    # free text is checked row by row there (core.search.matching's `narrowed`).
    few = filter_services(Service.objects.all(), filters, narrowed=True)
    # Few services are national: fetch them by the lane index and sort here, rather than let
    # the database walk every service in name order testing the filters.
    national = sorted(few.filter(is_national=True).order_by().values_list("name", "pk"))
    national_ids = [pk for _, pk in national[:NATIONAL_LIMIT]]
    local = few.filter(is_national=False)
    distances: dict[uuid.UUID, float] = {}
    codes = frozenset(areas.codes_for_outcode(form.place.outcode) if form.place else ())
    if form.place is not None:
        # Near the place, leaving out services only for other local authorities; then those
        # for the searcher's authority that are farther away (an outreach service, say).
        found = nearest(open_to(local, codes), form.place.point, form.radius_km(), LOCAL_LIMIT)
        local_ids = [n.service_id for n in found]
        distances = {n.service_id: n.miles for n in found}
        if codes and len(local_ids) < LOCAL_LIMIT:
            farther = covering(local, codes).exclude(pk__in=local_ids).order_by("name")
            local_ids += farther.values_list("pk", flat=True)[: LOCAL_LIMIT - len(local_ids)]
    elif filters.text:  # best matches for the words first: ranked by the search engine
        others = filter_services(
            Service.objects.filter(is_national=False), replace(filters, text="")
        )
        best = fulltext.ranked(others.only("pk"), filters.text, limit=LOCAL_LIMIT)
        local_ids = [s.pk for s in best]
    else:
        local_ids = list(local.order_by("name").values_list("pk", flat=True)[:LOCAL_LIMIT])
    cards = _results_for([*local_ids, *national_ids], distances, codes)
    return cards[: len(local_ids)], cards[len(local_ids) :]


@require_safe
def find(request: HttpRequest) -> HttpResponse:
    """Search by need, words and postcode. A GET form: the address is the shareable result."""
    searched = bool(request.GET)
    form = FindForm(request.GET if searched else None)
    local: list[Result] = []
    national: list[Result] = []
    if searched and form.is_valid():
        local, national = _results(form)
    return render(
        request,
        "directory/find.html",
        {
            "form": form,
            "searched": searched and form.is_bound and not form.errors,
            "local": local,
            "national": national,
            "place": form.place,
            "place_areas": areas.for_outcode(form.place.outcode) if form.place else [],
            "share_url": request.build_absolute_uri(),
        },
    )


def _service_or_404(pk: uuid.UUID) -> Service:
    service = (
        Service.objects.listed()
        .select_related("organization__homeward_organisation")
        .prefetch_related(
            "schedules",
            "phones",
            "languages",
            "service_areas",
            "cost_options",
            Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
            "contacts",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses", "location__accessibility"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if service is None:
        raise Http404
    return service


@require_safe
def service_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _service_or_404(pk)
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "open_now": is_open(service) if service.schedules.all() else None,
            "stale": service.is_stale(),
            "can_request": service.organization.homeward_organisation_id is not None,
            "request_form": RequestSupportForm(),
        },
    )


@login_required
@require_POST
def request_support(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Ask the organisation that runs this service to get in touch (through Homeward)."""
    service = _service_or_404(pk)
    form = RequestSupportForm(request.POST)
    if service.organization.homeward_organisation_id is None or not form.is_valid():
        raise Http404
    actions.request_support(acting_user(request), service, form.cleaned_data["message"])
    messages.success(
        request,
        f"We've passed your request to {service.organization.name}. They'll be in touch, and "
        "you can follow it on your requests page.",
    )
    return redirect("directory:service", pk=service.pk)


# Staff: their organisation's listings ----------------------------------------------------------


def _editable(request: HttpRequest) -> QuerySet[Service]:
    user = acting_user(request)
    membership = staff_membership(user)
    return Service.objects.listed().editable_by(
        membership.organisation if membership else None, national=user.is_platform_admin
    )


@staff_required
@require_safe
def listings(request: HttpRequest) -> HttpResponse:
    services = _editable(request).select_related("organization").order_by("name")
    today = timezone.localdate()
    return render(
        request,
        "directory/listings.html",
        {"rows": [(s, s.is_stale(today)) for s in services]},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def listing_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    membership = staff_membership(user)
    if membership is None and not user.is_platform_admin:
        raise Http404
    initial = _NEW | {"key": uuid.uuid4()}
    form = ServiceForm(request.POST or None, national=user.is_platform_admin, initial=initial)
    times = schedule_formset(request.POST or None)
    if request.method == "POST" and all([form.is_valid(), times.is_valid()]):
        service = actions.create_listing(
            user,
            membership.organisation if membership else None,
            _editable(request),
            form.cleaned_data | {"schedules": times.schedules()},
            form.place,
        )
        messages.success(request, "The service is listed.")
        return redirect("directory:service", pk=service.pk)
    context = {"form": form, "schedules": times, "service": None}
    return render(request, "directory/listing_form.html", context)


_NEW: dict[str, Any] = {"status": "active", "is_free": True, "in_person": True}


@staff_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    service = actions.listing_for_edit(_editable(request), pk)
    if service is None:
        raise Http404
    form = ServiceForm(
        request.POST or None,
        national=user.is_platform_admin,
        initial=actions.listing_initial(service),
    )
    times = schedule_formset(request.POST or None, initial=actions.listing_schedules(service))
    if request.method == "POST" and all([form.is_valid(), times.is_valid()]):
        data = form.cleaned_data | {"schedules": times.schedules()}
        actions.save_listing(user, None, service, data, form.place)
        messages.success(request, "Your changes are saved.")
        return redirect("directory:service", pk=service.pk)
    context = {"form": form, "schedules": times, "service": service}
    return render(request, "directory/listing_form.html", context)


@staff_required
@require_POST
def listing_assured(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """ "I've checked this listing today": resets the three-month clock."""
    service = _editable(request).filter(pk=pk).first()
    if service is None:
        raise Http404
    actions.mark_assured(acting_user(request), service)
    messages.success(request, f"Thanks: {service.name} is marked as checked today.")
    return redirect("directory:listings")
