"""A signed-in family member finds their way to ask their organisation for support: a panel on
the landing page and a button on their requests page. Staff and visitors don't get the panel."""

from __future__ import annotations

from django.urls import reverse

from conftest import sign_in
from homeward.casework import factories


def test_a_family_member_sees_the_ask_for_support_panel_on_the_landing_page(client, org_a, family):
    sign_in(client, family)
    page = client.get(reverse("home")).content.decode()
    assert "Ask a support worker for help" in page
    assert reverse("casework:self_refer", args=[org_a.slug]) in page
    assert reverse("casework:my_referrals") in page
    assert "prison" not in page.split("Ask a support worker for help")[1].split("</li>")[0].lower()


def test_staff_and_visitors_do_not_get_the_family_panel(client, worker_a, manager_a):
    assert "Ask a support worker for help" not in client.get(reverse("home")).content.decode()
    for member in (worker_a, manager_a):
        sign_in(client, member)
        assert "Ask a support worker for help" not in client.get(reverse("home")).content.decode()
        client.logout()


def test_a_member_of_no_organisation_as_family_gets_no_panel(client, platform_admin):
    sign_in(client, platform_admin)
    assert "Ask a support worker for help" not in client.get(reverse("home")).content.decode()


def test_the_requests_page_offers_to_ask_again_and_shows_the_status(
    client, org_a, family, django_assert_max_num_queries
):
    factories.make_referral(org_a, family_name="Mine", submitted_by=family, source="self")
    sign_in(client, family)
    client.get(reverse("casework:my_referrals"))
    with django_assert_max_num_queries(5):
        page = client.get(reverse("casework:my_referrals")).content.decode()
    assert f"Ask {org_a.name} for support" in page
    assert reverse("casework:self_refer", args=[org_a.slug]) in page
    assert "OA-0001" in page


def test_the_requests_page_has_no_ask_button_for_staff(client, worker_a):
    sign_in(client, worker_a)
    page = client.get(reverse("casework:my_referrals")).content.decode()
    assert reverse("casework:self_refer", args=["org-a"]) not in page
