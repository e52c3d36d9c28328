"""What a family member's data export holds from casework, and what erasure does."""

from __future__ import annotations

from homeward.casework import factories
from homeward.casework.services.datarights import KEPT
from homeward.casework.services.referrals import accept_referral
from homeward.core import datarights


def test_export_has_own_requests_and_what_staff_shared_and_says_records_are_kept(
    org_a, family, trusted_family, worker_a
):
    mine = factories.make_referral(org_a, submitted_by=family, source="self")
    factories.make_referral(org_a, family_name="Other", submitted_by=trusted_family, source="self")
    case = accept_referral(worker_a, mine, worker_a, shared_message="Jo will ring you.")
    from homeward.casework.services.cases import add_note

    add_note(worker_a, case, kind="note", body="Staff-only words", sensitive=False)
    data = datarights.export_member(family)["casework"]
    assert data["about"] == KEPT and "retention" in KEPT
    [request] = data["requests_for_support"]
    assert request["reference"] == mine.reference
    assert request["message_from_the_organisation"] == "Jo will ring you."
    assert "Staff-only words" not in str(data) and "Other" not in str(data)


def test_erasure_unlinks_the_account_and_keeps_the_casework(org_a, family, worker_a):
    referral = factories.make_referral(org_a, submitted_by=family, source="self")
    case = accept_referral(worker_a, referral, worker_a)
    datarights.erase_member(family)
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.submitted_by is None and case.family.member is None
    assert case.family.name == "Coleman"
