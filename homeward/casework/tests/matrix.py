"""Permission-matrix entries for casework (merged by homeward/core/tests/matrix.py).

The referral form, its thank-you page and the closing question are public; a family member's
own requests need a sign-in. Every staff page needs a staff membership (platform admins without
one get 404). Organisation A's case, held by worker_a (a prison-based support worker): its
team and A's managers see it; A's community advocate (another team), organisation B's worker
and everyone else get 404. Reassigning and "who viewed this" are for managers."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from homeward.casework import factories
from homeward.casework.models import (
    Application,
    Attachment,
    Case,
    Concern,
    Consent,
    Note,
    OnwardReferral,
    Partner,
    PlanAction,
    Referral,
    RoutingRule,
    SavedView,
    Stage,
)
from homeward.casework.services import applications, cases, onward, safeguarding
from homeward.casework.services.common import settings_for
from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ORG_A_RECORD,
    ORG_STAFF,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    STAFF,
    STAFF_A,
    TO_LOGIN,
    Entry,
    PostCheck,
    Scene,
    WrongMethod,
    answers,
    override,
    redirect,
)

# Who may work on organisation A's case: worker_a's team and A's managers.
CASE_TEAM = ("worker_a", "manager_a", "orgadmin_a")
MANAGERS_A = ("manager_a", "orgadmin_a")
CASE_A = override(ORG_A_RECORD, advocate_a=NOT_FOUND)
MANAGERS_ONLY = override(CASE_A, worker_a=NOT_FOUND)
ORG_MANAGERS = override(ORG_STAFF, worker_a=NOT_FOUND, advocate_a=NOT_FOUND, worker_b=NOT_FOUND)
POST_ONLY = dict.fromkeys(ROLES, NOT_ALLOWED)
TO_PARTNERS = override(ORG_MANAGERS, **dict.fromkeys(MANAGERS_A, redirect("casework:partners")))


# The world ------------------------------------------------------------------------------------


def _user(scene: Scene, role: str) -> Any:
    user = scene.user(role)
    assert user is not None
    return user


def _case_a(scene: Scene) -> Case:
    case = Case.objects.filter(family__name="Matrix A").first()
    if case is None:
        case = factories.make_case(
            scene.org_a, _user(scene, "worker_a"), family_name="Matrix A",
            children=(("Zoe", factories.child_born(9)),),
        )  # fmt: skip
        Case.objects.filter(pk=case.pk).update(family=case.family)
    return case


def _case_b(scene: Scene) -> Case:
    case = Case.objects.filter(family__name="Matrix B").first()
    if case is None:
        case = factories.make_case(scene.org_b, _user(scene, "worker_b"), family_name="Matrix B")
    return case


def _both_cases(scene: Scene) -> None:
    _case_a(scene)
    _case_b(scene)


def _others_cases(scene: Scene, role: str) -> list[str]:
    return ["Matrix A"] if role == "worker_b" else ["Matrix B"]


def _referral_a(scene: Scene) -> Referral:
    referral = Referral.objects.filter(family_name="Waiting A").first()
    if referral is None:
        referral = factories.make_referral(scene.org_a, family_name="Waiting A")
    return referral


def _referrals(scene: Scene) -> None:
    _referral_a(scene)
    if not Referral.objects.filter(family_name="Waiting B").exists():
        factories.make_referral(scene.org_b, family_name="Waiting B")


def _others_referrals(scene: Scene, role: str) -> list[str]:
    return ["Waiting A"] if role == "worker_b" else ["Waiting B"]


def _note(scene: Scene) -> Note:
    case = _case_a(scene)
    note = case.notes.first()
    if note is None:
        note = cases.add_note(
            _user(scene, "worker_a"), case, kind="phone", body="Rang Steph", sensitive=False
        )
    return note


def _attachment(scene: Scene) -> Attachment:
    case = _case_a(scene)
    found = case.attachments.first()
    if found is None:
        upload = ContentFile(b"%PDF-1.4 matrix", name="letter.pdf")
        found = cases.add_attachment(_user(scene, "worker_a"), case, upload, "application/pdf")  # type: ignore[arg-type]
    return found


def _application(scene: Scene) -> Application:
    case = _case_a(scene)
    found = case.applications.first()
    if found is None:
        from django.utils import timezone

        found = applications.log_application(
            _user(scene, "worker_a"), case, timezone.localdate(), "Ring my mum"
        )
    return found


def _onward(scene: Scene) -> OnwardReferral:
    case = _case_a(scene)
    found = case.onward.first()
    if found is None:
        onward.ensure_default_rules(scene.org_a)
        partner = Partner.objects.get(organisation=scene.org_a, name="Families First")
        found = onward.refer_onward(
            _user(scene, "worker_a"), case, reason="School", partner=partner
        )
    return found


def _partner(scene: Scene) -> Partner:
    onward.ensure_default_rules(scene.org_a)
    return Partner.objects.get(organisation=scene.org_a, name="Families First")


def _rule(scene: Scene) -> RoutingRule:
    return RoutingRule.objects.filter(partner=_partner(scene)).get()


def _partner_state(scene: Scene) -> tuple[Any, ...]:
    return tuple(Partner.objects.filter(organisation=scene.org_a).values_list("name", "offers"))


def _rule_state(scene: Scene) -> tuple[Any, ...]:
    return tuple(
        RoutingRule.objects.filter(organisation=scene.org_a).values_list(
            "min_age", "max_age", "partner_id", "position"
        )
    )


def _concern(scene: Scene) -> Concern:
    case = _case_a(scene)
    found = case.concerns.first()
    if found is None:
        found = safeguarding.raise_concern(_user(scene, "worker_a"), case, "Worried about Zoe")
    return found


def _action(scene: Scene) -> PlanAction:
    case = _case_a(scene)
    found = case.actions.first()
    if found is None:
        found = cases.add_action(
            _user(scene, "worker_a"),
            case,
            {"description": "Ring school", "owner": None, "owner_label": "Mum", "due_on": None},
        )
    return found


def _closed_case(scene: Scene) -> Case:
    case = _case_a(scene)
    if case.stage != Stage.CLOSED:
        cases.close_case(_user(scene, "worker_a"), case, {}, "", ask_family=True)
        case.refresh_from_db()
    return case


def _sharing_consent(scene: Scene) -> Consent:
    return Consent.objects.filter(family=_case_a(scene).family, scope="sharing").get()


def _pk(getter: Any) -> Any:
    return lambda s: {"pk": getter(s).pk}


def _case_page(scene: Scene) -> str:
    return reverse("casework:case", args=[_case_a(scene).pk])


def _referral_form(scene: Scene) -> dict[str, Any]:
    return {
        "token": str(uuid.uuid4()), "referrer_name": "Sam", "referrer_role": "Teacher",
        "referrer_email": "sam@example.org", "family_name": "Posted", "contact_name": "Steph",
        "contact_phone": "07700 900123", "needs": ["visits"], "consent_attested": "on",
        "consent_how": "verbal",
        "child-TOTAL_FORMS": "1", "child-INITIAL_FORMS": "0", "child-MIN_NUM_FORMS": "0",
        "child-MAX_NUM_FORMS": "10",
    }  # fmt: skip


def _newest_referral_done(scene: Scene) -> str:
    newest = Referral.objects.order_by("-pk").first()
    assert newest is not None
    return reverse("casework:refer_done", args=[newest.organisation.slug, newest.token])


def _referral_counts(scene: Scene) -> tuple[int, int]:
    return (Referral.objects.filter(family_name="Posted").count(), Referral.objects.count())


def _stage(scene: Scene) -> str:
    return Case.objects.get(pk=_case_a(scene).pk).stage


def _case_row(scene: Scene) -> tuple[Any, ...]:
    return tuple(
        Case.objects.filter(pk=_case_a(scene).pk)
        .values_list("worker_id", "stage", "last_contact_at")
        .get()
    )


def _workers_view(scene: Scene) -> SavedView:
    found = SavedView.objects.filter(name="Quiet ones").first()
    if found is None:
        found = SavedView.objects.create(
            user=_user(scene, "worker_a"),
            organisation=scene.org_a,
            name="Quiet ones",
            query="quiet=on",
        )
    return found


def _view_rows(scene: Scene) -> list[tuple[Any, ...]]:
    return sorted(SavedView.objects.values_list("user_id", "name", "query"))


CASE_POST = override(CASE_A, **dict.fromkeys(CASE_TEAM, redirect(_case_page)))


def _case_form_entry(data: Any, state: Any, *, setup: Any = None) -> Entry:
    """A GET/POST form on organisation A's case that saves and goes back to the case."""
    return Entry(
        get=CASE_A,
        kwargs=_pk(_case_a),
        setup=setup,
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(data=data, state=state, answers=CASE_POST, changes=frozenset(CASE_TEAM)),
    )


def _other_worker(scene: Scene) -> Any:
    from homeward.accounts import factories as people
    from homeward.accounts.models import Role

    return people.make_member("worker-a-colleague", scene.org_a, Role.SUPPORT_WORKER)


ENTRIES: dict[str, Entry] = {
    # Public and families ------------------------------------------------------------------
    "casework:refer": Entry(
        get=PUBLIC,
        kwargs=lambda s: {"slug": s.org_a.slug},
        wrong_method=WrongMethod("put", "anonymous"),
        post=PostCheck(
            data=_referral_form,
            state=_referral_counts,
            answers=dict.fromkeys(ROLES, redirect(_newest_referral_done)),
            changes=frozenset(ROLES),
        ),
    ),
    "casework:refer_done": Entry(
        get=PUBLIC,
        kwargs=lambda s: {"slug": s.org_a.slug, "token": _referral_a(s).token},
        wrong_method=WrongMethod("post", "anonymous"),
    ),
    "casework:self_refer": Entry(
        get=SIGNED_IN,
        kwargs=lambda s: {"slug": s.org_a.slug},
        wrong_method=WrongMethod("put", "family"),
        post=PostCheck(
            data=lambda s: {
                k: v for k, v in _referral_form(s).items() if not k.startswith("referrer")
            },
            state=_referral_counts,
            answers=answers(
                anonymous=TO_LOGIN,
                members=redirect("casework:my_referrals"),
                staff=redirect("casework:my_referrals"),
            ),
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "casework:my_referrals": Entry(
        get=SIGNED_IN,
        setup=lambda s: factories.make_referral(
            s.org_a, family_name="Mine", submitted_by=_user(s, "family"), source="self"
        ),
        absent=lambda s, role: [] if role == "family" else ["OA-0001"],
        wrong_method=WrongMethod("post", "family"),
    ),
    "casework:feedback": Entry(
        get=PUBLIC,
        kwargs=lambda s: {"token": _closed_case(s).satisfaction_token},
        wrong_method=WrongMethod("put", "anonymous"),
    ),
    # Staff: lists --------------------------------------------------------------------------
    "casework:today": Entry(
        get=ORG_STAFF,
        setup=_referrals,
        absent=_others_referrals,
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:queue": Entry(
        get=ORG_STAFF,
        setup=_referrals,
        absent=_others_referrals,
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:paper_referral": Entry(
        get=ORG_STAFF,
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=_referral_form,
            state=_referral_counts,
            answers=override(
                ORG_STAFF,
                **dict.fromkeys(
                    STAFF,
                    redirect(
                        lambda s: reverse(
                            "casework:referral", args=[Referral.objects.order_by("-pk").first().pk]
                        )
                    ),
                ),
            ),
            changes=frozenset(STAFF),
        ),
    ),
    "casework:referral": Entry(
        get=ORG_A_RECORD,
        kwargs=_pk(_referral_a),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"action": "accept", "worker": _user(s, "worker_a").pk},
            state=lambda s: Referral.objects.get(pk=_referral_a(s).pk).status,
            answers=override(
                ORG_A_RECORD,
                **dict.fromkeys(
                    STAFF_A,
                    redirect(
                        lambda s: reverse(
                            "casework:case",
                            args=[Referral.objects.get(pk=_referral_a(s).pk).case_id],
                        )
                    ),
                ),
            ),
            changes=frozenset(STAFF_A),
        ),
    ),
    "casework:cases": Entry(
        get=ORG_STAFF,
        setup=_both_cases,
        absent=_others_cases,
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:export": Entry(
        get=ORG_STAFF,
        setup=_both_cases,
        wrong_method=WrongMethod("put", "worker_a"),
    ),
    "casework:caseloads": Entry(
        get=ORG_STAFF,
        setup=_both_cases,
        absent=lambda s, role: ["worker-a"] if role == "worker_b" else ["worker-b"],
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:applications": Entry(
        get=ORG_STAFF,
        setup=_application,
        absent=lambda s, role: ["Ring my mum"] if role in ("worker_b", "advocate_a") else [],
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:settings": Entry(
        get=ORG_MANAGERS,
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {
                "caseload_optimum": 35,
                "application_due_days": 5,
                "no_contact_days": 21,
                "retention_years": 6,
            },
            state=lambda s: settings_for(s.org_a).caseload_optimum,
            answers=override(
                ORG_MANAGERS, **dict.fromkeys(MANAGERS_A, redirect("casework:settings"))
            ),
            changes=frozenset(MANAGERS_A),
        ),
    ),
    # The organisation's partners and routing rules: its managers only; anyone else gets 404.
    "casework:partners": Entry(
        get=ORG_MANAGERS,
        setup=_partner,
        wrong_method=WrongMethod("post", "manager_a"),
    ),
    "casework:partner_add": Entry(
        get=ORG_MANAGERS,
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {"name": "Little Oaks Nursery", "offers": "Places"},
            state=_partner_state,
            answers=TO_PARTNERS,
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:partner_edit": Entry(
        get=ORG_MANAGERS,
        kwargs=_pk(_partner),
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {"name": "Families First", "offers": "Family days"},
            state=_partner_state,
            answers=TO_PARTNERS,
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:rule_add": Entry(
        get=ORG_MANAGERS,
        setup=_partner,
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {
                "min_age": 2,
                "max_age": 4,
                "partner": _partner(s).pk,
                "position": 3,
            },
            state=_rule_state,
            answers=TO_PARTNERS,
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:rule_edit": Entry(
        get=ORG_MANAGERS,
        kwargs=_pk(_rule),
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {
                "min_age": 5,
                "max_age": 18,
                "partner": _partner(s).pk,
                "position": 2,
            },
            state=_rule_state,
            answers=TO_PARTNERS,
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:rule_delete": Entry(
        get=POST_ONLY,
        kwargs=_pk(_rule),
        post=PostCheck(
            data=lambda s: {},
            state=_rule_state,
            answers=TO_PARTNERS,
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:saved_views": Entry(
        get=ORG_STAFF,
        setup=_workers_view,
        absent=lambda s, role: [] if role == "worker_a" else ["Quiet ones"],
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"name": "Mine, quiet", "query": "quiet=on&whose=mine"},
            state=_view_rows,
            answers=override(
                ORG_STAFF,
                **dict.fromkeys(STAFF, redirect("casework:saved_views")),
            ),
            changes=frozenset(STAFF),
        ),
    ),
    # Only its owner may remove a saved view; for anyone else it isn't there.
    "casework:saved_view_delete": Entry(
        get=POST_ONLY,
        kwargs=_pk(_workers_view),
        post=PostCheck(
            data=lambda s: {},
            state=_view_rows,
            answers=override(
                ORG_STAFF,
                worker_a=redirect("casework:saved_views"),
                advocate_a=NOT_FOUND,
                manager_a=NOT_FOUND,
                orgadmin_a=NOT_FOUND,
                worker_b=NOT_FOUND,
            ),
            changes=frozenset({"worker_a"}),
        ),
    ),
    # Staff: one case -----------------------------------------------------------------------
    "casework:case": Entry(
        get=CASE_A,
        kwargs=_pk(_case_a),
        setup=_note,
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:case_viewers": Entry(
        get=MANAGERS_ONLY,
        kwargs=_pk(_case_a),
        wrong_method=WrongMethod("post", "manager_a"),
    ),
    "casework:case_stage": Entry(
        get=POST_ONLY,
        kwargs=_pk(_case_a),
        post=PostCheck(
            data=lambda s: {"stage": "assessment"},
            state=_stage,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:case_reopen": Entry(
        get=POST_ONLY,
        kwargs=_pk(_closed_case),
        post=PostCheck(
            data=lambda s: {"reason": "Recalled"},
            state=_stage,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:case_reassign": Entry(
        get=MANAGERS_ONLY,
        kwargs=_pk(_case_a),
        wrong_method=WrongMethod("put", "manager_a"),
        post=PostCheck(
            data=lambda s: {"worker": _other_worker(s).pk, "reason": "Leave"},
            state=_case_row,
            answers=override(MANAGERS_ONLY, **dict.fromkeys(MANAGERS_A, redirect(_case_page))),
            changes=frozenset(MANAGERS_A),
        ),
    ),
    "casework:person_add": _case_form_entry(
        lambda s: {
            "kind": "child",
            "name": "Cara",
            "date_of_birth": factories.child_born(3).isoformat(),
        },
        lambda s: _case_a(s).family.people.count(),
    ),
    "casework:prisoner_edit": _case_form_entry(
        lambda s: {"prisoner_name": "Geoff C", "prison_number": "A1234BC"},
        lambda s: (
            Case.objects.filter(pk=_case_a(s).pk).values_list("prisoner_name", flat=True).get()
        ),
    ),
    "casework:assessment": _case_form_entry(
        lambda s: {
            f"{d}_level": "1"
            for d in (
                "children",
                "contact",
                "visits",
                "money",
                "emotional",
                "school",
                "safeguarding",
            )
        },
        lambda s: _case_a(s).ratings.count(),
    ),
    "casework:action_add": _case_form_entry(
        lambda s: {"description": "Ring school", "owner_label": "Mum"},
        lambda s: _case_a(s).actions.count(),
    ),
    "casework:action_done": Entry(
        get=POST_ONLY,
        kwargs=_pk(_action),
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: PlanAction.objects.get(pk=_action(s).pk).done_at,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:note_add": _case_form_entry(
        lambda s: {
            "kind": "phone",
            "body": "Rang",
            "happened_on": __import__("django.utils.timezone")
            .utils.timezone.localdate()
            .isoformat(),
        },
        lambda s: _case_a(s).notes.count(),
    ),
    "casework:note": Entry(
        get=CASE_A,
        kwargs=_pk(_note),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:attachment_add": _case_form_entry(
        lambda s: {"file": ContentFile(b"%PDF-1.4 x", name="x.pdf")},
        lambda s: _case_a(s).attachments.count(),
    ),
    "casework:attachment": Entry(
        get=CASE_A,
        kwargs=_pk(_attachment),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "casework:consent_add": _case_form_entry(
        lambda s: {
            "given_by": "Steph",
            "scope": "contact",
            "lawful_basis": "consent",
            "condition": "explicit_consent",
            "criminal_offence_data": "on",
            "how_obtained": "verbal",
            "given_on": "2026-01-05",
        },
        lambda s: Consent.objects.filter(family=_case_a(s).family).count(),
    ),
    "casework:consent_withdraw": Entry(
        get=POST_ONLY,
        kwargs=lambda s: {"pk": _case_a(s).pk, "consent_pk": _sharing_consent(s).pk},
        post=PostCheck(
            data=lambda s: {},
            state=lambda s: Consent.objects.get(pk=_sharing_consent(s).pk).withdrawn_at,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:conference_add": _case_form_entry(
        lambda s: {"held_on": "2026-01-05", "participants": "Mum\nDad", "actions": "Book visit"},
        lambda s: _case_a(s).conferences.count(),
    ),
    "casework:case_close": _case_form_entry(
        lambda s: {"summary": "Done"},
        _stage,
    ),
    "casework:case_feedback": _case_form_entry(
        lambda s: {"score": "4"},
        lambda s: (
            Case.objects.filter(pk=_case_a(s).pk).values_list("satisfaction_score", flat=True).get()
        ),
    ),
    "casework:application_add": _case_form_entry(
        lambda s: {"received_on": "2026-01-05", "request": "Ring my mum"},
        lambda s: _case_a(s).applications.count(),
    ),
    "casework:application": Entry(
        get=CASE_A,
        kwargs=_pk(_application),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"explanation": "Rang her."},
            state=lambda s: Application.objects.get(pk=_application(s).pk).status,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:onward_new": _case_form_entry(
        lambda s: {"destination": f"partner:{_onward(s).partner_id}", "reason": "Support"},
        lambda s: _case_a(s).onward.count(),
        setup=_onward,
    ),
    "casework:onward": Entry(
        get=CASE_A,
        kwargs=_pk(_onward),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"status": "accepted", "outcome": "Started"},
            state=lambda s: OnwardReferral.objects.get(pk=_onward(s).pk).status,
            answers=CASE_POST,
            changes=frozenset(CASE_TEAM),
        ),
    ),
    "casework:restriction_add": _case_form_entry(
        lambda s: {"source": "Public Protection Unit", "starts_on": "2026-01-05"},
        lambda s: _case_a(s).restrictions.count(),
    ),
    "casework:concern_add": _case_form_entry(
        lambda s: {"description": "Bruise"},
        lambda s: _case_a(s).concerns.count(),
    ),
    # No lead is named in organisation A, so its managers decide; the worker who raised it
    # may read it.
    "casework:concern": Entry(
        get=CASE_A,
        kwargs=_pk(_concern),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"decision": "monitor", "decision_notes": "Keep an eye"},
            state=lambda s: Concern.objects.get(pk=_concern(s).pk).decision,
            answers=override(
                CASE_A,
                worker_a=OK,
                **dict.fromkeys(
                    MANAGERS_A,
                    redirect(lambda s: reverse("casework:concern", args=[_concern(s).pk])),
                ),
            ),
            changes=frozenset(MANAGERS_A),
        ),
    ),
}


# Query ceilings: what each page makes today, per role (lower them when a page gets cheaper).
CEILINGS: dict[str, dict[str, int]] = {
    "casework:saved_views": {
        "advocate_a": 10,
        "manager_a": 10,
        "orgadmin_a": 10,
        "worker_a": 10,
        "worker_b": 10,
    },
    "casework:action_add": {"manager_a": 11, "orgadmin_a": 11, "worker_a": 11},
    "casework:application": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:application_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:applications": {
        "advocate_a": 11,
        "manager_a": 11,
        "orgadmin_a": 11,
        "worker_a": 11,
        "worker_b": 11,
    },
    "casework:assessment": {"manager_a": 11, "orgadmin_a": 11, "worker_a": 11},
    "casework:attachment": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:attachment_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:case": {"manager_a": 24, "orgadmin_a": 24, "worker_a": 24},
    "casework:case_close": {"manager_a": 11, "orgadmin_a": 11, "worker_a": 11},
    "casework:case_feedback": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:case_reassign": {"manager_a": 12, "orgadmin_a": 12},
    "casework:case_viewers": {"manager_a": 11, "orgadmin_a": 11},
    "casework:caseloads": {
        "advocate_a": 10,
        "manager_a": 10,
        "orgadmin_a": 10,
        "worker_a": 10,
        "worker_b": 10,
    },
    "casework:cases": {
        "advocate_a": 11,
        "manager_a": 11,
        "orgadmin_a": 11,
        "worker_a": 10,
        "worker_b": 10,
    },
    "casework:concern": {"manager_a": 13, "orgadmin_a": 13, "worker_a": 13},
    "casework:concern_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:conference_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:consent_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:export": {
        "advocate_a": 10,
        "manager_a": 10,
        "orgadmin_a": 10,
        "worker_a": 10,
        "worker_b": 10,
    },
    "casework:feedback": {
        "advocate_a": 8,
        "anonymous": 1,
        "family": 5,
        "manager_a": 8,
        "orgadmin_a": 8,
        "peer_moderator": 5,
        "platform_admin": 7,
        "trusted_family": 5,
        "worker_a": 8,
        "worker_b": 8,
    },
    "casework:my_referrals": {
        "advocate_a": 8,
        "family": 5,
        "manager_a": 8,
        "orgadmin_a": 8,
        "peer_moderator": 5,
        "platform_admin": 7,
        "trusted_family": 5,
        "worker_a": 8,
        "worker_b": 8,
    },
    "casework:note": {"manager_a": 11, "orgadmin_a": 11, "worker_a": 11},
    "casework:note_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:onward": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:onward_new": {"manager_a": 14, "orgadmin_a": 14, "worker_a": 14},
    "casework:paper_referral": {
        "advocate_a": 10,
        "manager_a": 10,
        "orgadmin_a": 10,
        "worker_a": 10,
        "worker_b": 10,
    },
    "casework:person_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:prisoner_edit": {"manager_a": 11, "orgadmin_a": 11, "worker_a": 11},
    "casework:queue": {
        "advocate_a": 11,
        "manager_a": 11,
        "orgadmin_a": 11,
        "worker_a": 11,
        "worker_b": 11,
    },
    "casework:refer": {
        "advocate_a": 9,
        "anonymous": 2,
        "family": 6,
        "manager_a": 9,
        "orgadmin_a": 9,
        "peer_moderator": 6,
        "platform_admin": 8,
        "trusted_family": 6,
        "worker_a": 9,
        "worker_b": 9,
    },
    "casework:refer_done": {
        "advocate_a": 8,
        "anonymous": 1,
        "family": 5,
        "manager_a": 8,
        "orgadmin_a": 8,
        "peer_moderator": 5,
        "platform_admin": 7,
        "trusted_family": 5,
        "worker_a": 8,
        "worker_b": 8,
    },
    "casework:referral": {"advocate_a": 13, "manager_a": 13, "orgadmin_a": 13, "worker_a": 13},
    "casework:restriction_add": {"manager_a": 10, "orgadmin_a": 10, "worker_a": 10},
    "casework:self_refer": {
        "advocate_a": 9,
        "family": 6,
        "manager_a": 9,
        "orgadmin_a": 9,
        "peer_moderator": 6,
        "platform_admin": 8,
        "trusted_family": 6,
        "worker_a": 9,
        "worker_b": 9,
    },
    "casework:settings": {"manager_a": 14, "orgadmin_a": 14},
    "casework:partners": {"manager_a": 12, "orgadmin_a": 12},
    "casework:partner_add": {"manager_a": 9, "orgadmin_a": 9},
    "casework:partner_edit": {"manager_a": 10, "orgadmin_a": 10},
    "casework:rule_add": {"manager_a": 10, "orgadmin_a": 10},
    "casework:rule_edit": {"manager_a": 11, "orgadmin_a": 11},
    "casework:today": {
        "advocate_a": 15,
        "manager_a": 15,
        "orgadmin_a": 15,
        "worker_a": 15,
        "worker_b": 15,
    },
}
ENTRIES = {name: replace(entry, queries=CEILINGS.get(name, {})) for name, entry in ENTRIES.items()}

# Platform admin's ceilings on the casework admin changelists.
ADMIN_QUERIES: dict[str, int] = {
    "admin:casework_application_changelist": 10,
    "admin:casework_case_changelist": 11,
    "admin:casework_caseworksettings_changelist": 10,
    "admin:casework_concern_changelist": 10,
    "admin:casework_consent_changelist": 10,
    "admin:casework_consentoverride_changelist": 10,
    "admin:casework_onwardreferral_changelist": 10,
    "admin:casework_partner_changelist": 10,
    "admin:casework_referral_changelist": 12,
    "admin:casework_routingrule_changelist": 10,
}
