"""Every casework list and detail page makes the same number of queries however much data
there is (and stays within its ceiling)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories as people
from homeward.accounts.models import Role
from homeward.casework import factories
from homeward.casework.models import Case
from homeward.casework.services import applications, cases, onward, safeguarding


def _grow_caseload(org, worker, n):
    have = Case.objects.filter(worker=worker).count()
    for i in range(have, n):
        case = factories.make_case(
            org, worker, family_name=f"Family{worker.pk}x{i}",
            children=(("Kid", factories.child_born(4 + i % 10)),),
        )  # fmt: skip
        cases.add_note(worker, case, kind="phone", body="Rang", sensitive=False,
                       happened_at=timezone.now() - timedelta(days=i))  # fmt: skip
        applications.log_application(
            worker, case, timezone.localdate() - timedelta(days=i), "Ring mum"
        )
        cases.add_action(worker, case, {"description": "Do", "owner": worker, "owner_label": "",
                                        "due_on": timezone.localdate()})  # fmt: skip


def _grow_case(worker, case, n):
    onward.ensure_default_rules(case.organisation)
    partner = case.organisation.casework_partners.first()
    for i in range(n - case.notes.count()):
        cases.add_note(worker, case, kind="note", body=f"Note {i}", sensitive=i % 2 == 0)
        cases.add_action(
            worker,
            case,
            {"description": f"A{i}", "owner": worker, "owner_label": "", "due_on": None},
        )
        cases.add_person(
            worker,
            case,
            {
                "kind": "child",
                "name": f"C{i}",
                "date_of_birth": factories.child_born(i % 18),
                "relationship": "",
            },
        )
        applications.log_application(worker, case, timezone.localdate(), "x")
        onward.refer_onward(worker, case, reason="x", partner=partner)
        safeguarding.raise_concern(worker, case, "x")
        safeguarding.add_restriction(
            worker,
            case,
            {"source": "PPU", "starts_on": timezone.localdate(), "ends_on": None, "details": ""},
        )
        cases.add_conference(
            worker,
            case,
            {"held_on": timezone.localdate(), "place": "", "participants": "Mum", "notes": ""},
            [{"description": "x"}],
        )


def _count(client, url):
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    ("name", "who"),
    [("casework:cases", "worker_a"), ("casework:caseloads", "manager_a"),
     ("casework:today", "worker_a"), ("casework:applications", "manager_a"),
     ("casework:queue", "worker_a")],
)  # fmt: skip
def test_list_queries_are_constant_as_data_grows(client, request, org_a, name, who, worker_a):
    viewer = request.getfixturevalue(who)
    colleague = people.make_member("worker-a4", org_a, Role.SUPPORT_WORKER)
    sign_in(client, viewer)
    url = reverse(name)
    _grow_caseload(org_a, worker_a, 1)
    factories.make_referral(org_a, family_name="Q0")
    small = _count(client, url)
    _grow_caseload(org_a, worker_a, 12)
    _grow_caseload(org_a, colleague, 5)
    for i in range(10):
        factories.make_referral(
            org_a, family_name=f"Q{i + 1}", children=(("K", factories.child_born(3)),)
        )
    assert _count(client, url) == small
    assert small <= 15


def test_the_case_page_queries_are_constant_as_the_case_grows(
    client, worker_a, case_a, django_assert_max_num_queries
):
    sign_in(client, worker_a)
    url = reverse("casework:case", args=[case_a.pk])
    _grow_case(worker_a, case_a, 1)
    small = _count(client, url)
    _grow_case(worker_a, case_a, 12)
    assert _count(client, url) == small
    with django_assert_max_num_queries(25):
        client.get(url)


def test_a_workers_caseload_page_flags_quiet_cases(client, org_a, worker_a):
    _grow_caseload(org_a, worker_a, 2)
    quiet = Case.objects.filter(worker=worker_a).order_by("pk").first()
    Case.objects.filter(pk=quiet.pk).update(last_contact_at=timezone.now() - timedelta(days=60))
    sign_in(client, worker_a)
    page = client.get(reverse("casework:cases")).content.decode()
    assert page.count('class="cw-quiet"') == 1
    filtered = client.get(
        reverse("casework:cases"), {"quiet": "on", "whose": "mine"}
    ).content.decode()
    assert quiet.family.name in filtered and "Cases 1 to 1." in filtered


def test_the_manager_sees_every_worker_against_the_optimum(
    client, org_a, worker_a, advocate_a, manager_a
):
    _grow_caseload(org_a, worker_a, 3)
    quiet = Case.objects.filter(worker=worker_a).order_by("pk").first()
    Case.objects.filter(pk=quiet.pk).update(last_contact_at=timezone.now() - timedelta(days=29))
    sign_in(client, manager_a)
    page = client.get(reverse("casework:caseloads")).content.decode()
    assert 'value="3"' in page and "worker-a" in page and "advocate-a" in page
    assert '<span class="cw-flag">1</span>' in page  # one case quiet for 28+ days
    assert 'max="40"' in page


def test_a_worker_saves_a_filtered_view_and_opens_it_again(client, org_a, worker_a, manager_a):
    sign_in(client, worker_a)
    client.post(
        reverse("casework:saved_views"),
        {"name": "Quiet ones", "query": "quiet=on&whose=mine&evil=1"},
    )
    page = client.get(reverse("casework:saved_views")).content.decode()
    assert "Quiet ones" in page and "whose=mine&amp;quiet=on" in page and "evil" not in page
    sign_in(client, manager_a)
    assert "Quiet ones" not in client.get(reverse("casework:saved_views")).content.decode()


def test_todays_actions_mark_overdue_ones_after_the_due_date_not_in_brackets(
    client, worker_a, case_a
):
    today = timezone.localdate()
    for text, due in (("Ring school", today - timedelta(days=2)), ("Book visit", today)):
        cases.add_action(
            worker_a,
            case_a,
            {"description": text, "owner": worker_a, "owner_label": "", "due_on": due},
        )
    sign_in(client, worker_a)
    page = client.get(reverse("casework:today")).content.decode()
    late = (
        f'Ring school · due {today - timedelta(days=2):%-d %b} <span class="cw-flag">overdue</span>'
    )
    assert late in page
    assert f"Book visit · due {today:%-d %b}</li>" in page  # due today is not overdue
    assert "(<span" not in page and "( " not in page


def test_the_manager_opens_one_workers_cases_from_the_caseloads_page(
    client, org_a, org_b, worker_a, advocate_a, manager_a, worker_b
):
    _grow_caseload(org_a, worker_a, 2)
    _grow_caseload(org_a, advocate_a, 1)
    _grow_caseload(org_b, worker_b, 1)
    sign_in(client, manager_a)
    page = client.get(reverse("casework:caseloads")).content.decode()
    link = f'href="{reverse("casework:cases")}?whose=all&amp;worker={worker_a.pk}"'
    assert link in page
    mine = client.get(reverse("casework:cases"), {"whose": "all", "worker": worker_a.pk})
    text = mine.content.decode()
    assert "Cases 1 to 2." in text and f"Family{worker_a.pk}x0" in text
    assert f"Family{advocate_a.pk}x0" not in text
    # Another organisation's worker: their cases stay out of sight, whatever the address says.
    other = client.get(reverse("casework:cases"), {"whose": "all", "worker": worker_b.pk})
    assert "No cases match." in other.content.decode()
    assert f"Family{worker_b.pk}x0" not in other.content.decode()
