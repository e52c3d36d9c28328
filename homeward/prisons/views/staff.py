"""Staff keep each prison's guide and post alerts; staff and peer moderators approve tips."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.decorators import staff_required
from homeward.accounts.policies import acting_user
from homeward.prisons import policies, services
from homeward.prisons.forms import AlertForm, PartnerForm, SectionForm
from homeward.prisons.guide import NATIONAL_DEFAULTS, text_for
from homeward.prisons.models import Alert, Prison, PrisonGuideSection, PrisonPartner, Tip, Topic

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Anonymous → sign in; anyone who may not approve tips → 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policies.can_moderate_tips(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _prison(code: str) -> Prison:
    return get_object_or_404(Prison.objects.defer("record"), code=code.upper())


def _prison_to_edit(request: HttpRequest, code: str) -> Prison:
    """The prison, if this person's organisation works in it; otherwise 404."""
    prison = _prison(code)
    if not policies.can_edit_guide(request.user, prison):
        raise Http404
    return prison


@require_http_methods(["GET", "POST"])
@staff_required
def section_edit(request: HttpRequest, code: str, topic: str) -> HttpResponse:
    prison = _prison_to_edit(request, code)
    if topic not in Topic.values:
        raise Http404
    own = list(PrisonGuideSection.objects.filter(prison=prison))
    local = any(s.topic == topic for s in own)
    form = SectionForm(
        request.POST or None, initial={"body": text_for(topic, own) if local else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.save_section(acting_user(request), prison, topic, form.cleaned_data["body"])
        messages.success(request, f"Saved. Families now see this on {prison.name}'s page.")
        return redirect(f"{reverse('prisons:detail', args=[prison.code])}#{topic}")
    context = {
        "prison": prison,
        "topic": Topic(topic),
        "form": form,
        "national": NATIONAL_DEFAULTS[topic],
        "local": local,
    }
    return render(request, "prisons/section_edit.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def alert_new(request: HttpRequest, code: str) -> HttpResponse:
    prison = _prison_to_edit(request, code)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_alert(
            acting_user(request), prison, form.cleaned_data["message"], form.expires_at()
        )
        messages.success(request, "Alert posted. Everyone following this prison has been told.")
        return redirect("prisons:detail", code=prison.code)
    return render(request, "prisons/alert_new.html", {"prison": prison, "form": form})


@require_POST
@staff_required
def alert_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an alert down before its end date (e.g. visits are back on)."""
    alert = get_object_or_404(Alert.objects.current().select_related("prison"), pk=pk)
    if not policies.can_edit_guide(request.user, alert.prison):
        raise Http404
    services.end_alert(acting_user(request), alert)
    messages.success(request, "The alert has been taken down.")
    return redirect("prisons:detail", code=alert.prison_id)


@require_safe
@moderator_required
def tip_queue(request: HttpRequest) -> HttpResponse:
    """Tips waiting for approval, and tips hidden after flags, oldest first."""
    tips = list(
        Tip.objects.filter(status__in=[Tip.Status.PENDING, Tip.Status.HIDDEN])
        .select_related("prison", "author")
        .defer("prison__record")
        .order_by("created_at", "pk")
    )
    return render(request, "prisons/tip_queue.html", {"tips": tips})


@require_POST
@moderator_required
def tip_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    tip = get_object_or_404(
        Tip.objects.filter(status__in=[Tip.Status.PENDING, Tip.Status.HIDDEN]), pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    services.moderate_tip(acting_user(request), tip, approve=approve)
    messages.success(request, "Tip published." if approve else "Tip not published.")
    return redirect("prisons:tip_queue")


@require_POST
@staff_required
def tip_check(request: HttpRequest, pk: int) -> HttpResponse:
    tip = get_object_or_404(Tip.objects.published().select_related("prison"), pk=pk)
    if not policies.can_mark_checked(request.user, tip.prison):
        raise Http404
    services.mark_checked(acting_user(request), tip)
    messages.success(request, "Marked as checked today.")
    return redirect(f"{reverse('prisons:detail', args=[tip.prison_id])}#tip-{tip.pk}")


@require_http_methods(["GET", "POST"])
@staff_required
def partners(request: HttpRequest) -> HttpResponse:
    """The prisons a manager's organisation works in: its staff keep those prisons' guides."""
    organisation = policies.managed_organisation(request.user)
    if organisation is None:
        raise Http404
    ours = list(
        PrisonPartner.objects.filter(organisation=organisation)
        .select_related("prison")
        .only("prison__code", "prison__name", "added_at")
    )
    form = PartnerForm(request.POST or None, exclude=[p.prison_id for p in ours])
    if request.method == "POST" and form.is_valid():
        prison = form.cleaned_data["prison"]
        services.add_partner(acting_user(request), organisation, prison)
        messages.success(request, f"Added. Your staff can now keep {prison.name}'s guide.")
        return redirect("prisons:partners")
    context = {"organisation": organisation, "partners": ours, "form": form}
    return render(request, "prisons/partners.html", context)


@require_POST
@staff_required
def partner_remove(request: HttpRequest, code: str) -> HttpResponse:
    organisation = policies.managed_organisation(request.user)
    if organisation is None:
        raise Http404
    prison = _prison(code)
    if not services.remove_partner(acting_user(request), organisation, prison):
        raise Http404
    messages.success(request, f"Removed {prison.name} from your organisation's prisons.")
    return redirect("prisons:partners")
