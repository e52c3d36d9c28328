"""The Open Referral UK 3.0 read API: conformance (the official validator's method, offline,
against the shared schemas), filters, paging errors, CORS and query counts."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homeward.directory import factories
from homeward.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from homeward.directory.taxonomy import TAXONOMY_ID, term_id
from homeward.directory.tests.conformance import ENDPOINT_SCHEMAS, mock, problems

BASE = "/api/oruk"
PAGED = {
    "/services": Service,
    "/service_at_locations": ServiceAtLocation,
    "/taxonomies": Taxonomy,
    "/taxonomy_terms": TaxonomyTerm,
}


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"{BASE}{path}", params)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def assert_valid(endpoint: str, body: Any) -> None:
    found = problems(endpoint, body)
    assert not found, "\n".join(found[:20])


def test_root_describes_the_api(client) -> None:
    body = get(client, "/")
    assert_valid("/", body)
    assert body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"].endswith("/api/oruk/openapi.json")


@pytest.mark.parametrize("endpoint", list(PAGED))
def test_every_page_the_validator_reads_conforms(client, listings, endpoint) -> None:
    """First page, a middle page and the last page, with a page size that makes three or more."""
    total = PAGED[endpoint].objects.count()
    per_page = max(1, total // 3)
    pages = math.ceil(total / per_page)
    assert pages >= min(3, total) > 1
    for page in sorted({1, (pages + 1) // 2, pages}):
        body = get(client, endpoint, page=page, per_page=per_page)
        assert_valid(endpoint, body)
        assert body["total_items"] == total
        assert body["total_pages"] == pages
        assert body["page_number"] == page
        assert body["first_page"] is (page == 1)
        assert body["last_page"] is (page == pages)
        assert body["size"] == len(body["contents"]) > 0


@pytest.mark.parametrize("endpoint", list(PAGED))
def test_every_record_by_id_conforms(client, listings, endpoint) -> None:
    ids = PAGED[endpoint].objects.values_list("pk", flat=True)
    assert ids
    for pk in ids:
        body = get(client, f"{endpoint}/{pk}")
        assert_valid(f"{endpoint}/{{id}}", body)
        assert body["id"] == str(pk)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINT_SCHEMAS))
def test_validators_pass_samples_pass(endpoint) -> None:
    assert problems(endpoint, mock("Default", endpoint)) == []


# The validator's Fail samples that break the schemas (the others differ only in values).
@pytest.mark.parametrize("endpoint", ["/", "/services", "/services/{id}", "/taxonomy_terms/{id}"])
def test_validators_fail_samples_are_rejected(endpoint) -> None:
    assert problems(endpoint, mock("Fail", endpoint))


def test_fail_samples_cover_the_known_breakages() -> None:
    assert any("profile" in p for p in problems("/", mock("Fail", "/")))
    assert any(
        "'name' is a required" in p for p in problems("/services", mock("Fail", "/services"))
    )


def test_optional_fields_are_left_out_not_null(client, listings) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert item is not None, key
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(get(client, "/services", per_page=200))
    walk(get(client, "/service_at_locations", per_page=200))


def test_a_service_is_fully_nested_with_hsds_extras(client, listings) -> None:
    helpline = Service.objects.get(name="Prisoners' Families Helpline")
    body = get(client, f"/services/{helpline.pk}")
    assert body["organization"]["name"].startswith("Pact")
    assert body["phones"][0]["number"] == "0808 808 2003"
    assert body["languages"][0] | {"name": "English", "code": "en"} == body["languages"][0]
    terms = {a["taxonomy_term"]["term"] for a in body["attributes"]}
    assert "helplines" in terms
    local = Service.objects.filter(is_demo=True).first()
    assert local is not None
    body = get(client, f"/services/{local.pk}")
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"]
    assert -90 <= location["latitude"] <= 90
    assert body["contacts"][0]["phones"][0]["number"].startswith("01632")


def ids(body: dict[str, Any]) -> set[str]:
    return {item["id"] for item in body["contents"]}


def test_filters_narrow_the_services(client, listings) -> None:
    everything = ids(get(client, "/services", per_page=200))
    children = term_id("children-young-people")
    checks: dict[str, dict[str, Any]] = {
        "search": {"search": "Samaritans"},
        "taxonomy_term_id": {"taxonomy_term_id": str(children)},
        "organization_id": {"organization_id": str(listings[0].organization_id)},
        "maximum_age": {"maximum_age": 18},
        "minimum_age": {"minimum_age": 4},
        "day": {"day": "SA"},
        "start_time": {"start_time": "09:00"},
        "end_time": {"end_time": "17:00", "day": "MO"},
    }
    for name, params in checks.items():
        narrowed = ids(get(client, "/services", per_page=200, **params))
        assert narrowed, name
        assert narrowed < everything, name
    for item in get(client, "/services", per_page=200, taxonomy_term_id=str(children))["contents"]:
        assert str(children) in {a["taxonomy_term_id"] for a in item["attributes"]}
    for item in get(client, "/services", per_page=200, day="SA")["contents"]:
        assert any("SA" in s["byday"] for s in item["schedules"])
    example = "ac148810-d857-441c-9679-408f346de14b"  # the ORUK example, in its own taxonomy
    builtin = ids(get(client, "/services", taxonomy_id=str(TAXONOMY_ID), per_page=200))
    assert builtin == everything - {example}
    later = get(client, "/services", modified_after="2999-01-01T00:00:00Z")
    assert later["total_items"] == 0 and later["empty"] is True


def test_postcode_and_proximity_narrow_and_sort_by_distance(client, listings) -> None:
    lewes = factories.make_service("Lewes drop-in (demo)", outcode="BN7", n=1)
    body = get(client, "/service_at_locations", postcode="BN7 1EA", proximity=8000, per_page=200)
    assert_valid("/service_at_locations", body)
    found = [item["service_id"] for item in body["contents"]]
    assert str(lewes.pk) in found
    distances = [item["distance"] for item in body["contents"]]
    assert distances == sorted(distances) and max(distances) <= 8000
    assert body["total_items"] < ServiceAtLocation.objects.count()
    wider = get(client, "/service_at_locations", postcode="BN7", proximity=400_000, per_page=200)
    assert wider["total_items"] > body["total_items"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": 999},
        {"per_page": 0},
        {"per_page": 5000},
        {"page": "two"},
        {"per_page": "lots"},
        {"taxonomy_term_id": "not-a-uuid"},
        {"day": "Funday"},
        {"start_time": "nine"},
        {"modified_after": "yesterday"},
        {"minimum_age": "old"},
    ],
)
def test_bad_parameters_get_a_400_json_body(client, listings, params) -> None:
    response = client.get(f"{BASE}/services", params)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "params", [{"postcode": "not a postcode"}, {"postcode": "ZZ9"}, {"proximity": "100"}]
)
def test_bad_postcodes_get_a_400_json_body(client, listings, params) -> None:
    response = client.get(f"{BASE}/service_at_locations", params)
    assert response.status_code == 400
    assert "postcode" in response.json()["detail"]


def test_unknown_and_malformed_ids_are_404_json(client, listings) -> None:
    for path in ("/services/8d7c2b0e-0000-4000-8000-000000000000", "/taxonomies/nope"):
        response = client.get(f"{BASE}{path}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found"}


def _count(client: Client, path: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        get(client, path, **params)
    return len(queries)


def test_query_count_does_not_grow_with_the_page(client, listings) -> None:
    # Demo services all have a location, so every prefetch runs on both pages.
    for path in ("/services", "/service_at_locations"):
        one = _count(client, path, per_page=1, search="demo")
        many = _count(client, path, per_page=100, search="demo")
        assert one == many <= 15, path
    factories.make_service("Lewes drop-in (demo)", outcode="BN7", n=1)
    small = _count(client, "/service_at_locations", postcode="BN7", proximity=5000, per_page=1)
    large = _count(client, "/service_at_locations", postcode="BN7", proximity=900_000)
    assert small == large
