"""Staff listing pages make the same number of queries however many listings, schedules and
areas there are."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import sign_in
from homeward.directory import factories
from homeward.directory.models import Organization, Schedule, ServiceArea


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_listings_page_queries_do_not_grow_with_listings(client, worker_a, org_a) -> None:
    factories.make_service("First (demo)", outcode="BN7", owner=org_a, n=1)
    sign_in(client, worker_a)
    url = reverse("directory:listings")
    few = _count(client, url)
    organization = Organization.objects.get(homeward_organisation=org_a)
    for n in range(2, 12):
        service = factories.make_service(f"More {n} (demo)", outcode="BN7", n=n)
        service.organization = organization
        service.save(update_fields=["organization"])
    assert _count(client, url) == few
    assert "More 11 (demo)" in client.get(url).content.decode()


def test_the_edit_page_queries_do_not_grow_with_schedules_and_areas(
    client, manager_a, org_a
) -> None:
    service = factories.make_service("Busy (demo)", outcode="BN7", owner=org_a, n=1)
    sign_in(client, manager_a)
    url = reverse("directory:listing_edit", args=[service.pk])
    few = _count(client, url)
    for day in ("MO", "TU", "WE", "TH", "FR"):
        Schedule.objects.create(service=service, byday=day, opens_at="18:00", closes_at="20:00")
    for name, code in (("Lewes", "E07000063"), ("Wealden", "E07000065")):
        ServiceArea.objects.create(service=service, name=name, code=code)
    assert _count(client, url) == few
    page = client.get(url).content.decode()
    assert page.count('class="schedule-row"') == 6 + 3 and "Wealden" in page


def test_the_new_listing_page_makes_a_fixed_number_of_queries(
    client, worker_a, django_assert_max_num_queries
) -> None:
    sign_in(client, worker_a)
    with django_assert_max_num_queries(10):
        client.get(reverse("directory:listing_new"))
