"""Staff: the triage queue, a referral, accepting or declining it, and typing in a leaflet."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from homeward.casework.access import get_referral_for
from homeward.casework.forms.referrals import AcceptForm, DeclineForm, PaperReferralForm
from homeward.casework.models import Referral
from homeward.casework.services import referrals as actions
from homeward.casework.views.common import casework_staff, me, organisation, staff_users
from homeward.core import audit

QUEUE_LIMIT = 100


@require_safe
@casework_staff
def queue(request: HttpRequest) -> HttpResponse:
    """Referrals waiting for triage, oldest first (a constant number of queries)."""
    waiting = (
        Referral.objects.visible_to(me(request))
        .waiting()
        .select_related("prison", "possible_duplicate")
        .only(
            "pk",
            "reference",
            "source",
            "family_name",
            "created_at",
            "needs",
            "children",
            "consent_attested",
            "prison__name",
            "possible_duplicate__name",
        )
        .order_by("created_at", "pk")
    )
    total = waiting.count()
    return render(
        request, "casework/queue.html", {"referrals": waiting[:QUEUE_LIMIT], "total": total}
    )


def _triage_forms(request: HttpRequest, referral: Referral) -> tuple[AcceptForm, DeclineForm]:
    staff = staff_users(referral.organisation)
    accept = AcceptForm(
        request.POST if request.POST.get("action") == "accept" else None,
        staff=staff,
        duplicate=referral.possible_duplicate,
        initial={"worker": me(request).pk, "merge": referral.possible_duplicate is not None},
    )
    decline = DeclineForm(
        request.POST if request.POST.get("action") == "decline" else None, prefix="decline"
    )
    return accept, decline


@require_http_methods(["GET", "POST"])
@casework_staff
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral in full, with the triage actions (POST action=accept or action=decline)."""
    found = get_referral_for(me(request), pk)
    accept, decline = _triage_forms(request, found)
    if request.method == "GET":
        audit.log_access(me(request), found, organisation=found.organisation)
    if request.method == "POST" and found.status == Referral.Status.NEW:
        try:
            if request.POST.get("action") == "accept" and accept.is_valid():
                merge = found.possible_duplicate if accept.cleaned_data.get("merge") else None
                case = actions.accept_referral(
                    me(request), found, accept.cleaned_data["worker"],
                    merge_into=merge, shared_message=accept.cleaned_data["shared_message"],
                )  # fmt: skip
                messages.success(request, f"Accepted. Case {case.reference} is open.")
                return redirect("casework:case", pk=case.pk)
            if request.POST.get("action") == "decline" and decline.is_valid():
                actions.decline_referral(
                    me(request), found, decline.cleaned_data["reason"],
                    decline.cleaned_data["shared_message"],
                )  # fmt: skip
                messages.success(request, f"Referral {found.reference} declined.")
                return redirect("casework:queue")
        except actions.TriageError as error:
            messages.error(request, str(error))
            return redirect("casework:referral", pk=found.pk)
    context = {"referral": found, "accept": accept, "decline": decline}
    return render(request, "casework/referral.html", context)


@require_http_methods(["GET", "POST"])
@casework_staff
def paper_referral(request: HttpRequest) -> HttpResponse:
    """A leaflet from the wing box, typed in."""
    org = organisation(request)
    form = PaperReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found, _ = actions.submit_referral(
            org, form.referral_data(), source=Referral.Source.PAPER,
            token=form.cleaned_data["token"], entered_by=me(request),
        )  # fmt: skip
        messages.success(request, f"Leaflet entered as referral {found.reference}.")
        return redirect("casework:referral", pk=found.pk)
    return render(request, "casework/paper_referral.html", {"form": form})
