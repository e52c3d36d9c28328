"""Service areas: local authorities resolved offline from names and postcode districts, used in
matching (a service for an authority is found from a postcode inside it however far away it is,
and isn't shown as local to people elsewhere); staff choose areas in the listing form; the API
sends each local authority's ONS URI and reads it back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import sign_in
from homeward.directory import areas, factories, services
from homeward.directory.interchange import export_csv, import_csv
from homeward.directory.models import Service, ServiceArea
from homeward.directory.tests.conformance import problems
from homeward.directory.tests.matrix import _listing_form

FIND = reverse("directory:find")
LEWES, EAST_SUSSEX, BRIGHTON = "E07000063", "E10000011", "E06000043"


# The offline data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Lewes", LEWES),
        ("lewes district council", LEWES),
        ("East Sussex", EAST_SUSSEX),
        ("East Sussex County Council", EAST_SUSSEX),
        ("Bristol", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("St Helens", "E08000013"),
        ("Cardiff", "W06000015"),
        ("North Yorkshire", "E06000065"),  # a unitary since 2023
        ("E07000063", LEWES),
    ],
)
def test_names_people_type_resolve_to_ons_codes(typed, code) -> None:
    found = areas.find(typed)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Hull", "Kingston upon Hull"), ("Brighton", "Brighton and Hove"), ("Lewis", "Lewes")],
)
def test_unknown_names_are_refused_with_a_suggestion(typed, suggested) -> None:
    assert areas.find(typed) is None
    assert suggested in areas.suggestions(typed)


def test_a_district_maps_to_its_authorities_and_their_county() -> None:
    assert [a.code for a in areas.for_outcode("BN7")] == [LEWES]
    assert areas.codes_for_outcode("bn7") == {LEWES, EAST_SUSSEX}
    # BN1 is Brighton and Hove; the few Lewes postcodes in it (under 2%) don't count.
    assert areas.codes_for_outcode("BN1") == {BRIGHTON}
    # A district split between authorities counts for each.
    assert len(areas.for_outcode("S36")) >= 2
    assert areas.codes_for_outcode("ZZ9") == set()


def test_ons_uris_round_trip() -> None:
    uri = areas.uri_for(LEWES)
    assert uri == "http://statistics.data.gov.uk/id/statistical-geography/E07000063"
    assert areas.code_from_uri(uri) == LEWES
    assert areas.code_from_uri("https://example.org/E07000063") is None
    assert areas.code_from_uri(areas.ONS_URI + "E99999999") is None


# Matching ------------------------------------------------------------------------------------


def _far_service(name: str, n: int, area: dict[str, Any] | None, outcode: str = "LS1") -> Service:
    """A service placed in Leeds with this one area (or none)."""
    return factories.make_service(
        name, outcode=outcode, n=n,
        service_areas=[{"id": f"00000000-0000-4000-8000-{n:012d}"} | area] if area else [],
    )  # fmt: skip


def _page(client, **params: str) -> str:
    return client.get(FIND, params).content.decode()


def _local_lane(page: str) -> str:
    return page.split('id="local-heading"')[1].split('id="national-heading"')[0]


def test_a_service_for_a_local_authority_is_found_from_a_postcode_inside_it(client, db) -> None:
    _far_service("Lewes outreach (demo)", 1, {"name": "Lewes", "uri": areas.uri_for(LEWES)})
    _far_service("East Sussex phone group (demo)", 2, {"name": "East Sussex"})
    page = _local_lane(_page(client, postcode="BN7 1EA", radius="5"))
    assert "Lewes outreach" in page and "East Sussex phone group" in page
    assert "Covers where you live" in page
    assert "For people who live in: Lewes" in page
    assert "BN7 1EA is in Lewes" in page
    # Brighton is not in either area: nothing is shown there, however wide the search.
    page = _local_lane(_page(client, postcode="BN1", radius="50"))
    assert "Lewes outreach" not in page and "East Sussex phone group" not in page


def test_a_nearby_service_for_another_area_is_not_presented_as_local(client, db) -> None:
    _far_service("Leeds residents only (demo)", 3, {"name": "Leeds"})
    _far_service("Anyone in Leeds welcome (demo)", 4, None)
    _far_service("Bradford residents only (demo)", 5, {"name": "Bradford"})
    page = _local_lane(_page(client, postcode="LS1", radius="10"))
    assert "Leeds residents only" in page
    assert "Anyone in Leeds welcome" in page
    assert "Bradford residents only" not in page  # a mile away, but not for Leeds people
    page = _local_lane(_page(client, postcode="BD1", radius="25"))
    assert "Bradford residents only" in page and "Leeds residents only" not in page
    assert "Anyone in Leeds welcome" in page


def test_region_areas_are_shown_but_not_matched(client, db) -> None:
    _far_service("Yorkshire region group (demo)", 6, {"name": "Yorkshire and The Humber"})
    service = Service.objects.get(name="Yorkshire region group (demo)")
    area = service.service_areas.get()
    assert area.kind == ServiceArea.Kind.REGION and area.code == ""
    assert "Yorkshire region group" in _local_lane(_page(client, postcode="LS1", radius="5"))
    assert "Yorkshire region group" not in _local_lane(_page(client, postcode="BN7", radius="50"))


def test_search_queries_stay_constant_with_many_covering_services(
    client, db, django_assert_max_num_queries
) -> None:
    for n in range(3):
        _far_service(f"Covering {n} (demo)", 10 + n, {"name": "Lewes"})
    with django_assert_max_num_queries(12):
        first = _page(client, postcode="BN7", radius="5")
    for n in range(3, 40):
        _far_service(f"Covering {n} (demo)", 10 + n, {"name": "Lewes"})
    with django_assert_max_num_queries(12):
        page = _page(client, postcode="BN7", radius="5")
    assert first.count("Covers where you live") == 3
    assert _local_lane(page).count('class="panel result"') == 30  # the page's limit


# Staff choose areas --------------------------------------------------------------------------


def _form(**areas_fields: Any) -> dict[str, Any]:
    base = _listing_form("Area club")
    del base["local_authorities"]
    return base | areas_fields


def test_staff_list_local_authorities_and_they_are_saved_with_codes(client, worker_a) -> None:
    sign_in(client, worker_a)
    form = _form(
        area_kind="local_authority",
        local_authorities="lewes\r\nEast Sussex County Council\r\nLewes",
    )
    response = client.post(reverse("directory:listing_new"), form)
    assert response.status_code == 302
    service = Service.objects.get(name="Area club")
    assert sorted(service.service_areas.values_list("name", "code")) == [
        ("East Sussex", EAST_SUSSEX), ("Lewes", LEWES),
    ]  # fmt: skip
    edit = client.get(reverse("directory:listing_edit", args=[service.pk])).content.decode()
    assert "East Sussex\nLewes" in edit or "Lewes\nEast Sussex" in edit


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"area_kind": "local_authority", "local_authorities": "Hull"}, "local_authorities",
         "Did you mean Kingston upon Hull?"),
        ({"area_kind": "local_authority", "local_authorities": ""}, "local_authorities",
         "Give at least one local authority"),
        ({"area_kind": "region"}, "regions", "Choose at least one region"),
        ({"area_kind": "national"}, "area_kind", "Select a valid choice"),  # staff, not admins
    ],
)  # fmt: skip
def test_bad_areas_are_explained_and_nothing_is_saved(
    client, worker_a, fields, field, message
) -> None:
    sign_in(client, worker_a)
    page = client.post(reverse("directory:listing_new"), _form(**fields)).content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert not Service.objects.filter(name="Area club").exists()


def test_typed_authorities_count_even_if_the_choice_was_left_on_anyone(client, worker_a) -> None:
    sign_in(client, worker_a)
    client.post(reverse("directory:listing_new"), _form(area_kind="", local_authorities="Lewes"))
    area = Service.objects.get(name="Area club").service_areas.get()
    assert (area.kind, area.code) == (ServiceArea.Kind.LOCAL_AUTHORITY, LEWES)


def test_regions_and_anyone(client, worker_a) -> None:
    sign_in(client, worker_a)
    client.post(
        reverse("directory:listing_new"),
        _form(area_kind="region", regions=["South East", "London"]),
    )
    service = Service.objects.get(name="Area club")
    assert sorted(service.service_areas.values_list("kind", "name")) == [
        ("region", "London"), ("region", "South East"),
    ]  # fmt: skip
    client.post(
        reverse("directory:listing_edit", args=[service.pk]), _form(area_kind="", regions=[])
    )
    assert not service.service_areas.exists()


def test_platform_admins_can_make_a_service_national(client, platform_admin) -> None:
    sign_in(client, platform_admin)
    client.post(reverse("directory:listing_new"), _form(area_kind="national"))
    service = Service.objects.get(name="Area club")
    assert service.is_national
    assert list(service.service_areas.values_list("kind", flat=True)) == ["national"]


# The API and the CSV -------------------------------------------------------------------------


def test_the_api_sends_the_ons_uri_and_an_import_reads_it_back(client, db) -> None:
    service = _far_service(
        "Lewes outreach (demo)", 20, {"name": "Lewes District", "uri": areas.uri_for(LEWES)}
    )
    body = client.get(f"/api/oruk/services/{service.pk}").json()
    assert not problems("/services/{id}", body)
    (area,) = body["service_areas"]
    assert area["uri"] == areas.uri_for(LEWES) and area["name"] == "Lewes District"
    assert "extent_type" not in area  # ORUK's extent_type names a polygon format, not a kind
    service.delete()
    saved, outcome = services.save_oruk_service(body)
    assert outcome == "created"
    assert saved.service_areas.get().code == LEWES


def test_csv_carries_several_areas(db) -> None:
    _far_service("Two districts (demo)", 21, {"name": "Lewes"})
    service = Service.objects.get(name="Two districts (demo)")
    ServiceArea.objects.create(service=service, name="Wealden", code="E07000065")
    text = export_csv()
    assert "Lewes;Wealden" in text
    Service.objects.all().delete()
    report = import_csv(text)
    assert not report.failed
    assert sorted(
        Service.objects.get(name="Two districts (demo)").service_areas.values_list(
            "code", flat=True
        )
    ) == [LEWES, "E07000065"]


def test_a_postcode_outside_england_and_wales_says_so(client, db) -> None:
    page = _page(client, postcode="EH1 1YZ")
    assert "Homeward lists local services in England and Wales" in page
    assert "Homeward lists local services in England and Wales" not in _page(client, postcode="BN7")


def test_csv_keeps_mixed_kinds_of_area(db) -> None:
    _far_service("Mixed areas (demo)", 22, {"name": "Lewes"})
    service = Service.objects.get(name="Mixed areas (demo)")
    ServiceArea.objects.create(service=service, name="South East", kind=ServiceArea.Kind.REGION)
    text = export_csv()
    Service.objects.all().delete()
    assert not import_csv(text).failed
    areas_now = Service.objects.get(name="Mixed areas (demo)").service_areas
    assert sorted(areas_now.values_list("kind", "name", "code")) == [
        ("local_authority", "Lewes", LEWES), ("region", "South East", ""),
    ]  # fmt: skip
