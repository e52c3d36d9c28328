"""Finding help on /directory/: need, words, postcode and filters; the two lanes; distances,
open now and last checked; plain messages for postcodes we can't place; constant queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from homeward.directory import factories
from homeward.directory.models import Service

FIND = reverse("directory:find")


@pytest.fixture
def nearby(db):
    """Two services in Lewes (one for children, open all week; one for adults, Saturdays only),
    one in Leeds, and the national services."""
    factories.seed_national_services()
    children = factories.make_service(
        "Little Stars children's group (demo)", outcode="BN7", n=1, minimum_age=5, maximum_age=16,
        assured_date="2026-11-01",
    )  # fmt: skip
    adults = factories.make_service(
        "Lewes counselling (demo)", outcode="BN7", n=2, days="SA", opens="10:00", closes="12:00",
        terms=("counselling-emotional-support",), minimum_age=18,
    )  # fmt: skip
    leeds = factories.make_service("Leeds children's group (demo)", outcode="LS1", n=3)
    return {"children": children, "adults": adults, "leeds": leeds}


def names(response) -> str:
    return response.content.decode()


def test_first_visit_offers_needs_and_no_results(client, nearby) -> None:
    response = client.get(FIND)
    assert response.status_code == 200
    page = names(response)
    assert "Children and young people" in page
    assert "Near " not in page
    assert "<title>Find support" in page
    assert "prison" not in page.split("<title>")[1].split("</title>")[0].lower()


def test_postcode_search_finds_nearby_with_distance_and_leaves_out_far(client, nearby) -> None:
    page = names(client.get(FIND, {"postcode": "bn7 1ea", "radius": "10"}))
    assert "Near BN7 1EA" in page
    assert "Little Stars children" in page
    assert "Leeds children" not in page
    assert "less than a mile away" in page or "about 1 mile away" in page or "about 2 miles" in page
    assert "Details checked 1 Nov 2026" in page
    # National services have their own lane.
    assert "wherever you live" in page
    assert "Samaritans" in page


def test_need_age_and_open_now_narrow_the_local_results(client, nearby) -> None:
    base = {"postcode": "BN7", "radius": "10"}
    page = names(client.get(FIND, base | {"need": "children-young-people"}))
    assert "Little Stars" in page and "Lewes counselling" not in page
    page = names(client.get(FIND, base | {"age": "8"}))
    assert "Little Stars" in page and "Lewes counselling" not in page
    page = names(client.get(FIND, base | {"day": "SA", "q": "counselling"}))
    assert "Lewes counselling" in page and "Little Stars" not in page
    page = names(client.get(FIND, base | {"open_now": "on"}))
    assert "Little Stars" in page  # open every day, all day
    assert "Open now" in page


def test_language_free_and_delivery_filters(client, nearby) -> None:
    page = names(client.get(FIND, {"language": "cy"}))
    assert "Little Stars" not in page
    page = names(client.get(FIND, {"delivery": "by_phone", "need": "helplines"}))
    assert "Samaritans" in page
    Service.objects.filter(pk=nearby["children"].pk).update(is_free=False)
    page = names(client.get(FIND, {"postcode": "BN7", "free": "on"}))
    assert "Little Stars" not in page and "Lewes counselling" in page


@pytest.mark.parametrize(
    ("postcode", "message"),
    [("12345", "Enter a UK postcode, for example BN7 1EA"), ("ZZ9 9ZZ", "recognise the postcode")],
)
def test_a_postcode_we_cannot_place_gets_a_message_beside_the_field(
    client, nearby, postcode, message
) -> None:
    response = client.get(FIND, {"postcode": postcode})
    assert response.status_code == 200
    page = names(response)
    assert message in page
    assert 'id="id_postcode_error"' in page
    assert f'value="{postcode}"' in page  # what they typed is kept


def test_results_page_queries_do_not_grow_with_results(
    client, nearby, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        client.get(FIND, {"postcode": "BN7", "radius": "50"})
    factories.seed_demo_services(20)
    for n in range(10, 20):
        factories.make_service(f"Extra group {n} (demo)", outcode="BN7", n=n)
    with django_assert_max_num_queries(12):
        client.get(FIND, {"postcode": "BN7", "radius": "50"})


def test_service_page_shows_details_and_checked_date(client, nearby) -> None:
    service = nearby["children"]
    page = names(client.get(reverse("directory:service", args=[service.pk])))
    assert "Little Stars" in page
    assert "Details checked 1 November 2026" in page
    assert "Demo listing" in page
    assert date.today().year >= 2026


def test_near_a_prison_uses_the_prison_guides_position(client, nearby) -> None:
    prisons = pytest.importorskip("homeward.prisons.factories")
    prisons.ensure_prisons()
    page = names(client.get(FIND, {"near_prison": "LWI", "radius": "10"}))
    assert "Near Lewes" in page
    assert "Little Stars children" in page
    assert "Leeds children" not in page
    both = names(client.get(FIND, {"near_prison": "LWI", "postcode": "LS1"}))
    assert "Choose a postcode or a prison, not both." in both


def test_service_page_queries_do_not_grow_with_its_records(
    client, nearby, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service = nearby["children"]
    url = reverse("directory:service", args=[service.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    payload: dict[str, Any] = {
        "phones": [{"id": f"00000000-0000-4000-8000-00000000000{i}", "number": f"0800 00{i}"}
                   for i in range(5)],
        "schedules": [{"id": f"00000000-0000-4000-8000-00000000001{i}", "byday": "MO",
                       "opens_at": "09:00", "closes_at": "10:00"} for i in range(5)],
    }  # fmt: skip
    factories.make_service(
        "Little Stars children's group (demo)", outcode="BN7", n=1, minimum_age=5,
        maximum_age=16, assured_date="2026-11-01", **payload,
    )  # fmt: skip
    with django_assert_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert "0800 004" in page


def test_page_titles_never_say_prison_even_when_a_service_name_does(client, nearby) -> None:
    service = Service.objects.get(name="Support for children with a parent in prison")
    for url in (
        reverse("directory:service", args=[service.pk]),
        f"{FIND}?q=prison",
    ):
        page = names(client.get(url))
        title = page.split("<title>")[1].split("</title>")[0]
        assert "prison" not in title.lower(), url
