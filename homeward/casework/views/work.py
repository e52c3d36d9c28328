"""Staff: applications, onward referrals, safeguarding, caseloads, today, export, settings."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_safe

from homeward.accounts.models import STAFF_ROLES, Membership
from homeward.casework import policies
from homeward.casework.access import (
    get_application_for,
    get_case_for,
    get_concern_for,
    get_onward_for,
)
from homeward.casework.forms.cases import (
    AnswerForm,
    ApplicationForm,
    ConcernForm,
    DecisionForm,
    ExportForm,
    OnwardForm,
    OnwardResponseForm,
    RestrictionForm,
)
from homeward.casework.forms.settings import SettingsForm, find_services, service_label
from homeward.casework.models import (
    Application,
    Case,
    CaseworkSettings,
    Partner,
    PlanAction,
    Referral,
)
from homeward.casework.models.cases import OPEN_STAGES, DaysAgo
from homeward.casework.services import applications as application_actions
from homeward.casework.services import onward as onward_actions
from homeward.casework.services import safeguarding as safeguarding_actions
from homeward.casework.services.consent import ConsentRequired
from homeward.casework.services.export import export_cases
from homeward.casework.views.cases import _case_form, filtered_cases
from homeward.casework.views.common import (
    casework_staff,
    me,
    membership,
    org_settings,
    organisation,
)
from homeward.core.ratelimit import rate_limit
from homeward.directory.models import Service

# Applications ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@casework_staff
def application_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: ApplicationForm) -> str:
        found = application_actions.log_application(
            me(request), case, form.cleaned_data["received_on"], form.cleaned_data["request"]
        )
        return f"Logged. Answer by {found.due_on:%-d %B}."

    return _case_form(
        request, pk, ApplicationForm, "Log an application from the person in prison", save
    )


@require_http_methods(["GET", "POST"])
@casework_staff
def application_answer(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(me(request), pk)
    form = AnswerForm(request.POST or None, initial={"explanation": application.explanation})
    if request.method == "POST" and form.is_valid():
        application_actions.answer_application(
            me(request), application, form.cleaned_data["explanation"]
        )
        messages.success(request, "Answer recorded.")
        return redirect("casework:case", pk=application.case_id)
    return render(
        request,
        "casework/application.html",
        {"application": application, "form": form, "case": application.case},
    )


@require_safe
@casework_staff
def applications(request: HttpRequest) -> HttpResponse:
    """Overdue and waiting applications on the cases I can see, and median answer times."""
    cases = Case.objects.visible_to(me(request))
    waiting = list(
        Application.objects.waiting()
        .filter(case__in=cases)
        .select_related("case__family", "worker")
        .only(
            "pk",
            "received_on",
            "due_on",
            "request",
            "status",
            "case__reference",
            "case__family__name",
            "worker__username",
            "worker__display_name",
            "worker__erased_at",
        )
        .order_by("due_on", "pk")[:200]
    )
    medians = application_actions.median_days_by_worker(cases)
    names = dict(
        Membership.objects.filter(
            organisation=organisation(request), user_id__in=[k for k in medians if k]
        ).values_list("user_id", "user__display_name")
    )
    rows = sorted(
        ((names.get(k, "Unassigned") if k else "Unassigned", v) for k, v in medians.items())
    )
    today = timezone.localdate()
    return render(
        request, "casework/applications.html",
        {"waiting": waiting, "medians": rows, "today": today,
         "overdue": sum(1 for a in waiting if a.due_on < today)},
    )  # fmt: skip


# Onward referrals ------------------------------------------------------------------------------


def _destinations(
    case: Case, service_query: str, chosen: str
) -> tuple[list[tuple[str, str]], list[Any], list[Service]]:
    """What the worker may refer to: the partners the routing rules suggest first, the other
    current partners, then Directory services found by name (and the one already chosen)."""
    children = [p for p in case.family.people.all() if p.kind == "child"]
    suggested = onward_actions.suggestions(case, children)
    first = {s.partner.pk for s in suggested}
    partners = list(Partner.objects.current().filter(organisation_id=case.organisation_id))
    kept = None
    chosen_id = (
        _uuid_or_none(chosen.removeprefix("service:")) if chosen.startswith("service:") else None
    )
    if chosen_id is not None:
        kept = Service.objects.listed().select_related("organization").filter(pk=chosen_id).first()
    services = find_services(service_query, kept)
    choices = [
        (
            f"partner:{s.partner.pk}",
            _partner_label(
                s.partner,
                f" (suggested for {', '.join(f'{c.name}, {c.age}' for c in s.children)})",
            ),
        )
        for s in suggested
    ] + [(f"partner:{p.pk}", _partner_label(p)) for p in partners if p.pk not in first]
    choices += [(f"service:{s.pk}", f"{service_label(s)}, from the Directory") for s in services]
    return choices, suggested, services


def _partner_label(partner: Partner, suggested: str = "") -> str:
    offers = Truncator(" ".join(partner.offers.split())).chars(90)
    return f"{partner.name}{suggested}{': ' + offers if offers else ''}"


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@casework_staff
def onward_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the family to a partner (suggested from the children's ages) or to a Directory
    service found by name (a GET search, so it works without JavaScript)."""
    user = me(request)
    case = get_case_for(user, pk)
    service_query = request.POST.get("service_q") or request.GET.get("service_q", "")
    choices, suggested, services = _destinations(
        case, service_query, request.POST.get("destination", "")
    )
    form = OnwardForm(
        request.POST or None,
        choices=choices,
        manager=policies.can_override_consent(user),
        initial={"destination": choices[0][0] if suggested else None},
    )
    if request.method == "POST" and form.is_valid():
        kind, _, key = form.cleaned_data["destination"].partition(":")
        partner = service = None
        if kind == "partner":
            partner = Partner.objects.current().get(organisation_id=case.organisation_id, pk=key)
        else:
            service = next(s for s in services if str(s.pk) == key)
        try:
            made = onward_actions.refer_onward(
                user, case, reason=form.cleaned_data["reason"], partner=partner, service=service,
                override_reason=form.cleaned_data.get("override_reason", ""),
            )  # fmt: skip
        except ConsentRequired as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Referred to {made.recipient_name}.")
            return redirect("casework:case", pk=case.pk)
    return render(
        request,
        "casework/onward_new.html",
        {
            "case": case, "form": form, "suggested": suggested, "service_query": service_query,
            "services_found": [s for s in services if service_query],
        },
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@casework_staff
def onward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the partner's answer and the outcome; tell the family (action=tell)."""
    onward = get_onward_for(me(request), pk)
    if request.method == "POST" and request.POST.get("action") == "tell":
        told = onward_actions.tell_family(me(request), onward)
        if told:
            messages.success(request, "The family has been told.")
        else:
            messages.error(
                request,
                "We have no account or e-mail address for this family: tell them another way.",
            )
        return redirect("casework:onward", pk=onward.pk)
    form = OnwardResponseForm(
        request.POST or None,
        initial={
            "status": onward.status,
            "response_reason": onward.response_reason,
            "outcome": onward.outcome,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        onward_actions.record_response(
            me(request), onward, d["status"], d["response_reason"], d["outcome"]
        )
        messages.success(request, "Saved.")
        return redirect("casework:case", pk=onward.case_id)
    return render(
        request, "casework/onward.html", {"onward": onward, "form": form, "case": onward.case}
    )


# Safeguarding ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@casework_staff
def restriction_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: RestrictionForm) -> str:
        safeguarding_actions.add_restriction(me(request), case, form.cleaned_data)
        return "Restriction recorded. It shows at the top of the case."

    return _case_form(request, pk, RestrictionForm, "No contact with children", save)


@require_http_methods(["GET", "POST"])
@casework_staff
def concern_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: ConcernForm) -> str:
        safeguarding_actions.raise_concern(me(request), case, form.cleaned_data["description"])
        return "Concern sent to your safeguarding lead."

    return _case_form(request, pk, ConcernForm, "Raise a safeguarding concern", save)


@require_http_methods(["GET", "POST"])
@casework_staff
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    concern = get_concern_for(user, pk)
    if (
        not policies.can_decide_concern(user, org_settings(request))
        and concern.raised_by_id != user.pk
    ):
        raise Http404
    may_decide = policies.can_decide_concern(user, org_settings(request))
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        safeguarding_actions.decide_concern(
            user, concern, form.cleaned_data["decision"], form.cleaned_data["decision_notes"]
        )
        messages.success(request, "Decision recorded.")
        return redirect("casework:concern", pk=concern.pk)
    audit_org = membership(request).organisation
    from homeward.core import audit

    audit.log_access(user, concern, organisation=audit_org)
    return render(request, "casework/concern.html", {"concern": concern, "form": form})


# Caseloads, today, export, settings ------------------------------------------------------------


@require_safe
@casework_staff
def caseloads(request: HttpRequest) -> HttpResponse:
    """Every worker's open cases against the optimum, and how many have had no contact for a
    while: one query (managers see every worker; others see their team)."""
    user = me(request)
    own = membership(request)
    open_cases = Q(
        user__casework_cases__organisation=F("organisation"),
        user__casework_cases__stage__in=OPEN_STAGES,
        user__casework_cases__anonymised_at__isnull=True,
    )
    cutoff = DaysAgo(F("organisation__casework_settings__no_contact_days"))
    quiet = Q(user__casework_cases__last_contact_at__lt=cutoff) | Q(
        user__casework_cases__last_contact_at__isnull=True,
        user__casework_cases__opened_at__lt=cutoff,
    )
    staff = Membership.objects.filter(organisation_id=own.organisation_id, role__in=STAFF_ROLES)
    if not policies.is_casework_manager(user):
        staff = staff.filter(Q(role=own.role) | Q(user=user))
    rows = list(
        staff.select_related("user", "organisation__casework_settings")
        .only(
            "role",
            "user_id",
            "organisation_id",
            "user__username",
            "user__display_name",
            "user__erased_at",
            "organisation__id",
            "organisation__casework_settings__caseload_optimum",
            "organisation__casework_settings__no_contact_days",
        )
        .annotate(
            open=Count("user__casework_cases", filter=open_cases),
            quiet=Count("user__casework_cases", filter=open_cases & quiet),
        )
        .order_by("user__display_name", "user__username")
    )
    settings = rows[0].organisation.casework_settings if rows else org_settings(request)
    optimum = max(settings.caseload_optimum, 1)
    for row in rows:
        row.percent = min(100, round(100 * row.open / optimum))  # type: ignore[attr-defined]
        row.over = row.open > settings.caseload_optimum  # type: ignore[attr-defined]
    return render(request, "casework/caseloads.html", {"rows": rows, "settings": settings})


@require_safe
@casework_staff
def today(request: HttpRequest) -> HttpResponse:
    """A worker's day: overdue applications, actions due this week, new referrals."""
    user = me(request)
    day = timezone.localdate()
    mine = Case.objects.visible_to(user).filter(worker=user)
    overdue = list(
        Application.objects.overdue(day)
        .filter(case__in=mine)
        .select_related("case")
        .only("pk", "due_on", "request", "case__reference", "case_id")[:50]
    )
    due = list(
        PlanAction.objects.outstanding()
        .filter(Q(owner=user) | Q(owner__isnull=True, case__worker=user), case__stage__in=OPEN_STAGES,
                case__organisation=organisation(request), due_on__lte=day + timedelta(days=7))
        .select_related("case").only("pk", "description", "due_on", "case__reference", "case_id")
        .order_by("due_on", "pk")[:50]
    )  # fmt: skip
    new = Referral.objects.visible_to(user).waiting()
    context = {
        "overdue": overdue, "due": due, "new_count": new.count(),
        "new": list(new.only("pk", "reference", "family_name", "created_at", "source").order_by("created_at")[:10]),
        "open_count": mine.open().count(), "settings": org_settings(request), "today": day,
        "is_manager": policies.is_casework_manager(user),
        "organisation": organisation(request),
    }  # fmt: skip
    return render(request, "casework/today.html", context)


@require_http_methods(["GET", "POST"])
@casework_staff
@rate_limit("casework_export", key="user")
def export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV, names only where the family agreed to share."""
    user = me(request)
    _filters, cases = filtered_cases(request)
    form = ExportForm(request.POST or None)
    if not policies.can_override_consent(user):
        del form.fields["override_reason"]
    if request.method == "POST" and form.is_valid():
        try:
            text = export_cases(
                user,
                list(cases[:5000]),
                form.cleaned_data["recipient"],
                form.cleaned_data.get("override_reason", ""),
            )
        except ConsentRequired as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="cases-{timezone.localdate():%Y-%m-%d}.csv"'
            )
            response["Cache-Control"] = "private, no-store"
            return response
    return render(
        request,
        "casework/export.html",
        {"form": form, "count": cases.count(), "query": request.GET.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@casework_staff
def settings_edit(request: HttpRequest) -> HttpResponse:
    user = me(request)
    if not policies.can_change_settings(user):
        raise Http404
    org = organisation(request)
    # Read without writing: a first save creates the row, with its audit record, in one go.
    settings = CaseworkSettings.objects.filter(organisation=org).first() or CaseworkSettings(
        organisation=org
    )
    form = SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        from homeward.casework.services.common import save_settings

        save_settings(user, form)
        messages.success(request, "Settings saved.")
        return redirect("casework:settings")
    return render(request, "casework/settings.html", {"form": form})
