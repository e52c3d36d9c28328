"""Staff: the case list, a case, and the changes made on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.casework import policies
from homeward.casework.access import get_attachment_for, get_case_for, get_note_for
from homeward.casework.forms.cases import (
    ActionForm,
    AssessmentForm,
    AttachmentForm,
    CaseFilterForm,
    CloseForm,
    ConferenceForm,
    ConsentForm,
    FeedbackForm,
    NoteForm,
    PersonForm,
    PrisonerForm,
    ReassignForm,
    ReopenForm,
    SavedViewForm,
    StageForm,
)
from homeward.casework.models import (
    Case,
    Consent,
    Note,
    OnwardReferral,
    PlanAction,
    Rating,
    SavedView,
    Stage,
)
from homeward.casework.services import cases as actions
from homeward.casework.services import consent as consent_actions
from homeward.casework.services.common import delete_view, save_view
from homeward.casework.views.common import (
    casework_staff,
    me,
    membership,
    org_settings,
    staff_users,
)
from homeward.core import audit

PAGE = 50
TIMELINE = 50


def filtered_cases(request: HttpRequest) -> tuple[CaseFilterForm, Any]:
    """The visible cases, narrowed by the filter form (shared by the list and the export)."""
    form = CaseFilterForm(request.GET or None)
    user = me(request)
    cases = Case.objects.visible_to(user).for_list()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("worker"):
        cases = cases.filter(worker_id=data["worker"])
    elif data.get("whose", "mine") != "all":
        cases = cases.filter(worker=user)
    cases = cases.filter(stage=data["stage"]) if data.get("stage") else cases.open()
    if data.get("q"):
        q = data["q"].strip()
        cases = cases.filter(Q(reference__iexact=q) | Q(family__name__icontains=q))
    if data.get("quiet"):
        cases = cases.quiet()
    return form, cases.order_by(F("last_contact_at").asc(nulls_first=True), "pk")


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_safe
@casework_staff
def case_list(request: HttpRequest) -> HttpResponse:
    """A worker's caseload (or all they may see), longest without contact first: one query
    (no count; the organisation's settings come with the rows)."""
    form, cases = filtered_cases(request)
    number = _page_number(request)
    rows = list(cases[(number - 1) * PAGE : number * PAGE + 1])
    has_next = len(rows) > PAGE
    rows = rows[:PAGE]
    settings = rows[0].organisation.casework_settings if rows else org_settings(request)
    for case in rows:
        case.quiet = case.no_contact_for(settings.no_contact_days)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "cases": rows, "settings": settings, "query": query.urlencode(),
        "number": number, "has_next": has_next, "has_previous": number > 1,
        "shown_from": (number - 1) * PAGE + 1 if rows else 0,
        "shown_to": (number - 1) * PAGE + len(rows),
    }  # fmt: skip
    return render(request, "casework/case_list.html", context)


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = me(request)
    notes = list(
        Note.objects.filter(case=case)
        .select_related("author")
        .order_by("-happened_at", "-pk")[:TIMELINE]
    )
    return {
        "case": case,
        "people": list(case.family.people.all()),
        "ratings": list(Rating.objects.filter(case=case)),
        "actions": list(case.actions.select_related("owner").order_by("done_at", "due_on", "pk")),
        "notes": notes,
        "attachments": list(case.attachments.only("pk", "name", "size", "created_at", "case_id")),
        "consents": list(Consent.objects.filter(family_id=case.family_id)),
        "applications": list(case.applications.all()),
        "onward": list(OnwardReferral.objects.filter(case=case).select_related("partner")),
        "restrictions": list(case.restrictions.in_force()),
        "concerns": list(case.concerns.select_related("raised_by")),
        "conferences": list(
            case.conferences.prefetch_related(
                Prefetch("actions", queryset=PlanAction.objects.all())
            )
        ),
        "assignments": list(case.assignments.select_related("worker", "assigned_by")[:10]),
        "can_read_sensitive": policies.can_read_sensitive(user, case),
        "is_manager": policies.is_casework_manager(user),
        "settings": org_settings(request),
        "today": timezone.localdate(),
    }


@require_safe
@casework_staff
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(me(request), pk)
    audit.log_access(me(request), case, organisation=case.organisation)
    return render(request, "casework/case.html", _case_context(request, case))


@require_safe
@casework_staff
def case_viewers(request: HttpRequest, pk: int) -> HttpResponse:
    """Who viewed this case, its notes and files (managers only)."""
    user = me(request)
    case = get_case_for(user, pk)
    if not policies.can_see_viewers(user):
        raise Http404
    views = list(audit.viewers_of(case)[:200])
    return render(request, "casework/case_viewers.html", {"case": case, "views": views})


@require_POST
@casework_staff
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(me(request), pk)
    form = StageForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.CaseError("Choose a stage.")
        actions.change_stage(me(request), case, form.cleaned_data["stage"])
        messages.success(request, f"Moved to {Stage(form.cleaned_data['stage']).label.lower()}.")
    except actions.CaseError as error:
        messages.error(request, str(error))
    return redirect("casework:case", pk=case.pk)


@require_POST
@casework_staff
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(me(request), pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.CaseError("Give the reason for reopening.")
        actions.reopen(me(request), case, form.cleaned_data["reason"])
        messages.success(request, "The case is open again.")
    except actions.CaseError as error:
        messages.error(request, str(error))
    return redirect("casework:case", pk=case.pk)


@require_http_methods(["GET", "POST"])
@casework_staff
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    case = get_case_for(user, pk)
    if not policies.can_reassign(user):
        raise Http404
    form = ReassignForm(request.POST or None, staff=staff_users(case.organisation))
    if request.method == "POST" and form.is_valid():
        try:
            actions.reassign(user, case, form.cleaned_data["worker"], form.cleaned_data["reason"])
        except actions.CaseError as error:
            form.add_error("worker", str(error))
        else:
            messages.success(
                request,
                f"Case {case.reference} passed to {form.cleaned_data['worker'].public_name}.",
            )
            return redirect("casework:case", pk=case.pk)
    history = list(case.assignments.select_related("worker", "assigned_by"))
    return render(
        request, "casework/reassign.html", {"case": case, "form": form, "history": history}
    )


def _case_form(
    request: HttpRequest, pk: int, form_class: Any, title: str, save: Any, **form_kwargs: Any
) -> HttpResponse:
    """The pattern of every small form on a case: show it, check it, save through a service."""
    case = get_case_for(me(request), pk)
    kwargs = {k: (v(case) if callable(v) else v) for k, v in form_kwargs.items()}
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            message = save(case, form)
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("casework:case", pk=case.pk)
    return render(request, "casework/case_form.html", {"case": case, "form": form, "title": title})


@require_http_methods(["GET", "POST"])
@casework_staff
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: PersonForm) -> str:
        actions.add_person(me(request), case, form.cleaned_data)
        return "Added to the family."

    return _case_form(request, pk, PersonForm, "Add a family member", save)


@require_http_methods(["GET", "POST"])
@casework_staff
def prisoner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: PrisonerForm) -> str:
        actions.update_prisoner(me(request), case, form.cleaned_data)
        return "Saved."

    return _case_form(
        request, pk, PrisonerForm, "The family member in prison", save,
        initial=lambda c: {
            "prisoner_name": c.prisoner_name, "prison_number": c.prison_number,
            "prison": c.prison_id, "expected_release": c.expected_release,
        },
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@casework_staff
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: AssessmentForm) -> str:
        actions.save_assessment(me(request), case, form.ratings())
        return "Assessment saved."

    return _case_form(
        request, pk, AssessmentForm, "Needs assessment", save,
        ratings=lambda c: list(Rating.objects.filter(case=c)),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@casework_staff
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: ActionForm) -> str:
        actions.add_action(me(request), case, form.cleaned_data)
        return "Added to the plan."

    return _case_form(
        request, pk, ActionForm, "Add to the plan", save,
        staff=lambda c: staff_users(c.organisation),
    )  # fmt: skip


@require_POST
@casework_staff
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        PlanAction.objects.filter(case__in=Case.objects.visible_to(me(request))).select_related(
            "case__organisation"
        ),
        pk=pk,
    )
    actions.complete_action(me(request), action)
    messages.success(request, "Marked as done.")
    return redirect("casework:case", pk=action.case_id)


@require_http_methods(["GET", "POST"])
@casework_staff
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: NoteForm) -> str:
        d = form.cleaned_data
        actions.add_note(
            me(request), case, kind=d["kind"], body=d["body"], sensitive=d["sensitive"],
            happened_at=form.happened_at(),
        )  # fmt: skip
        return "Added to the timeline."

    return _case_form(request, pk, NoteForm, "Add a contact or note", save)


@require_safe
@casework_staff
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One note in full; sensitive notes open only here, and every opening is logged."""
    note = get_note_for(me(request), pk)
    audit.log_access(me(request), note, organisation=membership(request).organisation)
    return render(request, "casework/note.html", {"note": note, "case": note.case})


@require_http_methods(["GET", "POST"])
@casework_staff
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: AttachmentForm) -> str:
        actions.add_attachment(me(request), case, form.cleaned_data["file"], form.content_type)
        return "File kept with the case."

    return _case_form(request, pk, AttachmentForm, "Add a file", save)


@require_safe
@casework_staff
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A private file, through the access check (never a public URL), logged."""
    attachment = get_attachment_for(me(request), pk)
    audit.log_access(me(request), attachment, organisation=membership(request).organisation)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a FileResponse streams the file


@require_http_methods(["GET", "POST"])
@casework_staff
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: ConsentForm) -> str:
        consent_actions.record_consent(me(request), case, form.cleaned_data)
        return "Consent recorded."

    return _case_form(request, pk, ConsentForm, "Record consent", save)


@require_POST
@casework_staff
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = get_case_for(me(request), pk)
    consent = get_object_or_404(Consent, pk=consent_pk, family_id=case.family_id)
    consent_actions.withdraw_consent(me(request), case, consent)
    messages.success(request, "Consent marked as withdrawn. Nothing more will be shared under it.")
    return redirect("casework:case", pk=case.pk)


@require_http_methods(["GET", "POST"])
@casework_staff
def conference_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: ConferenceForm) -> str:
        data = {k: form.cleaned_data[k] for k in ("held_on", "place", "participants", "notes")}
        actions.add_conference(me(request), case, data, form.action_rows())
        return "Family conference recorded."

    return _case_form(request, pk, ConferenceForm, "Family conference", save)


@require_http_methods(["GET", "POST"])
@casework_staff
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Case, form: CloseForm) -> str:
        actions.close_case(
            me(request), case, form.outcomes(), form.cleaned_data["summary"],
            ask_family=form.cleaned_data["ask_family"],
        )  # fmt: skip
        return "Case closed."

    return _case_form(
        request, pk, CloseForm, "Close the case", save,
        domains=lambda c: [r.domain for r in Rating.objects.filter(case=c, level__gt=0)],
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@casework_staff
def case_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper answer to the closing question, typed in by staff."""

    def save(case: Case, form: FeedbackForm) -> str:
        actions.record_satisfaction(
            case, form.cleaned_data["score"], form.cleaned_data["comment"], actor=me(request)
        )
        return "The family's answer is recorded."

    return _case_form(request, pk, FeedbackForm, "The family's answer (paper)", save)


@require_http_methods(["GET", "POST"])
@casework_staff
def saved_views(request: HttpRequest) -> HttpResponse:
    """A member's saved case-list filters; POST (from the case list) keeps one more."""
    user = me(request)
    form = SavedViewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        view = save_view(user, membership(request).organisation, form.cleaned_data["name"],
                         form.cleaned_data["query"])  # fmt: skip
        messages.success(request, f"Saved as “{view.name}”. Open it from this list any time.")
        return redirect("casework:saved_views")
    views = list(SavedView.objects.filter(user=user, organisation=membership(request).organisation))
    return render(request, "casework/saved_views.html", {"views": views, "form": form})


@require_POST
@casework_staff
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not delete_view(me(request), pk):
        raise Http404
    messages.success(request, "View removed.")
    return redirect("casework:saved_views")
