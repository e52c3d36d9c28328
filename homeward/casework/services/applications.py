"""Prisoner applications: logged with a due date from the organisation's setting, answered
with an explanation; overdue lists and median response times."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from homeward.casework.models import Application, Case
from homeward.casework.services.common import settings_for
from homeward.core import audit

if TYPE_CHECKING:
    from homeward.accounts.models import User


@transaction.atomic
def log_application(actor: User, case: Case, received_on: date, request: str) -> Application:
    days = settings_for(case.organisation).application_due_days
    application = Application.objects.create(
        case=case,
        received_on=received_on,
        request=request,
        due_on=received_on + timedelta(days=days),
        logged_by=actor,
        worker=case.worker,
    )
    audit.record(actor, "casework.application_logged", application, organisation=case.organisation)
    return application


@transaction.atomic
def answer_application(
    actor: User, application: Application, explanation: str, answered_on: date | None = None
) -> None:
    application.status = Application.Status.ANSWERED
    application.explanation = explanation
    application.answered_on = answered_on or timezone.localdate()
    application.answered_by = actor
    application.save(update_fields=["status", "explanation", "answered_on", "answered_by"])
    audit.record(
        actor, "casework.application_answered", application,
        organisation=application.case.organisation, days=application.days_to_answer,
    )  # fmt: skip


def median_days_by_worker(cases: object, since: date | None = None) -> dict[int | None, float]:
    """Median days from receipt to answer, per worker, over applications on `cases` answered
    since `since` (a year by default). One query."""
    since = since or timezone.localdate() - timedelta(days=365)
    rows = Application.objects.filter(
        case__in=cases, status=Application.Status.ANSWERED, answered_on__gte=since
    ).values_list("worker_id", "received_on", "answered_on")
    days: dict[int | None, list[int]] = defaultdict(list)
    for worker_id, received, answered in rows:
        if answered is not None:
            days[worker_id].append((answered - received).days)
    return {worker: statistics.median(values) for worker, values in days.items()}
