"""Referrals in: the public professional form, self-referral, paper leaflets, triage."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.casework import factories
from homeward.casework.models import Case, Consent, Family, Referral
from homeward.casework.services.referrals import TriageError, accept_referral, decline_referral
from homeward.core.models import AuditEvent, Notification


def _form(lewes, **changes):
    data = {
        "token": str(uuid.uuid4()),
        "referrer_name": "Sam Teacher", "referrer_role": "Family liaison officer",
        "referrer_organisation": "Lewes Primary", "referrer_email": "sam@school.example.org",
        "referrer_phone": "", "family_name": "Coleman", "contact_name": "Steph",
        "contact_phone": "07700 900123", "contact_email": "", "postcode": "BN7 1AA",
        "prisoner_name": "Geoff Coleman", "prison_number": "a1234bc", "prison": lewes.code,
        "needs": ["children", "visits"], "details": "Zoe is struggling at school.",
        "consent_attested": "on", "consent_how": "verbal", "consent_sharing": "on",
        "child-TOTAL_FORMS": "4", "child-INITIAL_FORMS": "0",
        "child-MIN_NUM_FORMS": "0", "child-MAX_NUM_FORMS": "10",
        "child-0-name": "Zoe", "child-0-date_of_birth": factories.child_born(9).isoformat(),
        "child-1-name": "Cara", "child-1-date_of_birth": factories.child_born(3).isoformat(),
    }  # fmt: skip
    return data | changes


def test_a_professional_refers_without_an_account_and_gets_a_reference(
    client, org_a, lewes, django_capture_on_commit_callbacks
):
    url = reverse("casework:refer", args=[org_a.slug])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(lewes))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:refer_done", args=[org_a.slug, referral.token])
    assert referral.reference == "OA-0001"
    assert referral.status == Referral.Status.NEW
    assert referral.prison == lewes and referral.prison_number == "A1234BC"
    assert [c["name"] for c in referral.children] == ["Zoe", "Cara"]
    done = client.get(response["Location"]).content.decode()
    assert "OA-0001" in done
    [message] = mail.outbox
    assert message.to == ["sam@school.example.org"]
    assert "OA-0001" in message.subject and "prison" not in message.subject.lower()
    assert "OA-0001" in message.body and "OA-0001" in message.alternatives[0][0]


def test_a_double_submitted_referral_is_made_once(
    client, org_a, lewes, django_capture_on_commit_callbacks
):
    url = reverse("casework:refer", args=[org_a.slug])
    data = _form(lewes)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1


def test_references_are_numbered_per_organisation(org_a, org_b):
    a1 = factories.make_referral(org_a)
    a2 = factories.make_referral(org_a, family_name="Patel")
    b1 = factories.make_referral(org_b)
    assert (a1.reference, a2.reference, b1.reference) == ("OA-0001", "OA-0002", "OB-0001")


def test_bad_input_is_explained_kept_and_nothing_is_saved(client, org_a, lewes):
    url = reverse("casework:refer", args=[org_a.slug])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = _form(
        lewes, family_name="", referrer_email="", prison="XXX", needs=[], consent_attested="",
        **{"child-0-date_of_birth": tomorrow, "child-1-date_of_birth": factories.child_born(30).isoformat(),
           "child-2-name": "Ben"},
    )  # fmt: skip
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Referral.objects.count() == 0
    for message in (
        "Enter the family&#x27;s surname.", "Enter your e-mail address.",
        "Choose the prison from the list.", "Choose at least one kind of help.",
        "We can only take a referral the family has agreed to.",
        "The date of birth can&#x27;t be in the future.", "up to 25",
        "Enter this child&#x27;s date of birth.",
    ):  # fmt: skip
        assert message in page, message
    assert 'value="Sam Teacher"' in page and 'value="Zoe"' in page  # what was typed is kept


def test_the_public_form_is_rate_limited(client, org_a, lewes, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form": "2/m"}
    url = reverse("casework:refer", args=[org_a.slug])
    statuses = [client.post(url, _form(lewes)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Referral.objects.count() == 2


def test_unknown_organisation_has_no_form(client, db):
    assert client.get(reverse("casework:refer", args=["nobody"])).status_code == 404


def test_a_family_member_refers_themselves_and_sees_only_what_staff_shared(
    client, org_a, family, trusted_family, worker_a, lewes
):
    sign_in(client, family)
    url = reverse("casework:self_refer", args=[org_a.slug])
    data = _form(lewes)
    for key in ("referrer_name", "referrer_role", "referrer_email", "consent_how"):
        data.pop(key)
    response = client.post(url, data)
    assert response["Location"] == reverse("casework:my_referrals")
    referral = Referral.objects.get()
    assert referral.source == Referral.Source.SELF and referral.submitted_by == family
    page = client.get(reverse("casework:my_referrals")).content.decode()
    assert referral.reference in page and "Waiting to be looked at" in page
    assert "Zoe is struggling" not in page  # their own words are not echoed as staff notes
    accept_referral(
        worker_a, referral, worker_a, shared_message="Hello Steph, Jo will ring on Monday."
    )
    assert Notification.objects.filter(recipient=family, kind="casework.referral_update").exists()
    page = client.get(reverse("casework:my_referrals")).content.decode()
    assert "Jo will ring on Monday" in page and "Accepted" in page
    sign_in(client, trusted_family)
    assert referral.reference not in client.get(reverse("casework:my_referrals")).content.decode()


def test_staff_enter_a_paper_leaflet(client, worker_a, org_a, lewes):
    sign_in(client, worker_a)
    data = _form(lewes)
    for key in ("referrer_name", "referrer_role", "referrer_email", "consent_how"):
        data.pop(key)
    response = client.post(reverse("casework:paper_referral"), data)
    referral = Referral.objects.get()
    assert referral.source == Referral.Source.PAPER and referral.organisation == org_a
    assert AuditEvent.objects.get(action="casework.referral_received").actor == worker_a
    assert response["Location"] == reverse("casework:referral", args=[referral.pk])


def test_accepting_opens_a_case_assigned_to_a_worker_with_the_family_and_consent(
    client, manager_a, worker_a, org_a
):
    referral = factories.make_referral(org_a, children=(("Zoe", factories.child_born(9)),))
    sign_in(client, manager_a)
    response = client.post(
        reverse("casework:referral", args=[referral.pk]),
        {"action": "accept", "worker": worker_a.pk, "shared_message": ""},
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("casework:case", args=[case.pk])
    assert case.worker == worker_a and case.reference == referral.reference
    assert case.team == "support_worker"
    assert {p.name for p in case.family.people.all()} == {"Steph Coleman", "Zoe"}
    assert set(Consent.objects.filter(family=case.family).values_list("scope", flat=True)) == {
        "contact", "children", "sharing",
    }  # fmt: skip
    note = Notification.objects.get(recipient=worker_a, kind="casework.assigned")
    assert "prison" not in note.title.lower()
    assert case.assignments.get().assigned_by == manager_a


def test_a_referral_is_triaged_once(worker_a, org_a):
    referral = factories.make_referral(org_a)
    accept_referral(worker_a, referral, worker_a)
    try:
        decline_referral(worker_a, referral, "No capacity", "")
    except TriageError:
        pass
    else:
        raise AssertionError("a triaged referral was declined")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED


def test_declining_needs_a_reason(client, worker_a, org_a):
    referral = factories.make_referral(org_a)
    sign_in(client, worker_a)
    url = reverse("casework:referral", args=[referral.pk])
    page = client.post(url, {"action": "decline", "decline-reason": ""}).content.decode()
    assert "Give the reason" in page
    client.post(
        url,
        {
            "action": "decline",
            "decline-reason": "Outside our area",
            "decline-shared_message": "Try Families Outside.",
        },
    )
    referral.refresh_from_db()
    assert (
        referral.status == Referral.Status.DECLINED
        and referral.decline_reason == "Outside our area"
    )


def test_a_possible_duplicate_is_flagged_and_merged_not_duplicated(client, org_a, worker_a, lewes):
    zoe = ("Zoe", factories.child_born(9))
    first = factories.make_case(org_a, worker_a, children=(zoe,))
    again = factories.make_referral(
        org_a, children=(zoe, ("Baby", factories.child_born(0, day_offset=20)))
    )
    assert again.possible_duplicate == first.family
    sign_in(client, worker_a)
    page = client.get(reverse("casework:referral", args=[again.pk])).content.decode()
    assert "Possible duplicate" in page
    client.post(
        reverse("casework:referral", args=[again.pk]),
        {"action": "accept", "worker": worker_a.pk, "merge": "on"},
    )
    assert Family.objects.count() == 1 and Case.objects.count() == 1
    assert sorted(p.name for p in first.family.people.filter(kind="child")) == ["Baby", "Zoe"]
    again.refresh_from_db()
    assert again.case == first


def test_another_organisations_family_is_not_a_duplicate(org_a, org_b, worker_a):
    zoe = ("Zoe", factories.child_born(9))
    factories.make_case(org_a, worker_a, children=(zoe,))
    assert factories.make_referral(org_b, children=(zoe,)).possible_duplicate is None


def test_the_queue_lists_waiting_referrals_oldest_first(client, worker_a, org_a, org_b):
    old = factories.make_referral(org_a, family_name="Older")
    factories.make_referral(org_a, family_name="Newer")
    factories.make_referral(org_b, family_name="Elsewhere")
    accepted = factories.make_referral(org_a, family_name="Taken")
    accept_referral(worker_a, accepted, worker_a)
    sign_in(client, worker_a)
    page = client.get(reverse("casework:queue")).content.decode()
    assert page.index("Older") < page.index("Newer")
    assert "Elsewhere" not in page and "Taken" not in page
    assert old.reference in page
