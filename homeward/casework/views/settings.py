"""Managers: the organisation's partners and the routing rules that suggest them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.casework import policies
from homeward.casework.access import get_partner_for, get_rule_for
from homeward.casework.forms.settings import PartnerForm, RuleForm
from homeward.casework.models import Partner, RoutingRule
from homeward.casework.services import onward as onward_actions
from homeward.casework.views.common import casework_staff, me, organisation


def _managers_only(request: HttpRequest) -> None:
    if not policies.can_change_settings(me(request)):
        raise Http404


@require_safe
@casework_staff
def partners(request: HttpRequest) -> HttpResponse:
    """The organisation's partners (current, then retired) and its routing rules."""
    _managers_only(request)
    org = organisation(request)
    rows = list(Partner.objects.filter(organisation=org).select_related("directory_service"))
    rules = list(RoutingRule.objects.filter(organisation=org).select_related("partner"))
    return render(
        request,
        "casework/partners.html",
        {
            "current": [p for p in rows if p.retired_at is None],
            "retired": [p for p in rows if p.retired_at is not None],
            "rules": rules,
        },
    )


@require_http_methods(["GET", "POST"])
@casework_staff
def partner_add(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    org = organisation(request)
    form = PartnerForm(
        request.POST or None, organisation=org, service_query=request.GET.get("service_q", "")
    )
    if request.method == "POST" and form.is_valid():
        partner = onward_actions.save_partner(me(request), org, form.cleaned_data)
        messages.success(request, f"{partner.name} added.")
        return redirect("casework:partners")
    return render(request, "casework/partner_form.html", {"form": form, "partner": None})


@require_http_methods(["GET", "POST"])
@casework_staff
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for(me(request), pk)
    org = organisation(request)
    form = PartnerForm(
        request.POST or None,
        organisation=org,
        partner=partner,
        service_query=request.GET.get("service_q", ""),
    )
    if request.method == "POST" and form.is_valid():
        onward_actions.save_partner(me(request), org, form.cleaned_data, partner)
        messages.success(request, f"{partner.name} saved.")
        return redirect("casework:partners")
    return render(request, "casework/partner_form.html", {"form": form, "partner": partner})


@require_http_methods(["GET", "POST"])
@casework_staff
def rule_add(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    org = organisation(request)
    form = RuleForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        onward_actions.save_rule(me(request), org, form.cleaned_data)
        messages.success(request, "Routing rule added.")
        return redirect("casework:partners")
    return render(request, "casework/rule_form.html", {"form": form, "rule": None})


@require_http_methods(["GET", "POST"])
@casework_staff
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for(me(request), pk)
    org = organisation(request)
    form = RuleForm(request.POST or None, organisation=org, rule=rule)
    if request.method == "POST" and form.is_valid():
        onward_actions.save_rule(me(request), org, form.cleaned_data, rule)
        messages.success(request, "Routing rule saved.")
        return redirect("casework:partners")
    return render(request, "casework/rule_form.html", {"form": form, "rule": rule})


@require_POST
@casework_staff
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for(me(request), pk)
    onward_actions.delete_rule(me(request), rule)
    messages.success(request, "Routing rule removed.")
    return redirect("casework:partners")
