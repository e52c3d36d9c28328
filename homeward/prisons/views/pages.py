"""The public Prison guide: the list, search, each prison's page and booklet, what's different
after a move, and help with the cost of visits. No sign-in needed for any of it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from homeward.prisons import compare as comparing
from homeward.prisons import eligibility, lookup, policies
from homeward.prisons.forms import EligibilityForm, PostcodeForm, SearchForm, TipForm
from homeward.prisons.guide import sections_for, timetable
from homeward.prisons.models import BookingUnit, Kind, Prison, Region


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "prisons/not_found.html",
        {"code": code[:12], "form": SearchForm(), "postcode_form": PostcodeForm()},
        status=404,
    )


def _bookable(prison: Prison, units: list[BookingUnit]) -> bool:
    """Whether there is anything to say about booking (a number, an address, online booking)."""
    return bool(prison.phone or prison.email or any(u.has_booking_details for u in units))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every open prison by region, filterable by region and type, with counts."""
    prisons = lookup.for_list()
    open_ = [p for p in prisons if not p.is_closed]
    region, kind = request.GET.get("region", ""), request.GET.get("type", "")
    region = region if region in Region.values else ""
    kind = kind if kind in Kind.values else ""
    shown = [
        p for p in open_ if (not region or p.region == region) and (not kind or p.kind == kind)
    ]
    by_region = Counter(p.region for p in open_ if not kind or p.kind == kind)
    by_kind = Counter(p.kind for p in open_ if not region or p.region == region)
    groups = [
        (label, [p for p in shown if p.region == value])
        for value, label in [*Region.choices, ("", "Region not known")]
    ]
    context: dict[str, Any] = {
        "groups": [(label, rows) for label, rows in groups if rows],
        "regions": [(v, label, by_region[v]) for v, label in Region.choices if by_region[v]],
        "kinds": [(v, label, by_kind[v]) for v, label in Kind.choices if by_kind[v]],
        "region": region,
        "kind": kind,
        "shown_count": len(shown),
        "closed": [p for p in prisons if p.is_closed],
        "form": SearchForm(),
        "postcode_form": PostcodeForm(),
        "can_moderate": policies.can_moderate_tips(request.user),
    }
    return render(request, "prisons/index.html", context)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """By name or town (?q=), or by postcode (?postcode=) with distances."""
    context: dict[str, Any] = {"form": SearchForm(), "postcode_form": PostcodeForm()}
    if "postcode" in request.GET:
        postcode_form = PostcodeForm(request.GET)
        context["postcode_form"] = postcode_form
        if postcode_form.is_valid():
            place = postcode_form.cleaned_data["postcode"]
            context["place"] = place
            context["nearby"] = lookup.nearest(place.point)
    elif request.GET.get("q", "").strip():
        form = SearchForm(request.GET)
        context["form"] = form
        if form.is_valid():
            text = form.cleaned_data["q"]
            context["query"] = text
            context["matches"] = list(
                Prison.objects.matching(text).only(*lookup.LIST_FIELDS).order_by("active", "name")
            )
    return render(request, "prisons/search.html", context)


def _page_number(value: str | None) -> int:
    """?tips=N from the address; anything odd is the first page."""
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


def _tips_pages(tip_count: int, page: int) -> dict[str, int | None]:
    last = max(1, -(-tip_count // lookup.TIPS_SHOWN))
    return {
        "number": page,
        "last": last,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return redirect("prisons:detail", code=code.upper(), permanent=True)
    user = request.user
    tips_page = _page_number(request.GET.get("tips"))
    try:
        prison = lookup.get_prison(code, with_tips=True, viewer=user, tips_page=tips_page)
    except Http404:  # show a search rather than a bare "not found"
        return _not_found(request, code)
    units = list(prison.booking_units.all())
    can_edit = policies.can_edit_guide(user, prison)
    context = {
        "prison": prison,
        "units": [(unit, timetable(unit)) for unit in units],
        "bookable": _bookable(prison, units),
        "has_times": any(u.weekly_slots for u in units),
        "sections": sections_for(prison.sections.all()),
        "alerts": list(prison.alerts.all()),
        "tips": prison.published_tips,  # type: ignore[attr-defined]
        "tips_pages": _tips_pages(prison.tip_count, tips_page),
        "signed_in": user.is_authenticated,
        "me": user.pk,
        "following": getattr(prison, "viewer_follows", False),
        "can_edit": can_edit,
        "can_check": can_edit,
        "tip_form": TipForm() if policies.can_add_tip(user) else None,
        "nearby": lookup.nearest_to(prison) if prison.is_closed else [],
    }
    return render(request, "prisons/detail.html", context)


@require_safe
def booklet(request: HttpRequest, code: str) -> HttpResponse:
    """Everything on the prison's page, laid out to print as a family induction booklet."""
    try:
        prison = lookup.get_prison(code.upper())
    except Http404:
        return _not_found(request, code)
    units = list(prison.booking_units.all())
    context = {
        "prison": prison,
        "units": [(unit, timetable(unit)) for unit in units],
        "bookable": _bookable(prison, units),
        "has_times": any(u.weekly_slots for u in units),
        "sections": sections_for(prison.sections.all()),
        "costs": eligibility,
    }
    return render(request, "prisons/booklet.html", context)


@require_safe
def compare(request: HttpRequest, old: str, new: str) -> HttpResponse:
    """What's different between two prisons: after a move, what a family has to learn again."""
    try:
        before, after = lookup.get_prisons(old.upper(), new.upper())
    except Http404:
        known = set(
            Prison.objects.filter(code__in=[old.upper(), new.upper()]).values_list(
                "code", flat=True
            )
        )
        return _not_found(request, old if old.upper() not in known else new)
    rows = comparing.differences(before, after)
    context = {
        "before": before,
        "after": after,
        "different": [r for r in rows if r.differs],
        "same": [r for r in rows if not r.differs],
    }
    return render(request, "prisons/compare.html", context)


@require_safe
def costs(request: HttpRequest) -> HttpResponse:
    """A short check against the Assisted Prison Visits scheme, ending in a plain answer."""
    asked = any(key in request.GET for key in ("relationship", "benefits", "frequency"))
    form = EligibilityForm(request.GET if asked else None)
    answer = None
    if asked and form.is_valid():
        answer = eligibility.check(
            form.cleaned_data["relationship"],
            form.cleaned_data["benefits"],
            form.cleaned_data["frequency"],
        )
    context = {
        "form": form,
        "answer": answer,
        "apply_url": eligibility.APPLY_URL,
        "can_claim": eligibility.WHAT_YOU_CAN_CLAIM,
        "how_to_apply": eligibility.HOW_TO_APPLY,
        "max_visits": eligibility.MAX_VISITS_A_YEAR,
    }
    return render(request, "prisons/costs.html", context)
