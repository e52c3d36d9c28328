"""Prisoner applications: due dates, answers, the overdue list, median times per worker."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.casework.models import Application
from homeward.casework.services import applications
from homeward.casework.services.common import settings_for


def test_the_due_date_comes_from_the_organisation_setting(client, worker_a, case_a, org_a):
    found = settings_for(org_a)
    found.application_due_days = 5
    found.save(update_fields=["application_due_days"])
    sign_in(client, worker_a)
    received = timezone.localdate() - timedelta(days=1)
    client.post(
        reverse("casework:application_add", args=[case_a.pk]),
        {"received_on": received.isoformat(), "request": "Please ring my partner"},
    )
    application = Application.objects.get()
    assert application.due_on == received + timedelta(days=5)
    assert application.worker == worker_a


def test_overdue_applications_show_on_today_and_the_list(client, worker_a, case_a):
    old = timezone.localdate() - timedelta(days=20)
    late = applications.log_application(worker_a, case_a, old, "Send a birthday card")
    applications.log_application(worker_a, case_a, timezone.localdate(), "Book a visit")
    sign_in(client, worker_a)
    today = client.get(reverse("casework:today")).content.decode()
    assert "Send a birthday card" in today and "Book a visit" not in today
    page = client.get(reverse("casework:applications")).content.decode()
    assert "1 overdue" in page
    client.post(
        reverse("casework:application", args=[late.pk]),
        {"explanation": "Card sent via the chaplaincy."},
    )
    late.refresh_from_db()
    assert late.status == Application.Status.ANSWERED and late.days_to_answer == 20


def test_median_response_days_per_worker(worker_a, manager_a, case_a):
    today = timezone.localdate()
    for days in (1, 3, 8):
        found = applications.log_application(worker_a, case_a, today - timedelta(days=days), "x")
        applications.answer_application(worker_a, found, "y", answered_on=today)
    applications.log_application(worker_a, case_a, today, "still waiting")
    from homeward.casework.models import Case

    assert applications.median_days_by_worker(Case.objects.all()) == {worker_a.pk: 3}


def test_answer_needs_an_explanation(client, worker_a, case_a):
    found = applications.log_application(worker_a, case_a, timezone.localdate(), "x")
    sign_in(client, worker_a)
    page = client.post(
        reverse("casework:application", args=[found.pk]), {"explanation": ""}
    ).content.decode()
    assert "Write the answer you gave." in page
