"""Pages without the staff gate: a professional's referral form (no account), a family
member's own request and its status, and the closing question."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from homeward.accounts.models import Organisation
from homeward.accounts.policies import acting_user
from homeward.casework.forms.cases import FeedbackForm
from homeward.casework.forms.referrals import ProfessionalReferralForm, SelfReferralForm
from homeward.casework.home import support_organisations
from homeward.casework.models import Case, Referral, Stage
from homeward.casework.services import cases as case_actions
from homeward.casework.services.referrals import submit_referral
from homeward.core.ratelimit import rate_limit


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


@require_http_methods(["GET", "POST"])
@rate_limit("form", key="ip")
def refer(request: HttpRequest, slug: str) -> HttpResponse:
    """The public professional referral form: no account needed."""
    org = _organisation(slug)
    form = ProfessionalReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral, _ = submit_referral(
            org,
            form.referral_data(),
            source=Referral.Source.PROFESSIONAL,
            token=form.cleaned_data["token"],
        )
        return redirect("casework:refer_done", slug=org.slug, token=referral.token)
    return render(request, "casework/refer.html", {"organisation": org, "form": form})


@require_safe
def refer_done(request: HttpRequest, slug: str, token: uuid.UUID) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.select_related("organisation"), organisation__slug=slug, token=token
    )
    return render(request, "casework/refer_done.html", {"referral": referral})


@require_http_methods(["GET", "POST"])
@login_required
@rate_limit("referral", key="user")
def self_refer(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation(slug)
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit_referral(
            org,
            form.referral_data(),
            source=Referral.Source.SELF,
            token=form.cleaned_data["token"],
            submitted_by=acting_user(request),
        )
        messages.success(request, f"Sent. {org.name} will look at your request soon.")
        return redirect("casework:my_referrals")
    return render(request, "casework/self_refer.html", {"organisation": org, "form": form})


@require_safe
@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    """A family member's own requests: their status and what staff chose to tell them."""
    referrals = (
        Referral.objects.submitted_by(acting_user(request))
        .select_related("organisation")
        .only(
            "reference",
            "status",
            "created_at",
            "shared_message",
            "triaged_at",
            "organisation__name",
            "organisation__slug",
        )
        .order_by("-created_at")
    )
    return render(
        request,
        "casework/my_referrals.html",
        {"referrals": referrals, "organisations": support_organisations(request.user)},
    )


@require_http_methods(["GET", "POST"])
@rate_limit("form", key="ip")
def feedback(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The closing question, reached from the link in the family's message or e-mail."""
    case = (
        Case.objects.select_related("organisation")
        .filter(satisfaction_token=token, stage=Stage.CLOSED)
        .first()
    )
    if case is None:
        raise Http404
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_actions.record_satisfaction(
            case, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
        return render(request, "casework/feedback_done.html", {"organisation": case.organisation})
    return render(
        request, "casework/feedback.html", {"organisation": case.organisation, "form": form}
    )
