"""Staff keep their organisation's listings: create, edit (errors beside fields, no partial
writes), "checked today", the three-month reminder, and families asking for support."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from homeward.core.models import AuditEvent, Notification
from homeward.directory import factories, services
from homeward.directory.data.national_services import NATIONAL_SERVICES
from homeward.directory.models import Service
from homeward.directory.tests.matrix import _listing_form


@pytest.fixture
def listing(org_a) -> Service:
    return factories.make_service("Tea and toys (demo)", outcode="BN7", owner=org_a, n=5)


def test_staff_list_a_service_and_families_can_find_it(client, worker_a, org_a) -> None:
    sign_in(client, worker_a)
    response = client.post(reverse("directory:listing_new"), _listing_form("Saturday club"))
    service = Service.objects.get(name="Saturday club")
    assert response["Location"] == reverse("directory:service", args=[service.pk])
    assert service.organization.homeward_organisation == org_a
    assert service.in_person and service.is_free and not service.is_national
    assert service.service_at_locations.get().location.outcode == "BN7"
    assert AuditEvent.objects.filter(action="directory.listing_created").exists()
    page = client.get(
        reverse("directory:find"), {"postcode": "BN7", "need": "children-young-people"}
    )
    assert "Saturday club" in page.content.decode()


def test_errors_show_beside_fields_and_nothing_is_saved(client, worker_a) -> None:
    sign_in(client, worker_a)
    form = _listing_form("Broken club") | {
        "postcode": "12345", "schedule-0-closes_at": "08:00", "minimum_age": "12",
        "maximum_age": "3",
    }  # fmt: skip
    response = client.post(reverse("directory:listing_new"), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_postcode_error"' in page and "for example BN7 1EA" in page
    assert 'id="id_schedule-0-closes_at_error"' in page
    assert 'id="id_maximum_age_error"' in page
    assert 'value="Broken club"' in page
    assert not Service.objects.filter(name="Broken club").exists()


def test_editing_keeps_what_the_form_does_not_show(client, manager_a, listing) -> None:
    contact_phones = list(listing.phones.exclude(contact=None).values_list("number", flat=True))
    assert contact_phones
    sign_in(client, manager_a)
    url = reverse("directory:listing_edit", args=[listing.pk])
    page = client.get(url).content.decode()
    assert 'value="Tea and toys (demo)"' in page
    form = _listing_form("Tea, toys and talk") | {"alert": "Sessions have moved online"}
    client.post(url, form)
    listing.refresh_from_db()
    assert listing.name == "Tea, toys and talk"
    assert listing.alert == "Sessions have moved online"
    assert list(listing.phones.exclude(contact=None).values_list("number", flat=True)) == (
        contact_phones
    )
    assert (
        "Sessions have moved online"
        in client.get(reverse("directory:service", args=[listing.pk])).content.decode()
    )


def test_another_organisations_listing_is_not_found(client, worker_b, listing) -> None:
    sign_in(client, worker_b)
    for name in ("directory:listing_edit", "directory:listing_assured"):
        method = client.get if name.endswith("edit") else client.post
        assert method(reverse(name, args=[listing.pk])).status_code == 404
    assert "Tea and toys" not in client.get(reverse("directory:listings")).content.decode()


def test_platform_admins_edit_national_services(client, platform_admin) -> None:
    helpline = factories.seed_national_services()[0]
    sign_in(client, platform_admin)
    assert escape(helpline.name) in client.get(reverse("directory:listings")).content.decode()
    url = reverse("directory:listing_edit", args=[helpline.pk])
    assert client.get(url).status_code == 200


def test_checked_today_resets_the_clock_and_the_reminder(client, worker_a, listing) -> None:
    Service.objects.filter(pk=listing.pk).update(
        assured_date=timezone.localdate() - timedelta(days=200)
    )
    sign_in(client, worker_a)
    assert "Needs checking" in client.get(reverse("directory:listings")).content.decode()
    client.post(reverse("directory:listing_assured", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.assured_date == timezone.localdate()
    assert not listing.is_stale()


def test_stale_listings_remind_their_managers_once(
    manager_a, orgadmin_a, worker_a, listing
) -> None:
    Service.objects.filter(pk=listing.pk).update(
        assured_date=timezone.localdate() - timedelta(days=100)
    )
    fresh = factories.make_service("Fresh (demo)", outcode="BN7", n=6)
    Service.objects.filter(pk=fresh.pk).update(assured_date=timezone.localdate())
    call_command("remind_stale_listings")
    notes = Notification.objects.filter(kind="directory_stale")
    assert {n.recipient for n in notes} == {manager_a, orgadmin_a}
    assert all("prison" not in n.title.lower() for n in notes)
    assert services.remind_stale() == 0  # already reminded
    assert notes.count() == 2


def test_request_support_tells_the_organisations_managers(client, family, manager_a, listing):
    sign_in(client, family)
    url = reverse("directory:request_support", args=[listing.pk])
    response = client.post(url, {"message": "Please call after 3pm"})
    assert response.status_code == 302
    note = Notification.objects.get(kind="directory_request")
    assert note.recipient == manager_a or note.recipient.memberships.filter(role="org_admin")
    assert "prison" not in note.title.lower()
    assert AuditEvent.objects.filter(action="directory.support_requested").exists()


def test_request_support_puts_a_referral_in_the_organisations_casework_queue(
    client, family, manager_a, listing
):
    from homeward.casework.models import Referral

    sign_in(client, family)
    url = reverse("directory:request_support", args=[listing.pk])
    client.post(url, {"message": "Please call after 3pm"})
    client.post(url, {"message": "Please call after 3pm"})  # a double click
    referral = Referral.objects.get()
    assert referral.source == Referral.Source.DIRECTORY
    assert referral.organisation == listing.organization.homeward_organisation
    assert referral.submitted_by == family and "Please call after 3pm" in referral.details
    assert referral.status == Referral.Status.NEW
    assert Notification.objects.filter(kind="directory_request").count() == 1  # told once
    page = client.get(reverse("casework:my_referrals")).content.decode()
    assert referral.reference in page


def test_services_not_on_homeward_have_no_request_button(client, family) -> None:
    helpline = factories.seed_national_services()[0]
    sign_in(client, family)
    page = client.get(reverse("directory:service", args=[helpline.pk])).content.decode()
    assert "Request support" not in page
    url = reverse("directory:request_support", args=[helpline.pk])
    assert client.post(url, {"message": ""}).status_code == 404


def test_seed_is_idempotent(db) -> None:
    call_command("seed_directory", "--demo", "5")
    counts = Service.objects.count()
    call_command("seed_directory", "--demo", "5")
    assert Service.objects.count() == counts == len(NATIONAL_SERVICES) + 5
    assert not Service.objects.filter(name__icontains="Families Outside").exists()
    demo = Service.objects.filter(is_demo=True)
    assert demo.count() == 5 and all("(demo)" in s.name for s in demo)


def test_cost_accessibility_and_contact_are_kept_and_shown(client, worker_a) -> None:
    sign_in(client, worker_a)
    form = _listing_form("Paid course") | {
        "is_free": "", "fees": "per session", "cost_amount": "12.50",
        "accessibility": "Step-free entrance and a hearing loop",
        "contact_name": "Family support worker",
    }  # fmt: skip
    client.post(reverse("directory:listing_new"), form)
    service = Service.objects.get(name="Paid course")
    assert not service.is_free
    assert str(service.cost_options.get().amount) == "12.50"
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "£12.50" in page and "hearing loop" in page and "Ask for: Family support worker" in page
    edit = client.get(reverse("directory:listing_edit", args=[service.pk])).content.decode()
    assert 'value="12.50"' in edit and "hearing loop" in edit


def test_not_free_needs_a_cost(client, worker_a) -> None:
    sign_in(client, worker_a)
    response = client.post(
        reverse("directory:listing_new"), _listing_form("Mystery cost") | {"is_free": ""}
    )
    assert 'id="id_fees_error"' in response.content.decode()
    assert not Service.objects.filter(name="Mystery cost").exists()
