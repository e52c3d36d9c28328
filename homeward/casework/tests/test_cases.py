"""The case page and the work on it: stages, assessment, plan, timeline, safeguarding,
conferences, reassignment and closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories as people
from homeward.accounts.models import Role
from homeward.casework import factories
from homeward.casework.models import Case, Concern, NeedOutcome, Rating, Stage
from homeward.casework.safeguarding import has_child_contact_restriction
from homeward.casework.services import cases as actions
from homeward.casework.services import safeguarding
from homeward.casework.services.common import settings_for
from homeward.core.models import AuditEvent, Notification


def test_the_case_page_shows_the_family_with_ages_and_the_person_in_prison(
    client, worker_a, case_a, lewes
):
    Case.objects.filter(pk=case_a.pk).update(prison=lewes, prison_number="A1234BC")
    sign_in(client, worker_a)
    page = client.get(reverse("casework:case", args=[case_a.pk])).content.decode()
    assert "Zoe, 9" in page and "Cara, 3" in page
    assert "Geoff Coleman" in page and "A1234BC" in page and "Lewes" in page
    assert "prison" not in page.split("<title>")[1].split("</title>")[0].lower()


def test_stages_move_forward_close_and_reopen(client, worker_a, case_a):
    sign_in(client, worker_a)
    url = reverse("casework:case_stage", args=[case_a.pk])
    client.post(url, {"stage": "support"})  # not allowed from new
    case_a.refresh_from_db()
    assert case_a.stage == Stage.NEW
    for stage in ("assessment", "plan", "support"):
        client.post(url, {"stage": stage})
    case_a.refresh_from_db()
    assert case_a.stage == Stage.SUPPORT
    actions.close_case(worker_a, case_a, {}, "Done", ask_family=False)
    client.post(reverse("casework:case_reopen", args=[case_a.pk]), {"reason": "Dad recalled"})
    case_a.refresh_from_db()
    assert case_a.stage == Stage.SUPPORT and case_a.closed_at is None


def test_the_assessment_rates_every_fixed_domain(client, worker_a, case_a):
    sign_in(client, worker_a)
    url = reverse("casework:assessment", args=[case_a.pk])
    data = {
        f"{d}_level": "1" for d in ("children", "contact", "visits", "money", "emotional", "school")
    }
    page = client.post(url, data | {"children_notes": "Zoe anxious"}).content.decode()
    assert "Rate safeguarding." in page and not Rating.objects.exists()
    client.post(url, data | {"safeguarding_level": "0", "children_notes": "Zoe anxious"})
    assert Rating.objects.filter(case=case_a).count() == 7
    assert Rating.objects.get(domain="children").notes == "Zoe anxious"
    case_a.refresh_from_db()
    assert case_a.stage == Stage.ASSESSMENT


def test_plan_actions_have_owners_and_due_dates(client, worker_a, case_a):
    sign_in(client, worker_a)
    url = reverse("casework:action_add", args=[case_a.pk])
    assert (
        "Choose who will do it" in client.post(url, {"description": "Ring school"}).content.decode()
    )
    due = timezone.localdate() + timedelta(days=3)
    client.post(
        url, {"description": "Ring school", "owner": worker_a.pk, "due_on": due.isoformat()}
    )
    action = case_a.actions.get()
    assert action.owner == worker_a and action.due_on == due
    client.post(reverse("casework:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_at is not None


def test_a_contact_updates_last_contact_but_a_plain_note_does_not(client, worker_a, case_a):
    sign_in(client, worker_a)
    url = reverse("casework:note_add", args=[case_a.pk])
    today = timezone.localdate().isoformat()
    client.post(url, {"kind": "note", "body": "Thinking", "happened_on": today})
    case_a.refresh_from_db()
    assert case_a.last_contact_at is None
    client.post(url, {"kind": "phone", "body": "Rang Steph", "happened_on": today})
    case_a.refresh_from_db()
    assert case_a.last_contact_at is not None
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert (
        "can&#x27;t be in the future"
        in client.post(url, {"kind": "phone", "body": "x", "happened_on": future}).content.decode()
    )


def test_a_no_contact_restriction_is_prominent_and_answers_other_apps(
    client, worker_a, case_a, org_a, org_b
):
    Case.objects.filter(pk=case_a.pk).update(prison_number="A1234BC")
    assert not has_child_contact_restriction(org_a, prison_number="A1234BC")
    sign_in(client, worker_a)
    client.post(
        reverse("casework:restriction_add", args=[case_a.pk]),
        {"source": "Public Protection Unit", "starts_on": timezone.localdate().isoformat()},
    )
    case_a.refresh_from_db()
    assert case_a.has_child_restriction
    page = client.get(reverse("casework:case", args=[case_a.pk])).content.decode()
    assert "No contact with children" in page and "Public Protection Unit" in page
    assert has_child_contact_restriction(org_a, prison_number="a1234bc")
    assert has_child_contact_restriction(org_a, prisoner_name="Geoff Coleman")
    assert not has_child_contact_restriction(org_b, prison_number="A1234BC")
    tomorrow_year = timezone.localdate() - timedelta(days=1)
    assert not has_child_contact_restriction(org_a, prison_number="A1234BC", on=tomorrow_year)


def test_a_concern_goes_to_the_safeguarding_lead_who_logs_a_decision(
    client, worker_a, manager_a, org_a, case_a
):
    lead = people.make_member("lead-a", org_a, Role.ADVOCATE)
    found = settings_for(org_a)
    found.safeguarding_lead = lead
    found.save(update_fields=["safeguarding_lead"])
    sign_in(client, worker_a)
    client.post(
        reverse("casework:concern_add", args=[case_a.pk]), {"description": "Bruise on Cara's arm"}
    )
    concern = Concern.objects.get()
    note = Notification.objects.get(kind="casework.concern")
    assert note.recipient == lead and "prison" not in note.title.lower()
    url = reverse("casework:concern", args=[concern.pk])
    assert client.post(url, {"decision": "refer", "decision_notes": "x"}).status_code == 200
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RAISED  # the worker may read it, not decide
    sign_in(client, manager_a)
    assert client.get(url).status_code == 404  # a lead is named: managers don't decide
    sign_in(client, lead)
    client.post(url, {"decision": "refer", "decision_notes": "Rang the MASH"})
    concern.refresh_from_db()
    assert concern.decision == "refer" and concern.decided_by == lead
    assert AuditEvent.objects.filter(action="casework.concern_decided").exists()


def test_without_a_named_lead_managers_are_told(manager_a, orgadmin_a, worker_a, case_a):
    safeguarding.raise_concern(worker_a, case_a, "Worried")
    assert set(Notification.objects.filter(kind="casework.concern").values_list("recipient", flat=True)) == {
        manager_a.pk, orgadmin_a.pk,
    }  # fmt: skip


def test_a_family_conference_records_participants_and_adds_actions(client, worker_a, case_a):
    sign_in(client, worker_a)
    client.post(
        reverse("casework:conference_add", args=[case_a.pk]),
        {"held_on": timezone.localdate().isoformat(), "participants": "Jerry (in prison)\nMum",
         "notes": "Agreed he can come home", "actions": "Confirm address with probation\nBook visit"},
    )  # fmt: skip
    conference = case_a.conferences.get()
    assert conference.participant_list == ["Jerry (in prison)", "Mum"]
    assert list(conference.actions.values_list("description", flat=True)) == [
        "Confirm address with probation", "Book visit",
    ]  # fmt: skip


def test_a_manager_reassigns_with_history_and_workers_cannot(
    client, worker_a, manager_a, org_a, case_a
):
    other = people.make_member("worker-a3", org_a, Role.SUPPORT_WORKER)
    url = reverse("casework:case_reassign", args=[case_a.pk])
    sign_in(client, worker_a)
    assert client.get(url).status_code == 404
    sign_in(client, manager_a)
    assert "Give the reason" in client.post(url, {"worker": other.pk}).content.decode()
    client.post(url, {"worker": other.pk, "reason": "Worker on leave"})
    case_a.refresh_from_db()
    assert case_a.worker == other
    assert [a.reason for a in case_a.assignments.all()] == ["Worker on leave", "Referral accepted"]
    assert Notification.objects.filter(recipient=other, kind="casework.assigned").exists()


def test_closing_records_outcomes_and_asks_the_family(
    client, worker_a, org_a, family, django_capture_on_commit_callbacks
):
    case = factories.make_case(org_a, worker_a, submitted_by=family)
    actions.save_assessment(
        worker_a, case, {"children": (2, ""), "visits": (1, ""), "money": (0, "")}
    )
    sign_in(client, worker_a)
    url = reverse("casework:case_close", args=[case.pk])
    page = client.post(url, {"summary": "Done"}).content.decode()
    assert "Choose an outcome for this need." in page
    assert "Visits: was the need met?" in page
    assert "Money, housing and benefits: was the need met?" not in page  # rated "no need"
    client.post(
        url, {"outcome_children": "achieved", "outcome_visits": "partly", "ask_family": "on"}
    )
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.satisfaction_token
    assert dict(NeedOutcome.objects.values_list("domain", "result")) == {
        "children": "achieved",
        "visits": "partly",
    }
    note = Notification.objects.get(recipient=family, kind="casework.feedback")
    assert "prison" not in note.title.lower()
    client.logout()
    feedback = client.post(note.url, {"score": "5", "comment": "Thank you"})
    assert feedback.status_code == 200
    case.refresh_from_db()
    assert case.satisfaction_score == 5 and case.satisfaction_token is None
    assert client.get(note.url).status_code == 404  # answered once


def test_a_family_without_an_account_is_asked_by_email(
    worker_a, org_a, django_capture_on_commit_callbacks
):
    case = factories.make_case(org_a, worker_a)
    case.family.email = "steph@example.org"
    case.family.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_case(worker_a, case, {}, "", ask_family=True)
    [message] = mail.outbox
    assert message.to == ["steph@example.org"] and "prison" not in message.subject.lower()
    assert str(case.satisfaction_token) in message.body


@pytest.mark.parametrize("age", [26, -1])
def test_children_are_0_to_25(client, worker_a, case_a, age):
    sign_in(client, worker_a)
    born = factories.child_born(age) if age >= 0 else timezone.localdate() + timedelta(days=5)
    page = client.post(
        reverse("casework:person_add", args=[case_a.pk]),
        {"kind": "child", "name": "Old", "date_of_birth": born.isoformat()},
    ).content.decode()
    assert "error-message" in page
    assert not case_a.family.people.filter(name="Old").exists()


def test_closing_a_closed_case_is_explained_not_repeated(client, worker_a, case_a):
    actions.close_case(worker_a, case_a, {}, "First close", ask_family=False)
    sign_in(client, worker_a)
    response = client.post(reverse("casework:case_close", args=[case_a.pk]), {"summary": "Again"})
    assert "The case is already closed." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.closing_summary == "First close"
