"""Which organisations work in which prisons: only their staff keep a prison's guide."""

from __future__ import annotations

from django.test import Client

from conftest import sign_in
from homeward.core.models import AuditEvent
from homeward.prisons import services
from homeward.prisons.models import Prison, PrisonGuideSection, PrisonPartner


def test_staff_of_an_organisation_that_works_elsewhere_cannot_edit_the_guide(lewes, worker_b):
    staff = sign_in(Client(), worker_b)
    assert staff.get("/prisons/LWI/guide/dress/").status_code == 404
    assert staff.post("/prisons/LWI/guide/dress/", {"body": "No hats."}).status_code == 404
    assert staff.get("/prisons/LWI/alert/").status_code == 404
    assert not PrisonGuideSection.objects.exists()


def test_partner_staff_can_edit_only_the_prisons_they_work_in(lewes, worker_a):
    staff = sign_in(Client(), worker_a)
    assert staff.get("/prisons/LWI/guide/dress/").status_code == 200
    assert staff.get("/prisons/FDI/guide/dress/").status_code == 404  # Ford: not theirs


def test_edit_links_show_only_to_the_prisons_partners(lewes, worker_a, worker_b):
    edit_link = "/prisons/LWI/guide/dress/"
    assert edit_link in sign_in(Client(), worker_a).get("/prisons/LWI/").content.decode()
    assert edit_link not in sign_in(Client(), worker_b).get("/prisons/LWI/").content.decode()


def test_platform_admin_may_edit_any_prisons_guide(prisons, platform_admin):
    assert sign_in(Client(), platform_admin).get("/prisons/FDI/guide/dress/").status_code == 200


def test_only_partners_mark_tips_checked_or_take_alerts_down(
    lewes, peer_moderator, worker_a, worker_b
):
    tip = services.add_tip(peer_moderator, lewes, "Parking is free on Sundays")
    assert sign_in(Client(), worker_b).post(f"/prisons/tips/{tip.pk}/checked/").status_code == 404
    tip.refresh_from_db()
    assert tip.checked_at is None


def test_manager_adds_a_prison_and_their_staff_can_then_edit_it(prisons, manager_a, worker_a):
    manager = sign_in(Client(), manager_a)
    ford = Prison.objects.get(code="FDI")
    response = manager.post("/prisons/ours/", {"prison": ford.pk})
    assert response.status_code == 302
    assert sign_in(Client(), worker_a).get("/prisons/FDI/guide/dress/").status_code == 200
    assert "Ford" in manager.get("/prisons/ours/").content.decode()
    assert AuditEvent.objects.filter(action="prisons.partner_added").count() == 1


def test_adding_the_same_prison_twice_keeps_one_partnership(prisons, manager_a, org_a):
    ford = Prison.objects.get(code="FDI")
    assert services.add_partner(manager_a, org_a, ford) is True
    assert services.add_partner(manager_a, org_a, ford) is False
    assert PrisonPartner.objects.filter(organisation=org_a, prison=ford).count() == 1


def test_no_prison_chosen_gets_a_message_beside_the_field(prisons, manager_a):
    response = sign_in(Client(), manager_a).post("/prisons/ours/", {"prison": ""})
    assert response.status_code == 200
    assert "Choose a prison from the list." in response.content.decode()
    assert not PrisonPartner.objects.exists()


def test_manager_removes_a_prison_and_their_staff_lose_the_edit(lewes, manager_a, worker_a):
    manager = sign_in(Client(), manager_a)
    assert manager.post("/prisons/ours/LWI/remove/").status_code == 302
    assert sign_in(Client(), worker_a).get("/prisons/LWI/guide/dress/").status_code == 404
    # Removing again: there's nothing to remove, so nothing is said to exist.
    assert manager.post("/prisons/ours/LWI/remove/").status_code == 404


def test_workers_do_not_choose_their_organisations_prisons(lewes, worker_a):
    staff = sign_in(Client(), worker_a)
    assert staff.get("/prisons/ours/").status_code == 404
    assert staff.post("/prisons/ours/LWI/remove/").status_code == 404
    assert PrisonPartner.objects.count() == 1


def test_partners_page_queries_do_not_grow(
    prisons, manager_a, org_a, django_assert_max_num_queries, django_assert_num_queries
):
    manager = sign_in(Client(), manager_a)
    for code in ("LWI", "FDI"):
        services.add_partner(manager_a, org_a, Prison.objects.get(code=code))
    manager.get("/prisons/ours/")
    with django_assert_max_num_queries(11) as first:
        manager.get("/prisons/ours/")
    for prison in Prison.objects.open().exclude(code__in=["LWI", "FDI"])[:10]:
        services.add_partner(manager_a, org_a, prison)
    with django_assert_num_queries(len(first.captured_queries)):
        manager.get("/prisons/ours/")
