"""The retention clock, with a frozen clock: closed cases past the organisation's retention
period are anonymised by the scheduled job; others are left alone."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from homeward.casework import factories
from homeward.casework.models import Case, Family, Note, Person, Referral
from homeward.casework.services import cases as actions
from homeward.casework.services.common import settings_for
from homeward.casework.services.retention import ANONYMISED, apply_retention
from homeward.core import schedule

CLOSED = datetime(2019, 3, 1, 12, tzinfo=UTC)


def _closed_case(org, worker, name):
    with time_machine.travel(CLOSED, tick=False):
        case = factories.make_case(
            org, worker, family_name=name, children=(("Zoe", factories.child_born(9)),)
        )
        actions.add_note(worker, case, kind="phone", body="Private words", sensitive=True)
        actions.close_case(worker, case, {}, "Closed well", ask_family=False)
    return case


def test_the_job_is_registered_with_the_scheduler():
    assert "casework.retention" in {job.name for job in schedule.jobs()}


def test_closed_cases_past_retention_are_anonymised(org_a, org_b, worker_a, worker_b):
    old = _closed_case(org_a, worker_a, "Coleman")
    other_org = _closed_case(org_b, worker_b, "Patel")
    b_settings = settings_for(org_b)
    b_settings.retention_years = 10
    b_settings.save(update_fields=["retention_years"])
    open_case = factories.make_case(org_a, worker_a, family_name="Open")
    with time_machine.travel(datetime(2025, 2, 27, tzinfo=UTC), tick=False):
        assert apply_retention() == 0  # six years are not up yet
    with time_machine.travel(datetime(2025, 3, 3, tzinfo=UTC), tick=False):
        assert apply_retention() == 1
        assert apply_retention() == 0  # safe to run again
    old.refresh_from_db()
    assert old.anonymised_at is not None and old.prisoner_name == ""
    assert old.family.name == ANONYMISED and not Person.objects.filter(family=old.family).exists()
    assert not Note.objects.filter(case=old).exists()
    assert Referral.objects.get(case=old).family_name == ANONYMISED
    assert not Case.objects.visible_to(worker_a).filter(pk=old.pk).exists()
    other_org.refresh_from_db()
    open_case.refresh_from_db()
    assert other_org.anonymised_at is None and open_case.anonymised_at is None
    assert Family.objects.filter(name="Patel").exists()


def test_a_cases_audit_trail_outlives_the_general_period_then_goes_with_the_case(
    org_a, worker_a, manager_a
):
    from homeward.core import audit
    from homeward.core.models import AuditEvent
    from homeward.core.retention import purge_expired

    case = _closed_case(org_a, worker_a, "Coleman")
    with time_machine.travel(CLOSED, tick=False):
        audit.log_access(manager_a, case, organisation=org_a)
    trail = AuditEvent.objects.for_target("casework.case", case.pk)
    assert trail.exists()
    with time_machine.travel(datetime(2024, 1, 1, tzinfo=UTC), tick=False):
        purge_expired()  # nearly five years on: past core's two years, but the case is kept
    assert trail.exists()
    with time_machine.travel(datetime(2025, 3, 3, tzinfo=UTC), tick=False):
        apply_retention()
    actions_left = set(trail.values_list("action", flat=True))
    assert actions_left == {"casework.case_anonymised"}
    assert not AuditEvent.objects.filter(target_type="casework.note").exists()
